"""What a long command shows while it works: how many of how many, and the time left.

On a terminal a rich progress bar counts items and estimates the time
left; piped or in CI it stays silent so logs hold only the summary. When
the total is not known in advance (standard input), the count and the
elapsed time are shown instead of a bar.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache


@lru_cache(maxsize=1)
def err_console():
    """The console for messages (stderr), made on first use: importing rich costs start-up time."""
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def say(message: str) -> None:
    """A line for the user on stderr (rich markup allowed; escape text from documents)."""
    err_console().print(message)


def escape(text: str) -> str:
    from rich.markup import escape as rich_escape

    return rich_escape(text)


@contextmanager
def progress(label: str, total: int | Callable[[], int | None] | None = None) -> Iterator[Callable[[str], None]]:
    """A per-item callback for `label`; `total` (or a function giving it when the stage starts) sizes the bar."""
    console = err_console()
    if not console.is_terminal:
        yield lambda _item: None
        return
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                               TimeElapsedColumn, TimeRemainingColumn)

    count = total() if callable(total) else total
    columns = [SpinnerColumn(), TextColumn("{task.description}")]
    if count:
        columns += [BarColumn(), MofNCompleteColumn(), TextColumn("elapsed"), TimeElapsedColumn(),
                    TextColumn("left"), TimeRemainingColumn()]
    else:
        columns += [TextColumn("{task.completed} done"), TimeElapsedColumn()]
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(label, total=count or None)

        def tick(_item: str) -> None:
            bar.advance(task)

        yield tick


def count_inputs(paths: Iterable[str]) -> int | None:
    """About how many documents `paths` hold (the ingest's own walk); None with standard input."""
    from detente.ingest.sources import count_items

    return count_items(paths)


def pending_extraction(engine) -> int:
    """Documents the current extractor version has not done yet: the size of the extraction stage."""
    from sqlalchemy import and_, func, select

    from detente.nlp.extract import EXTRACTOR, EXTRACTOR_VERSION
    from detente.store.schema import documents, extractions

    done = select(extractions.c.doc).where(and_(extractions.c.extractor == EXTRACTOR, extractions.c.version == EXTRACTOR_VERSION))
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(documents).where(documents.c.id.not_in(done))).scalar_one()
