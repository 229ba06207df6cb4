"""Turning what the user names (files, folders, JSONL, stdin) into a stream of items.

Everything is a generator: a folder of 10,000 reports is read one file at a
time, so memory does not grow with the corpus.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_MAX_BYTES = 5_000_000
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SKIPPED_NAMES = {".DS_Store", "Thumbs.db"}
# Files that describe a folder rather than report news, and data files that sit beside
# a corpus (registries, gold sets, databases): a folder walk passes them over.
FOLDER_NOTES = ("readme", "license", "licence", "changelog")
NOT_REPORTS = {".yaml", ".yml", ".json", ".csv", ".tsv", ".py", ".db", ".sqlite", ".db-wal", ".db-shm", ".toml", ".cfg", ".ini"}

JSONL_FIELDS = ("title", "published", "url", "outlet", "author")


@dataclass
class SourceItem:
    """One document to ingest: raw bytes (files) or text (JSONL), plus known fields."""

    uri: str
    reader: str  # "text" | "html" | "jsonl"
    data: bytes | None = None
    text: str | None = None
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class SourceError:
    """Something named by the user that could not be read; reported, never fatal."""

    uri: str
    reason: str


def iter_sources(
    paths: Iterable[str], max_bytes: int = DEFAULT_MAX_BYTES, stdin=None
) -> Iterator[SourceItem | SourceError]:
    for raw_path in paths:
        if raw_path == "-":
            yield from _read_stdin(stdin or sys.stdin.buffer, max_bytes)
            continue
        path = Path(raw_path).expanduser()
        try:
            is_dir = stat.S_ISDIR(path.stat().st_mode)
        except OSError as err:
            yield SourceError(str(path), _why_unreadable(err))
            continue
        if is_dir:
            yield from _walk(path, max_bytes)
        else:
            yield from _read_file(path, max_bytes)


def _why_unreadable(err: OSError) -> str:
    """What the user can do about a path that cannot be opened."""
    if err.errno == errno.ENOENT:
        return "no such file or folder"
    if err.errno == errno.ELOOP:
        return "a loop of symbolic links (a link that leads back to itself); fix or remove the link"
    if err.errno == errno.EACCES:
        return "permission denied; make the file readable"
    return f"cannot read: {err.strerror or err}"


def _walk(folder: Path, max_bytes: int) -> Iterator[SourceItem | SourceError]:
    """Recurse in a stable order so two runs over one folder ingest in the same order."""
    for dirpath, dirnames, filenames in os.walk(folder, onerror=None):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if _passed_over(name):
                continue
            yield from _read_file(Path(dirpath) / name, max_bytes)


def _passed_over(name: str) -> bool:
    lowered = name.lower()
    return (
        name.startswith(".")
        or name in SKIPPED_NAMES
        or lowered.startswith(FOLDER_NOTES)
        or Path(lowered).suffix in NOT_REPORTS
    )


def _read_file(path: Path, max_bytes: int) -> Iterator[SourceItem | SourceError]:
    uri = str(path)
    try:
        info = path.stat()
    except OSError as err:
        yield SourceError(uri, _why_unreadable(err))
        return
    if not stat.S_ISREG(info.st_mode):  # never opened: reading a named pipe or a device can block for ever
        yield SourceError(uri, f"not a regular file ({_file_kind(info.st_mode)}); skipped")
        return
    size = info.st_size
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from _read_jsonl_file(path, max_bytes)
        return
    if size > max_bytes:
        yield SourceError(uri, f"too large ({size:,} bytes > limit {max_bytes:,}); raise it with --max-bytes")
        return
    try:
        data = path.read_bytes()
    except OSError as err:
        yield SourceError(uri, f"cannot read: {err.strerror or err}")
        return
    yield SourceItem(uri=uri, reader="html" if suffix in HTML_SUFFIXES else "text", data=data)


def _file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a plain file"


def _read_jsonl_file(path: Path, max_bytes: int) -> Iterator[SourceItem | SourceError]:
    try:
        handle = path.open("rb")
    except OSError as err:
        yield SourceError(str(path), f"cannot read: {err.strerror or err}")
        return
    with handle:
        yield from _jsonl_items(handle, str(path), max_bytes)


def _read_stdin(stream, max_bytes: int) -> Iterator[SourceItem | SourceError]:
    """stdin is JSONL when its first non-blank line is a JSON object, plain text otherwise."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        yield SourceError("-", f"standard input is larger than {max_bytes:,} bytes; raise the limit with --max-bytes")
        return
    first = data.lstrip()[:1]
    if first == b"{":
        yield from _jsonl_items(data.splitlines(keepends=True), "-", max_bytes)
    else:
        yield SourceItem(uri="-", reader="text", data=data)


def _jsonl_items(lines: Iterable[bytes], uri: str, max_bytes: int) -> Iterator[SourceItem | SourceError]:
    for number, line in enumerate(lines, start=1):
        where = f"{uri}#{number}"
        if not line.strip():
            continue
        if len(line) > max_bytes:
            yield SourceError(where, f"line too large ({len(line):,} bytes); raise the limit with --max-bytes")
            continue
        item = _jsonl_item(line, where)
        yield item


def _jsonl_item(line: bytes, where: str) -> SourceItem | SourceError:
    try:
        record = json.loads(line.decode("utf-8", errors="replace"))
    except json.JSONDecodeError as err:
        return SourceError(where, f"not valid JSON ({err.msg} at column {err.colno})")
    if not isinstance(record, dict):
        return SourceError(where, "a JSONL line must be an object with a 'text' field")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return SourceError(where, "no 'text' field, or it is empty")
    fields = {key: _without_lone_surrogates(str(record[key])).strip() for key in JSONL_FIELDS if record.get(key)}
    return SourceItem(uri=fields.get("url") or where, reader="jsonl", text=_without_lone_surrogates(text), fields=fields)


_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _without_lone_surrogates(value: str) -> str:
    """JSON may escape half of a UTF-16 pair ("\\ud800"): no character, and no text that can be stored as
    UTF-8. It becomes U+FFFD, the replacement character, as undecodable bytes in a file do."""
    return _LONE_SURROGATE.sub("\ufffd", value)


def count_items(paths: Iterable[str]) -> int | None:
    """About how many documents `paths` hold, walked as `iter_sources` walks them, without reading them.

    For a progress bar's total: a file each, a line per non-empty line of a
    JSONL file. None when standard input ("-") is among them, whose size is
    unknown until read.
    """
    total = 0
    for raw_path in paths:
        if raw_path == "-":
            return None
        path = Path(raw_path).expanduser()
        files = _walked_files(path) if path.is_dir() else [path]
        total += sum(_jsonl_lines(f) if f.suffix.lower() in JSONL_SUFFIXES else 1 for f in files)
    return total


def _walked_files(folder: Path) -> list[Path]:
    """The files `_walk` reads, hidden folders and passed-over names left out the same way."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        found += [Path(dirpath) / name for name in filenames if not _passed_over(name)]
    return found


def _jsonl_lines(path: Path) -> int:
    try:
        with path.open("rb") as stream:
            return sum(1 for line in stream if line.strip())
    except OSError:
        return 1
