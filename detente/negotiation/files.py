"""Reading and writing negotiation files: our YAML format here, KTAB's SMP CSV in ktab.py.

A negotiation file is typed by hand, so its errors must be easy to fix: every
problem names the file, the line and the field ("negotiation.yaml line 12,
issues[0].positions.russia: position 140 is outside the 0–100 scale"), and
all problems of a file are reported at once rather than one per run. Line
numbers come from the YAML node tree (`yaml.compose`), which keeps a mark on
every node that the plain loader throws away.

Every number read keeps its origin in `Estimate.source` ("file:line"), and the
writer puts a value's source back as a `# source:` comment, so a draft made
from extracted stances still says where each number came from after a person
edits it.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from detente.negotiation.model import (
    PARTICIPATION,
    ROLES,
    CandidateList,
    Conference,
    DraftInfo,
    Estimate,
    Issue,
    Negotiation,
    NegotiationActor,
    SeriesPoint,
    VotingBody,
)

SCALE_LOW = 0.0
SCALE_HIGH = 100.0
SALIENCE_LOW = 0.0
SALIENCE_HIGH = 100.0

_TOP_FIELDS = ("name", "description", "actors", "issues", "bodies", "candidate_lists", "conferences", "draft")
_ACTOR_FIELDS = ("id", "name", "capability", "description", "role", "backs")
_ISSUE_FIELDS = ("id", "name", "scale", "status_quo", "positions", "salience", "description", "thresholds", "series")
_BODY_FIELDS = ("id", "name", "quota", "weights", "members", "vetoes", "requires", "description", "names")
_LIST_FIELDS = ("id", "name", "candidates", "vetoes", "description", "parties")
_CONFERENCE_FIELDS = ("id", "name", "date", "place", "participants")
_ESTIMATE_FIELDS = ("low", "likely", "high")

Path_ = tuple  # a field's path: ("issues", 0, "positions", "russia")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, located so a person can go straight to it."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file} line {self.line}" if self.line else self.file
        return f"{where}, {self.field}: {self.message}" if self.field else f"{where}: {self.message}"

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "field": self.field, "message": self.message}


class NegotiationFileError(ValueError):
    """A negotiation file that cannot be used; `problems` lists every fault found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


# -- public entry points ------------------------------------------------------


def load_negotiation(path: str | Path) -> Negotiation:
    """Read a negotiation from a YAML file, or from a KTAB SMP CSV file (by its suffix)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise NegotiationFileError([Problem(str(path), None, "", "no such file; check the path")]) from None
    except (OSError, UnicodeDecodeError) as err:
        raise NegotiationFileError([Problem(str(path), None, "", f"cannot be read ({err}); save it as UTF-8 text")]) from None
    if path.suffix.lower() == ".csv":
        from detente.negotiation.ktab import parse_ktab_csv  # ktab.py builds on this module's problems

        negotiation = parse_ktab_csv(text, str(path))
    else:
        negotiation = parse_negotiation_yaml(text, str(path))
    negotiation.source = str(path)
    return negotiation


def parse_negotiation_yaml(text: str, file: str = "<text>") -> Negotiation:
    """Build a negotiation from YAML text; raise NegotiationFileError listing every problem."""
    reader = _Reader(file)
    data = reader.read_yaml(text)
    negotiation = reader.negotiation(data)
    if reader.problems:
        raise NegotiationFileError(reader.problems)
    return negotiation


def dump_negotiation(negotiation: Negotiation) -> str:
    """The negotiation as our YAML format; each value's `source` becomes a `# source:` comment."""
    return _Writer().document(negotiation)


def write_negotiation(negotiation: Negotiation, path: str | Path) -> None:
    Path(path).write_text(dump_negotiation(negotiation), encoding="utf-8")


def estimate_as_dict(estimate: Estimate) -> dict:
    """An estimate for JSON output: always the same keys, so readers need no special case for points."""
    return {"likely": estimate.likely, "low": estimate.lower, "high": estimate.upper, "source": estimate.source}


def negotiation_as_dict(negotiation: Negotiation) -> dict:
    """The negotiation as plain JSON-ready data, in the shape of the YAML format, with sources."""
    return {
        "name": negotiation.name,
        "description": negotiation.description,
        "draft": None if negotiation.draft is None else {"from": negotiation.draft.made_from, "notes": list(negotiation.draft.notes)},
        "actors": [
            {"id": a.id, "name": a.name, "description": a.description, "capability": estimate_as_dict(a.capability),
             "role": a.role, "backs": list(a.backs), "role_source": a.role_source}
            for a in negotiation.actors.values()
        ],
        "issues": [
            {
                "id": i.id, "name": i.name, "description": i.description,
                "scale": {"0": i.low_label, "100": i.high_label}, "status_quo": i.status_quo,
                "positions": {a: estimate_as_dict(e) for a, e in i.positions.items()},
                "salience": {a: estimate_as_dict(e) for a, e in i.saliences.items()},
                "thresholds": {a: estimate_as_dict(e) for a, e in i.thresholds.items()},
                "series": {a: [{"date": p.date, "value": p.value, "source": p.source} for p in points]
                           for a, points in i.series.items()},
            }
            for i in negotiation.issues.values()
        ],
        "bodies": [
            {"id": b.id, "name": b.name, "quota": b.quota, "weights": dict(b.weights),
             "vetoes": list(b.vetoes), "requires": list(b.requires), "names": dict(b.member_names),
             "sources": dict(b.sources), "description": b.description}
            for b in negotiation.bodies.values()
        ],
        "candidate_lists": [
            {"id": c.id, "name": c.name, "candidates": list(c.candidates), "vetoes": {k: list(v) for k, v in c.vetoes.items()},
             "parties": list(c.parties), "source": c.source}
            for c in negotiation.candidate_lists.values()
        ],
        "conferences": [
            {"id": c.id, "name": c.name, "date": c.date, "place": c.place,
             "participants": {a: list(e) for a, e in c.participants.items()}, "sources": dict(c.sources)}
            for c in negotiation.conferences.values()
        ],
    }


# -- YAML with line numbers ---------------------------------------------------


class _Reader:
    """Turns a YAML node tree into a Negotiation, collecting problems with their lines."""

    def __init__(self, file: str):
        self.file = file
        self.lines: dict[Path_, int] = {}
        self.problems: list[Problem] = []
        self._constructor = yaml.constructor.SafeConstructor()

    # ---- generic plumbing

    def problem(self, path: Path_, message: str) -> None:
        self.problems.append(Problem(self.file, self.line(path), _field(path), message))

    def line(self, path: Path_) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())

    def read_yaml(self, text: str) -> Any:
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as err:
            mark = err.problem_mark or err.context_mark
            line = mark.line + 1 if mark else None
            self.problems.append(Problem(self.file, line, "", f"not valid YAML: {err.problem or err}"))
            return None
        except yaml.YAMLError as err:
            self.problems.append(Problem(self.file, None, "", f"not valid YAML: {err}"))
            return None
        if node is None:
            self.problems.append(Problem(self.file, None, "", "the file is empty; see docs/negotiation.md for the format"))
            return None
        return self._build(node, ())

    def _build(self, node: yaml.Node, path: Path_) -> Any:
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            result: dict = {}
            for key_node, value_node in node.value:
                key = self._scalar(key_node)
                if isinstance(key, (dict, list)):
                    self.problems.append(Problem(self.file, key_node.start_mark.line + 1, _field(path), "a key must be a plain name"))
                    continue
                if key in result:
                    self.lines[path + (key,)] = key_node.start_mark.line + 1
                    self.problem(path + (key,), f"{key!r} is given twice; keep one")
                    continue
                result[key] = self._build(value_node, path + (key,))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self._build(item, path + (i,)) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _scalar(self, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            return [] if isinstance(node, yaml.SequenceNode) else {}  # not usable as a key; reported by the caller
        try:
            return self._constructor.construct_object(node, deep=True)
        except yaml.YAMLError:
            return node.value

    def mapping(self, value: Any, path: Path_, what: str) -> dict | None:
        if isinstance(value, dict):
            return value
        self.problem(path, f"{what} must be a mapping (key: value lines), got {_kind(value)}")
        return None

    def sequence(self, value: Any, path: Path_, what: str) -> list:
        if value is None:
            return []
        if isinstance(value, list):
            return value
        self.problem(path, f"{what} must be a list (lines starting with '-'), got {_kind(value)}")
        return []

    def text(self, value: Any, path: Path_, what: str, required: bool = True) -> str | None:
        if value is None:
            if required:
                self.problem(path, f"{what} is missing")
            return None
        if isinstance(value, bool) or isinstance(value, (dict, list)):
            self.problem(path, f"{what} must be text, got {_kind(value)}")
            return None
        return str(value)

    def number(self, value: Any, path: Path_, what: str) -> float | None:
        number = _as_number(value)
        if number is None:
            self.problem(path, f"{what} must be a number, got {_kind(value)}")
        return number

    def unknown_fields(self, data: dict, allowed: tuple[str, ...], path: Path_) -> None:
        for key in data:
            if key not in allowed:
                hint = difflib.get_close_matches(str(key), allowed, n=1)
                suggestion = f"did you mean {hint[0]!r}?" if hint else f"expected one of: {', '.join(allowed)}"
                self.problem(path + (key,), f"unknown field {key!r}; {suggestion}")

    def estimate(self, value: Any, path: Path_, what: str, low: float | None, high: float | None) -> Estimate | None:
        """A number or a {low, likely, high} range, checked against [low, high] when given."""
        source = f"{self.file}:{self.line(path)}"
        if isinstance(value, dict):
            self.unknown_fields(value, _ESTIMATE_FIELDS, path)
            parts = {k: self.number(value[k], path + (k,), f"{what} {k}") for k in _ESTIMATE_FIELDS if k in value}
            if any(v is None for v in parts.values()):
                return None
            if "low" not in parts or "high" not in parts:
                if "likely" in parts and len(parts) == 1:
                    parts["low"] = parts["high"] = parts["likely"]
                else:
                    self.problem(path, f"a {what} range needs both low and high (and optionally likely)")
                    return None
            lo, hi = parts["low"], parts["high"]
            likely = parts.get("likely", (lo + hi) / 2)
            if not lo <= likely <= hi:
                self.problem(path, f"{what} range must have low ≤ likely ≤ high, got {_fmt(lo)}, {_fmt(likely)}, {_fmt(hi)}")
                return None
            estimate = Estimate(likely=likely, low=lo, high=hi, source=source)
        else:
            number = self.number(value, path, what)
            if number is None:
                return None
            estimate = Estimate(likely=number, source=source)
        for bound_value in {estimate.lower, estimate.likely, estimate.upper}:
            if (low is not None and bound_value < low) or (high is not None and bound_value > high):
                self.problem(path, _outside(what, bound_value, low, high))
                return None
        return estimate

    # ---- the format itself

    def negotiation(self, data: Any) -> Negotiation:
        empty = Negotiation(name=self.file, actors={}, issues={})
        if data is None:
            return empty
        top = self.mapping(data, (), "the file")
        if top is None:
            return empty
        self.unknown_fields(top, _TOP_FIELDS, ())
        name = self.text(top.get("name"), ("name",), "the negotiation's name `name:`")
        description = self.text(top.get("description"), ("description",), "description", required=False)
        actors = self.actors(top.get("actors"))
        issues = self.issues(top.get("issues"), actors)
        bodies = self.bodies(top.get("bodies"))
        lists = self.candidate_lists(top.get("candidate_lists"), actors)
        conferences = self.conferences(top.get("conferences"), actors)
        return Negotiation(
            name=name or self.file, actors=actors, issues=issues, bodies=bodies,
            candidate_lists=lists, description=description, conferences=conferences,
            draft=(draft := self.draft_info(top.get("draft"))), notes=_draft_notes(draft),
        )

    # ---- what a drafted file adds (all optional, so hand-written files need none of it)

    def draft_info(self, value: Any) -> DraftInfo | None:
        if value is None:
            return None
        item = self.mapping(value, ("draft",), "draft")
        if item is None:
            return None
        self.unknown_fields(item, ("from", "notes"), ("draft",))
        made_from = self.text(item.get("from", "a store"), ("draft", "from"), "draft.from") or "a store"
        notes = [self.text(n, ("draft", "notes", i), "note") or "" for i, n in
                 enumerate(self.sequence(item.get("notes"), ("draft", "notes"), "notes"))]
        return DraftInfo(made_from=made_from, notes=[n for n in notes if n])

    def role(self, item: dict, path: Path_, actors_known: None = None) -> tuple[str | None, list[str]]:
        role = self.text(item.get("role"), path + ("role",), "role", required=False)
        if role is not None and role not in ROLES:
            self.problem(path + ("role",), f"role must be one of {', '.join(ROLES)}, got {role!r}")
            role = None
        backs = [self.text(b, path + ("backs", i), "backed actor") or "" for i, b in
                 enumerate(self.sequence(item.get("backs"), path + ("backs",), "backs"))]
        return role, [b for b in backs if b]

    def thresholds(self, item: dict, path: Path_, actors: dict) -> dict[str, Estimate]:
        return self.actor_values(item.get("thresholds"), path + ("thresholds",), actors, "threshold", SCALE_LOW, SCALE_HIGH)

    def series(self, item: dict, path: Path_, actors: dict) -> dict[str, list[SeriesPoint]]:
        out: dict[str, list[SeriesPoint]] = {}
        mapping = self.mapping(item["series"], path + ("series",), "series") if item.get("series") is not None else None
        for actor, points in (mapping or {}).items():
            where = path + ("series", str(actor))
            if str(actor) not in actors:
                self.problem(where, _unknown("actor", str(actor), actors))
                continue
            for i, point in enumerate(self.sequence(points, where, "series")):
                entry = self.mapping(point, where + (i,), "a series point {date, value}")
                value = self.number(entry.get("value"), where + (i, "value"), "value") if entry else None
                if entry is None or value is None:
                    continue
                date = self.text(entry.get("date"), where + (i, "date"), "date", required=False)
                out.setdefault(str(actor), []).append(SeriesPoint(date, value, f"{self.file}:{self.line(where + (i,))}"))
        return out

    def conferences(self, value: Any, actors: dict) -> dict[str, Conference]:
        out: dict[str, Conference] = {}
        for _, path, item, ident in self._entries(value, "conferences", _CONFERENCE_FIELDS, "conference", set()):
            conference = Conference(
                id=ident, name=self.text(item.get("name", ident), path + ("name",), "the conference's name") or ident,
                date=self.text(item.get("date"), path + ("date",), "date", required=False),
                place=self.text(item.get("place"), path + ("place",), "place", required=False),
            )
            participants = self.mapping(item.get("participants") or {}, path + ("participants",), "participants") or {}
            for actor, entries in participants.items():
                where = path + ("participants", str(actor))
                listed = [entries] if isinstance(entries, str) else self.sequence(entries, where, "entries")
                bad = [e for e in listed if e not in PARTICIPATION]
                if bad:
                    self.problem(where, f"participation must be among {', '.join(PARTICIPATION)}, got {bad[0]!r}")
                    continue
                conference.participants[str(actor)] = [str(e) for e in listed]
                conference.sources.update({f"{actor}:{e}": f"{self.file}:{self.line(where)}" for e in listed})
            out[ident] = conference
        return out

    def _entries(self, value: Any, key: str, allowed: tuple[str, ...], what: str, seen: set[str]):
        """Yield (index, path, mapping, id) for each well-formed entry of a top-level list."""
        for index, entry in enumerate(self.sequence(value, (key,), key)):
            path = (key, index)
            item = self.mapping(entry, path, f"each {what}")
            if item is None:
                continue
            self.unknown_fields(item, allowed, path)
            ident = self.text(item.get("id"), path + ("id",), f"the {what}'s id")
            if ident is None:
                continue
            if ident in seen:
                self.problem(path + ("id",), f"{what} id {ident!r} is used twice; ids must be unique")
                continue
            seen.add(ident)
            yield index, path, item, ident

    def actors(self, value: Any) -> dict[str, NegotiationActor]:
        actors: dict[str, NegotiationActor] = {}
        for _, path, item, ident in self._entries(value, "actors", _ACTOR_FIELDS, "actor", set()):
            name = self.text(item.get("name", ident), path + ("name",), "the actor's name") or ident
            if "capability" not in item:
                self.problem(path, f"actor {ident!r} needs a capability: a number or {{low, likely, high}}")
                continue
            capability = self.estimate(item["capability"], path + ("capability",), "capability", 0.0, None)
            if capability is None:
                continue
            description = self.text(item.get("description"), path + ("description",), "description", required=False)
            role, backs = self.role(item, path)
            actors[ident] = NegotiationActor(id=ident, name=name, capability=capability, description=description,
                                             role=role, backs=backs)
        return actors

    def issues(self, value: Any, actors: dict[str, NegotiationActor]) -> dict[str, Issue]:
        issues: dict[str, Issue] = {}
        for _, path, item, ident in self._entries(value, "issues", _ISSUE_FIELDS, "issue", set()):
            low_label, high_label = self.scale(item.get("scale"), path + ("scale",))
            status_quo = None
            if item.get("status_quo") is not None:
                sq = self.number(item["status_quo"], path + ("status_quo",), "status_quo")
                if sq is not None and not SCALE_LOW <= sq <= SCALE_HIGH:
                    self.problem(path + ("status_quo",), _outside("status quo", sq, SCALE_LOW, SCALE_HIGH))
                else:
                    status_quo = sq
            positions = self.actor_values(item.get("positions"), path + ("positions",), actors, "position", SCALE_LOW, SCALE_HIGH)
            saliences = self.actor_values(item.get("salience"), path + ("salience",), actors, "salience", SALIENCE_LOW, SALIENCE_HIGH)
            self.pair_positions(item, path, actors)
            name = self.text(item.get("name", ident), path + ("name",), "the issue's name") or ident
            description = self.text(item.get("description"), path + ("description",), "description", required=False)
            issues[ident] = Issue(
                id=ident, name=name, low_label=low_label or "", high_label=high_label or "",
                status_quo=status_quo, positions=positions, saliences=saliences, description=description,
                thresholds=self.thresholds(item, path, actors), series=self.series(item, path, actors),
            )
        return issues

    def pair_positions(self, item: dict, path: Path_, actors: dict) -> None:
        """Each actor on an issue needs both a position and a salience."""
        given = {key: {str(a) for a in item[key]} & actors.keys() if isinstance(item.get(key), dict) else set()
                 for key in ("positions", "salience")}
        for actor in sorted(given["positions"] - given["salience"]):
            self.problem(path + ("positions", actor), f"{actor!r} has a position but no salience; add `{actor}: <0–100>` under salience")
        for actor in sorted(given["salience"] - given["positions"]):
            self.problem(path + ("salience", actor), f"{actor!r} has a salience but no position on this issue")

    def scale(self, value: Any, path: Path_) -> tuple[str | None, str | None]:
        example = "e.g. scale: {0: Assad keeps full powers, 100: Assad leaves}"
        if value is None:
            self.problem(path, f"the issue needs a scale saying what 0 and 100 mean, {example}")
            return None, None
        scale = self.mapping(value, path, "scale")
        if scale is None:
            return None, None
        ends = {_as_number(k): v for k, v in scale.items()}
        if set(ends) != {SCALE_LOW, SCALE_HIGH}:
            self.problem(path, f"the scale must label exactly its two ends, 0 and 100, {example}")
            return None, None
        low = self.text(ends[SCALE_LOW], path, "the label of 0")
        high = self.text(ends[SCALE_HIGH], path, "the label of 100")
        return low, high

    def actor_values(self, value: Any, path: Path_, actors: dict, what: str, low: float, high: float) -> dict[str, Estimate]:
        values: dict[str, Estimate] = {}
        if value is None:
            return values
        mapping = self.mapping(value, path, f"{what}s")
        if mapping is None:
            return values
        for actor, raw in mapping.items():
            actor = str(actor)
            if actor not in actors:
                self.problem(path + (actor,), _unknown("actor", actor, actors))
                continue
            estimate = self.estimate(raw, path + (actor,), what, low, high)
            if estimate is not None:
                values[actor] = estimate
        return values

    def bodies(self, value: Any) -> dict[str, VotingBody]:
        bodies: dict[str, VotingBody] = {}
        entries = list(self._entries(value, "bodies", _BODY_FIELDS, "body", set()))
        declared = {ident for *_, ident in entries}
        for _, path, item, ident in entries:
            weights = self.body_weights(item, path)
            quota = None
            if "quota" not in item:
                self.problem(path, f"body {ident!r} needs a quota: the weight a coalition needs to win")
            else:
                quota = self.number(item["quota"], path + ("quota",), "quota")
                if quota is not None and quota <= 0:
                    self.problem(path + ("quota",), f"quota must be above 0, got {_fmt(quota)}")
                    quota = None
            if weights is None or quota is None:
                continue
            total = sum(weights.values())
            if quota > total:
                self.problem(path + ("quota",), f"quota {_fmt(quota)} exceeds the total weight {_fmt(total)}: no coalition could ever win")
                continue
            vetoes = self.id_list(item.get("vetoes"), path + ("vetoes",), "veto holder", weights)
            requires = self.id_list(item.get("requires"), path + ("requires",), "body", declared - {ident}, self_id=ident)
            name = self.text(item.get("name", ident), path + ("name",), "the body's name") or ident
            names = self.mapping(item.get("names") or {}, path + ("names",), "names") or {}
            description = self.text(item.get("description"), path + ("description",), "description", required=False)
            bodies[ident] = VotingBody(id=ident, name=name, weights=weights, quota=quota, vetoes=vetoes, requires=requires,
                                       member_names={str(k): str(v) for k, v in names.items() if k in weights},
                                       description=description)
        self._check_require_cycles(bodies, entries)
        return bodies

    def body_weights(self, item: dict, path: Path_) -> dict[str, float] | None:
        if "weights" in item and "members" in item:
            self.problem(path, "give either weights (member: weight) or members (a list, weight 1 each), not both")
            return None
        if "members" in item:
            members = [self.text(m, path + ("members", i), "member") for i, m in enumerate(self.sequence(item["members"], path + ("members",), "members"))]
            if len(set(members)) != len(members):
                self.problem(path + ("members",), "a member is listed twice")
                return None
            return None if None in members or not members else {m: 1.0 for m in members}
        if "weights" not in item:
            self.problem(path, "a body needs weights (member: weight) or members (a list, weight 1 each)")
            return None
        mapping = self.mapping(item["weights"], path + ("weights",), "weights")
        if mapping is None:
            return None
        weights: dict[str, float] = {}
        for member, raw in mapping.items():
            weight = self.number(raw, path + ("weights", member), "weight")
            if weight is None:
                continue
            if weight < 0:
                self.problem(path + ("weights", member), f"weight must be 0 or more, got {_fmt(weight)}")
                continue
            weights[str(member)] = weight
        if not weights:
            self.problem(path + ("weights",), "a body needs at least one member")
            return None
        return weights if len(weights) == len(mapping) else None

    def id_list(self, value: Any, path: Path_, what: str, known: Iterable[str], self_id: str | None = None) -> list[str]:
        known = set(known)
        result: list[str] = []
        for i, raw in enumerate(self.sequence(value, path, f"{what}s")):
            ident = self.text(raw, path + (i,), what)
            if ident is None:
                continue
            if ident == self_id:
                self.problem(path + (i,), "a body cannot require itself")
            elif ident not in known:
                self.problem(path + (i,), _unknown(what, ident, known))
            elif ident in result:
                self.problem(path + (i,), f"{ident!r} is listed twice")
            else:
                result.append(ident)
        return result

    def _check_require_cycles(self, bodies: dict[str, VotingBody], entries: list) -> None:
        paths = {ident: path for _, path, _, ident in entries}

        def reaches(start: str, target: str, seen: set[str]) -> bool:
            for nxt in bodies.get(start, VotingBody("", "", {}, 1)).requires:
                if nxt == target or (nxt not in seen and reaches(nxt, target, seen | {nxt})):
                    return True
            return False

        for ident in bodies:
            if reaches(ident, ident, {ident}):
                self.problem(paths[ident] + ("requires",), f"body {ident!r} requires itself through other bodies; break the loop")

    def candidate_lists(self, value: Any, actors: dict | None = None) -> dict[str, CandidateList]:
        lists: dict[str, CandidateList] = {}
        for _, path, item, ident in self._entries(value, "candidate_lists", _LIST_FIELDS, "candidate list", set()):
            raw = self.sequence(item.get("candidates"), path + ("candidates",), "candidates")
            candidates = [self.text(c, path + ("candidates", i), "candidate") for i, c in enumerate(raw)]
            parties = self.id_list(item.get("parties"), path + ("parties",), "party", actors or {})
            if not candidates and parties:  # a veto over names not yet known: kept for the reviewer to fill in
                name = self.text(item.get("name", ident), path + ("name",), "the list's name") or ident
                lists[ident] = CandidateList(id=ident, name=name, candidates=[], parties=parties)
                continue
            if not candidates:
                self.problem(path, f"candidate list {ident!r} needs candidates: [..]")
                continue
            if None in candidates:
                continue
            if len(set(candidates)) != len(candidates):
                self.problem(path + ("candidates",), "a candidate is listed twice")
                continue
            vetoes: dict[str, list[str]] = {}
            veto_map = self.mapping(item.get("vetoes") or {}, path + ("vetoes",), "vetoes") or {}
            for party, struck in veto_map.items():
                vetoes[str(party)] = self.id_list(struck, path + ("vetoes", party), "candidate", candidates)
            name = self.text(item.get("name", ident), path + ("name",), "the list's name") or ident
            lists[ident] = CandidateList(id=ident, name=name, candidates=candidates, vetoes=vetoes, parties=parties)
        return lists


# -- writing ----------------------------------------------------------------------


class _Writer:
    """Emits our YAML by hand, because PyYAML cannot write comments."""

    def document(self, negotiation: Negotiation) -> str:
        out = [f"name: {_scalar(negotiation.name)}"]
        if negotiation.description:
            out.append(f"description: {_scalar(negotiation.description)}")
        if negotiation.draft is not None:
            out.append("draft:")
            out.append(f"  from: {_scalar(negotiation.draft.made_from)}")
            if negotiation.draft.notes:
                out.append("  notes:")
                out.extend(f"    - {_scalar(note)}" for note in negotiation.draft.notes)
        out.append("actors:" if negotiation.actors else "actors: []")
        for actor in negotiation.actors.values():
            out.append(f"  - id: {_scalar(actor.id)}")
            out.append(f"    name: {_scalar(actor.name)}")
            if actor.description:
                out.append(f"    description: {_scalar(actor.description)}")
            if actor.role:
                out.append(f"    role: {_scalar(actor.role)}" + _comment(actor.role_source))
            if actor.backs:
                out.append(f"    backs: {_flow_list(actor.backs)}")
            out.append(f"    capability: {self.estimate(actor.capability)}")
        out.append("issues:" if negotiation.issues else "issues: []")
        for issue in negotiation.issues.values():
            out.append(f"  - id: {_scalar(issue.id)}")
            out.append(f"    name: {_scalar(issue.name)}")
            if issue.description:
                out.append(f"    description: {_scalar(issue.description)}")
            out.append("    scale:")
            out.append(f"      0: {_scalar(issue.low_label)}")
            out.append(f"      100: {_scalar(issue.high_label)}")
            if issue.status_quo is not None:
                out.append(f"    status_quo: {_number(issue.status_quo)}")
            out.extend(self.values("positions", issue.positions))
            out.extend(self.values("salience", issue.saliences))
            if issue.thresholds:
                out.extend(self.values("thresholds", issue.thresholds))
            if issue.series:
                out.append("    series:")
                for actor, points in issue.series.items():
                    out.append(f"      {_scalar(actor)}:")
                    out.extend(f"        - {{date: {_scalar(p.date)}, value: {_number(p.value)}}}" + _comment(p.source)
                               for p in points)
        if negotiation.bodies:
            out.append("bodies:")
            for body in negotiation.bodies.values():
                out.append(f"  - id: {_scalar(body.id)}")
                out.append(f"    name: {_scalar(body.name)}")
                if body.description:
                    out.append(f"    description: {_scalar(body.description)}")
                out.append(f"    quota: {_number(body.quota)}" + _comment(body.sources.get("quota")))
                if any(body.sources.get(m) for m in body.weights):
                    out.append("    weights:")
                    out.extend(f"      {_scalar(m)}: {_number(w)}" + _comment(body.sources.get(m)) for m, w in body.weights.items())
                else:
                    out.append("    weights: {" + ", ".join(f"{_scalar(m)}: {_number(w)}" for m, w in body.weights.items()) + "}")
                if body.member_names:
                    out.append("    names: {" + ", ".join(f"{_scalar(m)}: {_scalar(n)}" for m, n in body.member_names.items()) + "}")
                if body.vetoes:
                    out.append(f"    vetoes: {_flow_list(body.vetoes)}")
                if body.requires:
                    out.append(f"    requires: {_flow_list(body.requires)}")
        if negotiation.candidate_lists:
            out.append("candidate_lists:")
            for clist in negotiation.candidate_lists.values():
                out.append(f"  - id: {_scalar(clist.id)}")
                out.append(f"    name: {_scalar(clist.name)}" + _comment(clist.source))
                out.append(f"    candidates: {_flow_list(clist.candidates)}")
                if clist.parties:
                    out.append(f"    parties: {_flow_list(clist.parties)}")
                if clist.vetoes:
                    out.append("    vetoes:")
                    for party, struck in clist.vetoes.items():
                        out.append(f"      {_scalar(party)}: {_flow_list(struck)}")
        if negotiation.conferences:
            out.append("conferences:")
            for conference in negotiation.conferences.values():
                out.append(f"  - id: {_scalar(conference.id)}")
                out.append(f"    name: {_scalar(conference.name)}")
                for key in ("date", "place"):
                    if getattr(conference, key):
                        out.append(f"    {key}: {_scalar(getattr(conference, key))}")
                out.append("    participants:")
                for actor, entries in conference.participants.items():
                    sources = "; ".join(conference.sources[f"{actor}:{e}"] for e in entries if f"{actor}:{e}" in conference.sources)
                    out.append(f"      {_scalar(actor)}: {_flow_list(entries)}" + _comment(sources))
        return "\n".join(out) + "\n"

    def values(self, key: str, values: dict[str, Estimate]) -> list[str]:
        if not values:
            return [f"    {key}: {{}}"]
        return [f"    {key}:"] + [f"      {_scalar(actor)}: {self.estimate(e)}" for actor, e in values.items()]

    def estimate(self, estimate: Estimate) -> str:
        if estimate.is_range:
            text = f"{{low: {_number(estimate.lower)}, likely: {_number(estimate.likely)}, high: {_number(estimate.upper)}}}"
        else:
            text = _number(estimate.likely)
        if estimate.source:
            text += f"  # source: {_one_line(estimate.source)}"
        return text


# -- small helpers ------------------------------------------------------------------


def _field(path: Path_) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        try:
            number = float(str(value).strip())
        except ValueError:
            return None
    return number if math.isfinite(number) else None


def _fmt(value: float) -> str:
    return f"{value:g}"


def _outside(what: str, value: float, low: float | None, high: float | None) -> str:
    if high is None:
        return f"{what} {_fmt(value)} must be {_fmt(low)} or more"
    scale = "scale" if what in ("position", "status quo") else "range"
    return f"{what} {_fmt(value)} is outside the {_fmt(low)}–{_fmt(high)} {scale}"


def _unknown(what: str, ident: str, known: Iterable[str]) -> str:
    known = sorted(known)
    hint = difflib.get_close_matches(ident, known, n=1)
    if hint:
        return f"unknown {what} {ident!r}; did you mean {hint[0]!r}?"
    if not known:
        return f"unknown {what} {ident!r}; none are declared"
    shown = ", ".join(known[:8]) + (", …" if len(known) > 8 else "")
    return f"unknown {what} {ident!r}; declared: {shown}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _scalar(value: Any) -> str:
    """A YAML scalar that reads back as the same value (quoted when it must be)."""
    return yaml.safe_dump([value], default_flow_style=True, width=10**9, allow_unicode=True).strip()[1:-1]


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))


def _flow_list(items: Iterable[str]) -> str:
    return "[" + ", ".join(_scalar(i) for i in items) + "]"


def _draft_notes(draft: DraftInfo | None) -> list[str]:
    """A drafted file says so wherever it is read (the model commands print notes to stderr)."""
    if draft is None:
        return []
    return [f"Draft: drafted by detente from {draft.made_from}; review its numbers (each has a `# source:` comment) "
            "before relying on the forecasts."]


def _comment(source: str | None) -> str:
    return f"  # source: {_one_line(source)}" if source else ""


def _one_line(text: str) -> str:
    return " ".join(text.split())
