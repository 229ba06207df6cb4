"""Publication dates given as fields (JSONL, HTML meta) to ISO prefixes.

The precision is what the value states: "2015-10" stays a month. A value that
cannot be read gives None rather than a guess.
"""

from __future__ import annotations

import re

import dateparser

_ISO_PREFIX = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
_SETTINGS = {"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DAY_OF_MONTH": "first"}


def normalise_published(value: str) -> str | None:
    value = value.strip()
    match = _ISO_PREFIX.match(value)
    if match:
        return "-".join(part for part in match.groups() if part)
    parsed = dateparser.parse(value, languages=["en"], settings=_SETTINGS)
    return parsed.date().isoformat() if parsed else None
