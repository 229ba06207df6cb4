"""Issues from stance targets: one question per issue, positions with their series, conditions as thresholds.

- *One issue, one question*: targets whose distinctive words are a subset
  of another's ("Khatib initiative" and "Moaz al-Khatib's initiative") are
  one issue; words every conflict shares ("talks", "peace", "initiative")
  do not count. An actor as a target ("supports the government") is
  backing, handled with the parties, not an issue.
- *Positions*: each issue runs from "opposed" (0) to "in favour" (100);
  an actor's position is its latest stance (support 80, support with a
  condition 60, opposition 20) and the earlier stances are kept as its
  series, oldest first, with a range when they disagree.
- *Thresholds*: a condition that states another issue ("no talks unless
  Assad leaves" states Assad's departure) becomes the actor's threshold on
  that issue: the end of its scale the condition demands, with the stance as
  source; the actor also gets that position there if it took none.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace

from detente.negotiation.drafting.facts import StanceRow, StoreFacts
from detente.negotiation.model import Estimate, Issue, SeriesPoint
from detente.nlp.stances.targets import TargetRegistry, content_words

POLARITY_POSITIONS = {"support": 80.0, "condition": 60.0, "oppose": 20.0}
THRESHOLD_FOR = {False: 100.0, True: 0.0}  # the condition states the target (100) or its reverse (0)
MAX_ISSUES = 10


RESOLVE_SCORE = 0.8  # how surely an open target's name must read as a registered one to join it


def resolve_open_targets(facts: StoreFacts, targets: TargetRegistry) -> list[str]:
    """Stances on a target nobody registered whose name the registry reads as a registered target join it.

    Extraction leaves "peace talks in Moscow" open when its report has no date
    to check the registered target's window against; the draft reads the name
    again, undated or within the window, so one question is one issue. Returns
    notes naming each joining.
    """
    notes: list[str] = []
    joined: dict[tuple[str, str], list[int]] = {}
    for k, stance in enumerate(facts.stances):
        if stance.target in targets or stance.target in facts.actors:
            continue
        match = targets.match(stance.target_name or stance.target.replace("-", " "), stance.date)
        if match is None or match.reverse or not match.distinctive or match.score < RESOLVE_SCORE:
            continue
        registered = targets.get(match.id)
        if registered is None:
            continue
        facts.stances[k] = replace(stance, target=registered.id, target_name=registered.name)
        joined.setdefault((stance.target_name or stance.target, registered.name), []).append(stance.id)
    for (old, new), ids in sorted(joined.items()):
        notes.append(f"“{old}” read as {new} (stances {', '.join(map(str, ids))}).")
    return notes


def group_targets(stances: list[StanceRow], targets: TargetRegistry) -> dict[str, list[StanceRow]]:
    """Stances by issue: a target joins another whose distinctive words include all of its own."""
    by_target: dict[str, list[StanceRow]] = defaultdict(list)
    for stance in stances:
        by_target[stance.target].append(stance)
    common = targets.common_vocabulary() if hasattr(targets, "common_vocabulary") else frozenset()
    distinct = {t: set(content_words(rows[0].target_name or t.replace("-", " "))) - common for t, rows in by_target.items()}
    order = sorted(by_target, key=lambda t: (-len(by_target[t]), t))
    merged: dict[str, list[StanceRow]] = {}
    for target in order:
        home = next((m for m in merged if distinct[target] and distinct[m] and not (target in targets and m in targets)
                     and (distinct[target] <= distinct[m] or distinct[m] <= distinct[target])), None)
        if home is None:
            merged[target] = list(by_target[target])
        else:
            merged[home] += by_target[target]
    return merged


def draft_issues(facts: StoreFacts, targets: TargetRegistry) -> tuple[dict[str, Issue], list[str]]:
    """Issues where two or more actors took a position (a model needs two), the most discussed first."""
    stances = [s for s in facts.stances if s.polarity in POLARITY_POSITIONS and s.target not in facts.actors]
    groups = group_targets(stances, targets)
    issues: dict[str, Issue] = {}
    weight: dict[str, int] = {}
    for target in sorted(groups, key=lambda t: (-len(groups[t]), t)):
        issue = _issue(facts, target, groups[target])
        issue.id = _unique(_slug(target) or "issue", set(issues))
        issues[issue.id] = issue
        weight[issue.id] = len(groups[target])
    _thresholds(facts, issues, stances, targets)
    lonely = [i for i in issues if len(issues[i].positions) < 2]
    chosen = sorted((i for i in issues if i not in lonely), key=lambda i: (-weight[i], i))[:MAX_ISSUES]
    notes = []
    if lonely:
        notes.append(f"{len(lonely)} target(s) with a stance by only one actor were left out: "
                     + ", ".join(issues[i].name for i in sorted(lonely)) + ".")
    if len(issues) - len(lonely) > len(chosen):
        notes.append(f"{len(issues) - len(lonely) - len(chosen)} less frequent target(s) were left out (at most {MAX_ISSUES} issues).")
    return {i: issues[i] for i in chosen}, notes


def _issue(facts: StoreFacts, target: str, rows: list[StanceRow]) -> Issue:
    per_actor: dict[str, list[StanceRow]] = defaultdict(list)
    for row in rows:
        per_actor[row.actor].append(row)
    name = next((r.target_name for r in rows if r.target == target and r.target_name), None) or _readable(target)
    issue = Issue(id=target, name=name, low_label=f"opposed to {name}", high_label=f"in favour of {name}")
    merged = sorted({r.target_name or r.target for r in rows} - {name})
    if merged:
        issue.description = "Also named: " + "; ".join(merged)
    for actor in sorted(per_actor):
        stances = sorted(per_actor[actor], key=lambda r: (r.date or "", r.id))
        values = [POLARITY_POSITIONS[r.polarity] for r in stances]
        low, high = min(values), max(values)
        latest = stances[-1]
        ids = ", ".join(str(r.id) for r in stances)
        plural = "s" if len(stances) > 1 else ""
        issue.positions[actor] = Estimate(
            likely=values[-1], low=low if low != high else None, high=high if low != high else None,
            source=f"stance{plural} {ids}; the latest is " + facts.cite("stance", latest) + _condition(latest),
        )
        if len(stances) > 1:
            issue.series[actor] = [SeriesPoint(r.date, POLARITY_POSITIONS[r.polarity], f"stance {r.id}") for r in stances]
        salience = min(90.0, 30.0 + 15.0 * len(stances))
        issue.saliences[actor] = Estimate(likely=salience, source=f"default rule 30 + 15 per stance, at most 90: {len(stances)} stance(s) ({ids})")
    return issue


def _thresholds(facts: StoreFacts, issues: dict[str, Issue], stances: list[StanceRow], targets: TargetRegistry) -> None:
    for stance in stances:
        if stance.polarity != "condition" or not stance.condition:
            continue
        for hit in targets.search(_folded(stance.condition), stance.date):
            issue = issues.get(_slug(hit.id))
            if issue is None or hit.id == stance.target:
                continue
            value = THRESHOLD_FOR[hit.reverse]
            source = f"condition of {facts.cite('stance', stance)}{_condition(stance)}; a precondition is the least it accepts"
            issue.thresholds[stance.actor] = Estimate(likely=value, source=source)
            if stance.actor not in issue.positions:
                issue.positions[stance.actor] = Estimate(likely=value, source=source)
                issue.saliences[stance.actor] = Estimate(likely=90.0, source="default 90: a precondition is salient")
            break


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")


def _unique(ident: str, taken: set[str]) -> str:
    candidate, n = ident, 2
    while candidate in taken:
        candidate, n = f"{ident}-{n}", n + 1
    return candidate


def _folded(text: str) -> str:
    return " ".join(re.sub(r"(?<=\w)\.(?=\s|$)", "", text).lower().replace(".", "").split())


def _condition(stance: StanceRow) -> str:
    return f" [condition: {stance.condition}]" if stance.polarity == "condition" and stance.condition else ""


def _readable(target: str) -> str:
    if re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", target):
        words = target.replace("-", " ")
        return words[0].upper() + words[1:]
    return target
