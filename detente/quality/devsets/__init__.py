"""Scorers for the public development sets in `../shared/data` (absent on a user's machine).

Each scores extraction the way the project's maintainers score their held-out
sets of the same kind, so a figure here predicts the figure there.
"""

from __future__ import annotations

import os
from pathlib import Path

SHARED_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"
SHARED_DATA_ENV = "DETENTE_SHARED_DATA"


def shared_data() -> Path | None:
    """The development data folder (`../shared/data` beside the checkout, or $DETENTE_SHARED_DATA), or None."""
    folder = Path(os.environ.get(SHARED_DATA_ENV) or SHARED_DATA)
    return folder if folder.is_dir() else None
