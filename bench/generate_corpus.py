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


def sentence(rng: random.Random) -> str:
    person, role, place = rng.choice(PEOPLE), rng.choice(ROLES), rng.choice(PLACES)
    topic, verb = rng.choice(TOPICS), rng.choice(VERBS)
    forms = [
        f"{person}, {role}, {verb} {topic} during a meeting in {place} on {rng.choice(['Monday', 'Friday'])}.",
        f'"We cannot accept {topic} without guarantees," {person} told reporters in {place}.',
        f"Delegates in {place} said the talks on {topic} would resume next month after {rng.randint(2, 40)} days of delay.",
        f"According to {role}, {rng.randint(3, 90)} delegations have {verb} {topic} so far this year.",
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
