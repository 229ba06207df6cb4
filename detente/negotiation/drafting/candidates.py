"""Candidate lists with vetoes, from sentences that give the parties a veto over names.

"The plan let each side veto candidates for an interim government" and "a
transitional body formed by mutual consent" both say that every party may
strike any name. The draft makes a candidate list for the post the sentence
names, with the principal parties (the actors patrons back, else the
parties with stances) as veto holders. Reports seldom name the candidates
before a deal; the list then has parties and no names, for the reviewer to
fill in, and its source is the sentence.
"""

from __future__ import annotations

import re

from detente.data_files import load_yaml
from detente.negotiation.drafting.facts import StoreFacts
from detente.negotiation.drafting.parties import ROLES_FILE
from detente.negotiation.model import CandidateList


def veto_patterns() -> tuple[list[re.Pattern], list[str]]:
    """The sentence patterns that give a veto over names, and the cue words a text needs for any to match.

    The cues let a store of thousands of texts skip the ones that cannot match, instead of running every
    pattern over every character.
    """
    raw = load_yaml(ROLES_FILE.read_text(encoding="utf-8"))
    patterns = [re.compile(p, re.IGNORECASE) for p in raw.get("candidate_veto_patterns") or []]
    return patterns, [c.lower() for c in raw.get("candidate_veto_cues") or []]


def draft_candidate_lists(facts: StoreFacts, parties: list[str]) -> dict[str, CandidateList]:
    """One list per post a veto sentence names, with `parties` as veto holders; the sentence is its source."""
    lists: dict[str, CandidateList] = {}
    patterns, cues = veto_patterns()
    for doc in sorted(facts.texts):
        text = facts.texts[doc]
        lowered = text.lower()
        if cues and not any(cue in lowered for cue in cues):
            continue
        for pattern in patterns:
            for match in pattern.finditer(text):
                post = " ".join(match.group("post").split()).rstrip(" -")
                ident = re.sub(r"[^a-z0-9]+", "-", post.lower()).strip("-")
                sentence = facts.sentence(doc, match.start(), match.end())
                source = f"doc {doc}: “{sentence}”"
                if ident in lists:
                    if source not in (lists[ident].source or ""):
                        lists[ident].source = f"{lists[ident].source}; {source}"
                    continue
                lists[ident] = CandidateList(id=ident, name=post[0].upper() + post[1:], candidates=[],
                                             parties=list(parties), source=source)
    return lists
