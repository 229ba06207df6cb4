"""The main job: ingest, extract, analyse and report in one call, as `detente run` does.

Each stage is the library function the single commands use (`ingest`,
`extract_store`, `write_report`), so running the whole job twice on the same
output folder changes nothing: ingest skips what is stored, extraction skips
what this extractor version has done, and the report of an unchanged store is
byte-identical.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import Engine

from detente.ingest.pipeline import IngestReport, ingest
from detente.negotiation.model import Negotiation
from detente.nlp.extract import ExtractReport, extract_store
from detente.nlp.actors.registry import ActorRegistry
from detente.nlp.stances.targets import TargetRegistry
from detente.present.report import REPORT_DOCUMENTS, write_report
from detente.present.views.negotiation_draft import drafted_negotiation
from detente.store.documents import count_documents

REPORT_NAME = "report.html"
STORE_NAME = "detente.db"

# A stage's progress: called with the stage's label, it returns a context giving a per-item callback.
Stage = Callable[[str], AbstractContextManager[Callable[[str], None]]]


class NothingToReport(RuntimeError):
    """No input could be read and the store holds no documents: there is nothing to analyse."""


@dataclass
class RunResult:
    report: Path
    documents: int
    ingest: IngestReport
    extract: ExtractReport


def run_pipeline(
    engine: Engine,
    inputs: Sequence[str],
    report: str | Path,
    registry: ActorRegistry | None = None,
    targets: TargetRegistry | None = None,
    negotiation: str | Path | Negotiation | None = None,
    spacy_model: str | None = None,
    processes: int = 1,
    stdin: BinaryIO | None = None,
    stage: Stage | None = None,
    report_documents: int = REPORT_DOCUMENTS,
    scheduler: str | None = None,
) -> RunResult:
    """Ingest `inputs` into the store, extract what is new, and write the report to `report`.

    The report holds the text of the `report_documents` most recent documents (see `detente.present.report`).
    Without a `negotiation` its Negotiation page shows the negotiation drafted from the store, marked as a draft.
    """
    stage = stage or _quiet
    with stage("Ingesting") as tick:
        read = ingest(engine, list(inputs), stdin=stdin, on_item=tick)
    documents = count_documents(engine)
    if documents == 0:
        raise NothingToReport("Nothing could be read and the store is empty. Check the paths, or see `detente errors`.")
    with stage("Extracting") as tick:
        extracted = extract_store(engine, registry or ActorRegistry.load(None), targets, model=spacy_model,
                                  processes=processes, on_document=tick, scheduler=scheduler)
    if negotiation is None:  # no file: the negotiation drafted from the store, read with the run's own targets
        negotiation = drafted_negotiation(engine, targets=targets)
    with stage("Writing the report") as tick:
        tick(str(report))
        path = write_report(engine, report, negotiation, report_documents)
    return RunResult(report=path, documents=documents, ingest=read, extract=extracted)


def output_paths(out: str | Path, db: str | None = None) -> tuple[str, Path]:
    """The store (OUT/detente.db unless --db names another) and the report's path in OUT."""
    folder = Path(out).expanduser()
    folder.mkdir(parents=True, exist_ok=True)
    return (db or str(folder / STORE_NAME)), folder / REPORT_NAME


def _quiet(_label: str):
    return nullcontext(lambda _item: None)
