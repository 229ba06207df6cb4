"""KTAB's SMP CSV, read and written: the file format of KAPSARC's spatial model of politics.

Layout (one scenario per file): row 1 holds the scenario name, a description,
the number of actors and the number of dimensions; row 2 is `Actor,
Description, Power` (or `Influence`) followed by a position and a salience
column per dimension; then one row per actor. Rows often end in a comma.

KTAB means positions on 0–100 and saliences as shares of an actor's attention,
but files in the wild do not always keep to it: KTAB's own sample
`dummyData_3Dim.csv` has a salience of 105.9. Refusing such a file helps
nobody, so the reader rescales instead and says so in `Negotiation.notes`:

- saliences above 100: every salience in the file is multiplied by one factor
  so the largest is 100, which keeps every ratio between actors and issues;
- positions outside 0–100 on a dimension: that dimension is mapped linearly
  from the smallest range that holds both 0–100 and every position, and the
  issue's scale labels name the file's values at its ends.

Every rescaled number keeps the file's value in its `source`. What cannot be
read as a number, a negative power or a negative salience stays an error.

The writer turns any negotiation into this layout; what KTAB cannot hold
(ranges, scale labels, bodies, candidate lists, an actor without a position on
some issue) is reported in notes rather than lost silently.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from detente.negotiation.files import SCALE_HIGH, SCALE_LOW, NegotiationFileError, Problem, _as_number, _fmt, _slug
from detente.negotiation.model import Estimate, Issue, Negotiation, NegotiationActor

KTAB_SALIENCE_TOTAL = 100.0  # KTAB's own reader refuses an actor whose saliences add up to more
UNPLACED_SALIENCE = 0.0  # an actor without a position on an issue is written as not caring about it


@dataclass
class _Row:
    line: int
    ident: str
    label: str  # the Actor cell
    name: str  # the Description cell, or the Actor cell without one
    description: str | None
    power: float
    pairs: list[tuple[float, float]]  # (position, salience) per dimension, as the file has them


# -- reading ------------------------------------------------------------------------


def parse_ktab_csv(text: str, file: str = "<csv>") -> Negotiation:
    """Build a negotiation from KTAB's SMP CSV; values off the 0–100 scales are rescaled with a note."""
    rows = [(n, _trim(r)) for n, r in enumerate(csv.reader(io.StringIO(text)), start=1)]
    rows = [(n, r) for n, r in rows if any(r)]
    if len(rows) < 2:
        raise NegotiationFileError([Problem(file, None, "", "a KTAB CSV needs a scenario row, a header row and actor rows")])
    (scen_line, scenario), (head_line, header) = rows[0], rows[1]
    if len(header) < 5 or (len(header) - 3) % 2:
        raise NegotiationFileError([Problem(
            file, head_line, "header",
            "expected `Actor, Description, Power` then a position and a salience column per dimension",
        )])
    dims = (len(header) - 3) // 2
    problems: list[Problem] = []
    _check_counts(file, scen_line, scenario, len(rows) - 2, dims, problems)
    actor_rows = [r for line, row in rows[2:] if (r := _read_row(file, line, row, header, problems)) is not None]
    seen: set[str] = set()
    for row in actor_rows:
        if row.ident in seen:
            problems.append(Problem(file, row.line, "Actor", f"actor {row.ident!r} is listed twice"))
        seen.add(row.ident)
    if problems:
        raise NegotiationFileError(problems)
    notes: list[str] = []
    salience_factor = _salience_factor(actor_rows, Path(file).name, notes)
    issues = []
    for k in range(dims):
        issue = _issue(header[3 + 2 * k], k)
        low, high = _position_range([row.pairs[k][0] for row in actor_rows], issue, Path(file).name, notes)
        for row in actor_rows:
            position, salience = row.pairs[k]
            source = f"{file}:{row.line}"
            issue.positions[row.ident] = _rescaled(position, (position - low) / (high - low) * 100, source)
            issue.saliences[row.ident] = _rescaled(salience, salience * salience_factor, source)
        issues.append(issue)
    # The Description cell is usually the long name ("XJ, Xi Jinping"); where it repeats ("Random
    # Spatial Actor" on every row) it cannot tell actors apart, so the Actor cell names them.
    described = len({row.name for row in actor_rows}) == len(actor_rows)
    actors = {
        row.ident: NegotiationActor(id=row.ident, name=row.name if described else row.label,
                                    capability=Estimate(likely=row.power, source=f"{file}:{row.line}"),
                                    description=row.description)
        for row in actor_rows
    }
    name = scenario[0] if scenario and scenario[0] else Path(file).stem
    description = scenario[1] if len(scenario) > 1 and scenario[1] else None
    return Negotiation(name=name, actors=actors, issues={i.id: i for i in issues}, description=description, notes=notes)


def _trim(row: list[str]) -> list[str]:
    cells = [c.strip() for c in row]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _issue(header: str, index: int) -> Issue:
    """An issue from a position column's header: "Policy Position" → policy, "Pstn2" → dim2."""
    words = re.sub(r"\b(position|pstn|pos)\b|(position|pstn)(?=\d)", " ", header, flags=re.IGNORECASE).strip()
    ident = _slug(words)
    if not ident or ident.isdigit():
        ident = f"dim{index + 1}"
    name = header.strip() or ident
    return Issue(id=ident, name=name, low_label="0 on the KTAB scale", high_label="100 on the KTAB scale")


def _check_counts(file: str, line: int, scenario: list[str], actors: int, dims: int, problems: list[Problem]) -> None:
    declared = [_as_number(v) for v in scenario[2:4]]
    if len(declared) > 0 and declared[0] is not None and int(declared[0]) != actors:
        problems.append(Problem(file, line, "scenario", f"declares {int(declared[0])} actors but the file lists {actors}; fix the count or the rows"))
    if len(declared) > 1 and declared[1] is not None and int(declared[1]) != dims:
        problems.append(Problem(file, line, "scenario", f"declares {int(declared[1])} dimensions but the header has {dims}"))


def _read_row(file: str, line: int, row: list[str], header: list[str], problems: list[Problem]) -> _Row | None:
    """One actor's row as the file gives it; problems for what no rescaling can mend."""
    if len(row) < len(header):
        problems.append(Problem(file, line, row[0] if row else "row", f"has {len(row)} cells; the header has {len(header)}"))
        return None
    numbers: list[float] = []
    for column in range(2, len(header)):
        value = _as_number(row[column])
        if value is None:
            problems.append(Problem(file, line, f"{row[0]}.{header[column]}", f"must be a number, got {row[column]!r}"))
            return None
        numbers.append(value)
    power, values = numbers[0], numbers[1:]
    if power < 0:
        problems.append(Problem(file, line, f"{row[0]}.{header[2]}", f"power must be 0 or more, got {_fmt(power)}"))
        return None
    pairs = [(values[2 * k], values[2 * k + 1]) for k in range(len(values) // 2)]
    for k, (_position, salience) in enumerate(pairs):
        if salience < 0:
            problems.append(Problem(file, line, f"{row[0]}.{header[4 + 2 * k]}",
                                    f"salience {_fmt(salience)} must be 0 or more"))
            return None
    return _Row(line=line, ident=_slug(row[0]) or f"actor-{line}", label=row[0], name=row[1] or row[0],
                description=row[1] or None, power=power, pairs=pairs)


def _salience_factor(rows: list[_Row], file: str, notes: list[str]) -> float:
    """1, or the one factor that brings the file's largest salience down to 100."""
    largest = max((s for row in rows for _p, s in row.pairs), default=0.0)
    if largest <= SCALE_HIGH:
        return 1.0
    factor = SCALE_HIGH / largest
    notes.append(f"{file}: saliences run up to {_fmt(largest)}, above the 0–100 scale; every salience was "
                 f"multiplied by {factor:.4g} so the largest is 100 (ratios between actors and issues kept)")
    return factor


def _position_range(positions: list[float], issue: Issue, file: str, notes: list[str]) -> tuple[float, float]:
    """The file's values that become 0 and 100 on this dimension: 0 and 100 unless a position lies outside."""
    low, high = min([SCALE_LOW, *positions]), max([SCALE_HIGH, *positions])
    if (low, high) != (SCALE_LOW, SCALE_HIGH):
        issue.low_label = f"{_fmt(low)} on the file's scale"
        issue.high_label = f"{_fmt(high)} on the file's scale"
        notes.append(f"{file}: positions on {issue.name!r} run from {_fmt(min(positions))} to {_fmt(max(positions))}, "
                     f"outside 0–100; mapped linearly so {_fmt(low)} is 0 and {_fmt(high)} is 100")
    return low, high


def _rescaled(original: float, value: float, source: str) -> Estimate:
    if abs(value - original) < 1e-12:
        return Estimate(likely=original, source=source)
    return Estimate(likely=round(value, 6), source=f"{source} (rescaled from {_fmt(original)})")


# -- writing ------------------------------------------------------------------------


@dataclass
class KtabFile:
    """A negotiation as KTAB CSV text, with a note for everything the format could not hold."""

    text: str
    notes: list[str] = field(default_factory=list)


def dump_ktab_csv(negotiation: Negotiation) -> KtabFile:
    """Any negotiation in KTAB's SMP CSV layout; `detente` reads it back with the same ids and numbers."""
    notes: list[str] = []
    issues = list(negotiation.issues.values())
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([negotiation.name, negotiation.description or "", len(negotiation.actors), len(issues)])
    writer.writerow(["Actor", "Description", "Power",
                     *[cell for i in issues for cell in (f"{i.id} Position", f"{i.id} Salience")]])
    ranges = 0
    for actor in negotiation.actors.values():
        cells = [actor.id, actor.name, _cell(actor.capability.likely)]
        ranges += actor.capability.is_range
        for issue in issues:
            position, salience = issue.positions.get(actor.id), issue.saliences.get(actor.id)
            if position is None or salience is None:
                placed = issue.status_quo if issue.status_quo is not None else 50.0
                notes.append(f"{actor.name} has no position on {issue.name!r}: written at {_fmt(placed)} with "
                             f"salience 0, since KTAB needs a value for every actor on every dimension")
                cells += [_cell(placed), _cell(UNPLACED_SALIENCE)]
                continue
            ranges += position.is_range + salience.is_range
            cells += [_cell(position.likely), _cell(salience.likely)]
        writer.writerow(cells)
    if ranges:
        notes.append(f"{ranges} range(s) written as their likely value: KTAB takes one number per input")
    _format_notes(negotiation, issues, notes)
    return KtabFile(text=out.getvalue(), notes=notes)


def _format_notes(negotiation: Negotiation, issues: list[Issue], notes: list[str]) -> None:
    """What KTAB's layout has no place for, and KTAB's own limit on attention."""
    labelled = [i for i in issues if not i.low_label.endswith("KTAB scale")]
    if labelled or any(i.status_quo is not None for i in issues):
        notes.append("issue names, scale labels and status quos are not part of KTAB's format: the columns are "
                     "named after the issue ids")
    if negotiation.bodies or negotiation.candidate_lists:
        notes.append("voting bodies and candidate lists are not part of KTAB's format: left out")
    totals = {a.name: sum(i.saliences[a.id].likely for i in issues if a.id in i.saliences) for a in negotiation.actors.values()}
    over = {name: total for name, total in totals.items() if total > KTAB_SALIENCE_TOTAL}
    if over:
        worst = max(over, key=over.get)
        notes.append(f"KTAB's own reader refuses an actor whose saliences add up to more than 100; {len(over)} "
                     f"actor(s) do here (largest: {worst}, {_fmt(over[worst])}); detente reads the file as it is")


def _cell(value: float) -> str:
    return f"{value:.12g}"
