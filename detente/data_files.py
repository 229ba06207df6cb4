"""Reading the YAML data files (lexicons, tables, patterns) with libyaml's C parser when it is there.

PyYAML's pure-Python parser is about ten times slower than its C one, and
the data files are read at start-up; `CSafeLoader` is the same safe subset,
so every data file goes through `load_yaml` and falls back to the Python
loader only where PyYAML was built without libyaml.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str):
    """`yaml.safe_load`, through the C parser when PyYAML has it."""
    return yaml.load(text, Loader=SafeLoader)


@lru_cache(maxsize=None)
def load_data_yaml(name: str):
    """A file of `detente/data/`, parsed once per process."""
    return load_yaml((resources.files("detente") / "data" / name).read_text(encoding="utf-8"))
