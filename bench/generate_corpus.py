"""Synthetic messy news files for the benchmarks: any number, reproducible by seed.

Each file is a web copy as users make them: a masthead, navigation, a byline
with a date, a dozen paragraphs, advertisement markers and a footer that its
outlet repeats under every article.
"""

from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from pathlib import Path

OUTLETS = ["Levant Ledger", "Geneva Dispatch", "Crossroads Wire", "Harbour Post", "Northern Courier"]
PEOPLE = ["Amira Nasser", "Jonas Berg", "Leila Haddad", "Pavel Orlov", "Samir Khoury", "Ines Duarte"]
ROLES = ["the foreign minister", "the special envoy", "a senior negotiator", "the opposition leader"]
PLACES = ["Geneva", "Vienna", "Moscow", "Astana", "Riyadh", "Lausanne"]
TOPICS = ["a ceasefire", "prisoner releases", "humanitarian corridors", "a transitional body", "new elections"]
VERBS = ["proposed", "rejected", "welcomed", "questioned", "postponed", "endorsed"]
NAV = ["Skip to main content", "Home | World | Middle East | Opinion", "Advertisement", "Share this article"]


SYLLABLES = ["ka", "lo", "mir", "sa", "den", "vi", "ra", "tor", "mu", "el", "zan", "qu", "bri", "on", "ta", "ges"]
GLUE = ["the", "of", "and", "to", "in", "that", "was", "for", "on", "with", "as", "by", "at", "from", "would"]


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3)))


def sentence(rng: random.Random) -> str:
    """Pseudo-words between real function words: realistic stop-word density, no shared passages."""
    person, place = f"{rng.choice(PEOPLE)} {word(rng).title()}", rng.choice(PLACES)
    filler = " ".join(rng.choice(GLUE) if rng.random() < 0.4 else word(rng) for _ in range(rng.randint(8, 18)))
    forms = [
        f"{person} {rng.choice(VERBS)} {rng.choice(TOPICS)} in {place} on {rng.choice(['Monday', 'Friday'])}, {filler}.",
        f'"{filler.capitalize()}," {person} {rng.choice(["told reporters", "said", "added"])} in {place}.',
        f"{filler.capitalize()}, {rng.choice(ROLES)} {word(rng)} said.",
    ]
    return rng.choice(forms)


def article(rng: random.Random, number: int) -> str:
    outlet = rng.choice(OUTLETS)
    published = date(2012, 1, 1) + timedelta(days=rng.randint(0, 1800))
    paragraphs = [" ".join(sentence(rng) for _ in range(rng.randint(2, 4))) for _ in range(rng.randint(8, 14))]
    lines = [outlet, *NAV[:2], f"Talks update {number}: {rng.choice(TOPICS)} in {rng.choice(PLACES)}"]
    lines.append(f"By {rng.choice(PEOPLE)} | {published:%B} {published.day}, {published.year}")
    for i, paragraph in enumerate(paragraphs):
        lines.append(paragraph)
        if i == 4:
            lines.append("Advertisement")
    lines += [f"Sign up for the {outlet} newsletter", f"© {published.year} {outlet}. All rights reserved."]
    return "\n\n".join(lines) + "\n"


def write_corpus(folder: Path, count: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        (folder / f"{number:06d}.txt").write_text(article(rng, number), encoding="utf-8")
    return folder


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    write_corpus(args.folder, args.count)
