"""Quote extraction scored on PolNeAR (Newell, Margolin & Ruths 2018), attributions in political news.

Rules, as the maintainers score their held-out split:

- each article is extracted alone, with its publication date and the built-in
  registry, as `detente extract-text FILE --date D` would;
- a gold attribution is *found* when its Content overlaps an extracted quote's
  span by at least one character;
- *precision* is the share of extracted quotes that overlap some gold Content;
- *direct* attributions are those whose Content opens and closes with a quote
  mark; the others are *indirect*;
- *speaker accuracy*, over found attributions that have a Source, is whether
  the last word of the gold Source (without "'s") is a whole word of the
  quote's `speaker_name` or `speaker_text`;
- where an article has several annotators, the first in sorted order counts.

    python -m detente.quality.devsets.polnear --split dev [--errors speaker|indirect|precision] [--limit N]
"""

from __future__ import annotations

import argparse
import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from detente.quality.devsets import shared_data

OPEN_MARKS = "\"“‘'«"
CLOSE_MARKS = "\"”’'»"


@dataclass
class GoldAttribution:
    content: list[tuple[int, int]]
    source: tuple[int, int] | None
    source_text: str | None
    cue_text: str | None
    content_text: str

    @property
    def direct(self) -> bool:
        text = self.content_text.strip()
        return len(text) > 1 and text[0] in OPEN_MARKS and text[-1] in CLOSE_MARKS


@dataclass
class Article:
    name: str
    text: str
    published: str | None
    gold: list[GoldAttribution]


@dataclass
class Tally:
    direct: list[int] = field(default_factory=lambda: [0, 0])
    indirect: list[int] = field(default_factory=lambda: [0, 0])
    precision: list[int] = field(default_factory=lambda: [0, 0])
    speaker: list[int] = field(default_factory=lambda: [0, 0])
    errors: dict[str, list[str]] = field(default_factory=dict)

    def rates(self) -> dict[str, float]:
        return {k: (a / b if b else 1.0) for k, (a, b) in self.counts().items()}

    def counts(self) -> dict[str, list[int]]:
        return {"direct_recall": self.direct, "indirect_recall": self.indirect,
                "precision": self.precision, "speaker_accuracy": self.speaker}

    def line(self) -> str:
        return ", ".join(f"{k} {v:.3f} ({a}/{b})" for (k, v), (a, b) in zip(self.rates().items(), self.counts().values()))


def _parse_ann(path: Path) -> list[tuple[dict, dict]]:
    spans: dict[str, tuple[str, list[tuple[int, int]], str]] = {}
    events: list[dict] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            kind, _, offsets = parts[1].partition(" ")
            pieces = [tuple(int(x) for x in piece.split()) for piece in offsets.split(";")]
            spans[parts[0]] = (kind, pieces, parts[2] if len(parts) > 2 else "")
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(arg.split(":", 1) for arg in parts[1].split()))
    return [(event, spans) for event in events]


def load_gold(path: Path, text: str) -> list[GoldAttribution]:
    found = []
    for event, spans in _parse_ann(path):
        content = spans.get(event.get("Content", ""))
        if not content:
            continue
        source = spans.get(event.get("Source", ""))
        cue = spans.get(event.get("Cue", ""))
        pieces = content[1]
        found.append(GoldAttribution(
            content=pieces,
            source=(source[1][0][0], source[1][-1][1]) if source else None,
            source_text=" ".join(text[a:b] for a, b in source[1]) if source else None,
            cue_text=" ".join(text[a:b] for a, b in cue[1]) if cue else None,
            content_text=text[pieces[0][0]:pieces[-1][1]],
        ))
    return found


def _published(root: Path) -> dict[str, str]:
    with open(root / "metadata.tsv", encoding="utf-8") as handle:
        return {row["filename"]: row["publication_date"] for row in csv.DictReader(handle, delimiter="\t")}


def articles(split: str, root: Path | None = None, limit: int | None = None) -> Iterator[Article]:
    root = root or ((shared_data() or Path("/nonexistent")) / "polnear")
    dates = _published(root)
    texts = sorted((root / split / "text").glob("*.txt"))
    for path in texts[:limit]:
        text = path.read_text(encoding="utf-8")
        annotations = sorted((root / split / "attributions").glob(f"{path.stem}_*.ann"))
        if not annotations:
            continue
        yield Article(path.stem, text, dates.get(path.stem), load_gold(annotations[0], text))


def _overlaps(pieces: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a < end and start < b for a, b in pieces)


def _last_word(source: str) -> str:
    words = re.findall(r"[\w’'.-]+", source)
    word = words[-1] if words else source
    return re.sub(r"(’s|'s)$", "", word).lower()


def speaker_matches(gold_source: str, quote: dict) -> bool:
    word = _last_word(gold_source)
    said = f"{quote.get('speaker_name') or ''} {quote.get('speaker_text') or ''}".lower()
    return bool(word) and re.search(rf"(?<!\w){re.escape(word)}(?!\w)", said) is not None


def score_article(article: Article, quotes: list[dict], tally: Tally) -> None:
    text = article.text
    for gold in article.gold:
        hits = [q for q in quotes if _overlaps(gold.content, q["start"], q["end"])]
        bucket = tally.direct if gold.direct else tally.indirect
        bucket[1] += 1
        if not hits:
            tally.errors.setdefault("direct" if gold.direct else "indirect", []).append(
                f"{article.name}: [{gold.source_text} | {gold.cue_text}] {gold.content_text[:110]!r}")
            continue
        bucket[0] += 1
        if gold.source_text:
            tally.speaker[1] += 1
            if any(speaker_matches(gold.source_text, q) for q in hits):
                tally.speaker[0] += 1
            else:
                q = hits[0]
                tally.errors.setdefault("speaker", []).append(
                    f"{article.name}: gold {gold.source_text!r} got {q.get('speaker_text')!r}/{q.get('speaker_name')!r}"
                    f" cue {q.get('cue')!r}: {text[q['start']:q['end']][:90]!r}")
    for q in quotes:
        tally.precision[1] += 1
        if any(_overlaps(g.content, q["start"], q["end"]) for g in article.gold):
            tally.precision[0] += 1
        else:
            tally.errors.setdefault("precision", []).append(
                f"{article.name}: [{q.get('speaker_text')} | {q.get('cue')}] {text[q['start']:q['end']][:110]!r}")


def extracted_quotes(nlp, article: Article, registry) -> list[dict]:
    from detente.nlp.extract import extract_doc, text_records

    records = text_records(extract_doc(nlp(article.text), registry, article.published))
    return [r for r in records if r["record"] == "quote"]


def score_split(split: str, limit: int | None = None, model: str | None = None,
                pool: Iterable[Article] | None = None) -> Tally:
    from detente.nlp.actors.registry import ActorRegistry
    from detente.nlp.pipeline import load_model

    nlp = load_model(model)
    registry = ActorRegistry.load(None)
    tally = Tally()
    for article in pool if pool is not None else articles(split, limit=limit):
        score_article(article, extracted_quotes(nlp, article, registry), tally)
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", default="dev", choices=["train", "dev"])
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--errors", default=None, help="print the misses of a kind: direct, indirect, speaker, precision")
    parser.add_argument("--max-errors", type=int, default=60)
    args = parser.parse_args()
    if shared_data() is None:
        raise SystemExit("PolNeAR is not here: ../shared/data/polnear holds the development splits.")
    tally = score_split(args.split, args.limit)
    if args.errors:
        for line in tally.errors.get(args.errors, [])[: args.max_errors]:
            print(line)
    print(tally.line())


if __name__ == "__main__":
    main()
