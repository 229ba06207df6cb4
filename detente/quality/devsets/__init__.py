"""Scorers for the public development sets in `../shared/data` (absent on a user's machine).

Each scores extraction the way the project's maintainers score their held-out
sets of the same kind, so a figure here predicts the figure there.
"""

from __future__ import annotations

from pathlib import Path

SHARED_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"


def shared_data() -> Path | None:
    """The development data folder, or None on a machine without it."""
    return SHARED_DATA if SHARED_DATA.is_dir() else None
