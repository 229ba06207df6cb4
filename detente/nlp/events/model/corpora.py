"""The labelled sentences the event-type model learns from, read from where they live.

Three sources (MODEL_CARD.md names their licences and papers):

- ConfliBERT's CAMEO training sentences (`../shared/data/conflibert_cameo_train.tsv`):
  real news, a quad class each, no type. Their class still narrows the type
  (a class-4 sentence is PROTEST, MOBILIZE, COERCE or ASSAULT), kept as
  `allowed`.
- The PLOVER gold-standard records (`../shared/data/plover_gsr_cameo.json`):
  edited coding-manual sentences with a PLOVER 0.5 type, mapped to 0.8 and
  to a quad class as `labels.py` says.
- Our own gold (`examples/syria/gold.yaml`): each event's phrase is found in
  the article's clean text; the sentence holding it becomes one example per
  event, with the phrase as the event's words. A body sentence with no gold
  event is a NONE example (class 0): the gold codes every event a sentence
  reports, whoever the actors are, so a sentence without one reports none.
  Headlines are not annotated and are left out.

Never the real-news development set: it is what the extraction is scored on.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from detente.nlp.events.model.labels import NONE, plover08, quad_of_plover05, quad_of_type, types_of_quad

CONFLIBERT_FILE = "conflibert_cameo_train.tsv"
GSR_FILE = "plover_gsr_cameo.json"
EXAMPLES = Path(__file__).resolve().parents[4] / "examples" / "syria"


class TrainingDataMissing(RuntimeError):
    pass


@dataclass(frozen=True)
class Example:
    """One labelled sentence (or one event of a sentence with several)."""

    text: str
    source: str  # conflibert | gsr | gold
    quad: int
    type: str | None  # a PLOVER 0.8 type or NONE; None where the source gives only the quad class
    allowed: tuple[str, ...]  # the types the labels allow (one when the type is known)
    event_words: tuple[int, int] | None = None  # character span of the event's words in `text`


def shared_data_folder() -> Path:
    """`../shared/data`, or a clear refusal: the training data is not part of the package."""
    from detente.quality.devsets import SHARED_DATA, shared_data

    root = shared_data()
    if root is None or not (root / CONFLIBERT_FILE).is_file() or not (root / GSR_FILE).is_file():
        raise TrainingDataMissing(
            f"The training data is not here: {SHARED_DATA} must hold {CONFLIBERT_FILE} and {GSR_FILE} "
            "(see detente/nlp/events/model/MODEL_CARD.md for where they come from). "
            "The packaged model needs no retraining to be used."
        )
    return root


def conflibert_examples(root: Path) -> list[Example]:
    """`sentence<TAB>label` lines (CRLF, no header)."""
    examples = []
    for line in (root / CONFLIBERT_FILE).read_text(encoding="utf-8").splitlines():
        text, _, label = line.rpartition("\t")
        if not text.strip() or not label.strip().isdigit():
            continue
        quad = int(label)
        examples.append(Example(text.strip(), "conflibert", quad, None, types_of_quad(quad)))
    return examples


def gsr_examples(root: Path) -> list[Example]:
    """Every GSR record but the documentation record at the head of the file."""
    examples = []
    for record in json.loads((root / GSR_FILE).read_text(encoding="utf-8")):
        label, text = record.get("event"), (record.get("text") or "").strip()
        if not label or label == "DOCUMENT" or not text:
            continue
        plover = plover08(label)
        examples.append(Example(text, "gsr", quad_of_plover05(label), plover, (plover,), _first_event_words(record, text)))
    return examples


_MARKED_EVENT = re.compile(r"\(EVT:\s*([^()]+?)\)")


def _first_event_words(record: dict, text: str) -> tuple[int, int] | None:
    """Where the first words the markup marks as the event (EVT:) stand in the text."""
    info = record.get("textInfo")
    markup = (info.get("markup") if isinstance(info, dict) else info) or ""  # one record holds the markup itself
    match = _MARKED_EVENT.search(markup)
    if not match:
        return None
    start = text.find(match.group(1).strip())
    return (start, start + len(match.group(1).strip())) if start >= 0 else None


def gold_examples(folder: Path = EXAMPLES) -> list[Example]:
    """Our own gold: an example per event, in the sentence its phrase stands in; NONE for the other body sentences."""
    from detente.ingest.pipeline import ingest
    from detente.quality.score import load_gold
    from detente.quality.score_analysis import documents_by_file, headline_span, phrase_spans, sentence_spans
    from detente.store.database import open_engine

    gold = load_gold(folder / "gold.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        engine = open_engine(str(Path(tmp) / "gold.db"))
        ingest(engine, [str(folder)])
        with engine.connect() as conn:
            by_file = documents_by_file(conn, gold)
        engine.dispose()
    examples: list[Example] = []
    for entry in gold:
        doc = by_file.get(entry["file"])
        if doc is None:
            continue
        text = doc["text"]
        headline = headline_span(doc)
        with_event: set[tuple[int, int]] = set()
        for event in entry.get("events") or ():
            for start, end in phrase_spans(text, event["text"])[:1]:
                sentence = next((s for s in sentence_spans(text) if s[0] <= start < s[1]), None)
                if sentence is None:
                    continue
                with_event.add(sentence)
                plover = event["type"]
                words = (start - sentence[0], min(end, sentence[1]) - sentence[0])
                examples.append(Example(text[sentence[0]:sentence[1]], "gold", quad_of_type(plover), plover, (plover,), words))
        for sentence in sentence_spans(text):
            if sentence in with_event or (headline and sentence[0] < headline[1] and headline[0] < sentence[1]):
                continue
            examples.append(Example(text[sentence[0]:sentence[1]], "gold", 0, NONE, (NONE,)))
    return examples


def all_examples(root: Path | None = None) -> list[Example]:
    root = root or shared_data_folder()
    return conflibert_examples(root) + gsr_examples(root) + gold_examples()
