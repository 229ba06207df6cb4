"""`detente model …`: check a negotiation file, forecast it, replay its rounds, find its levers.

Each subcommand is a thin layer over one library function (files, spatial,
montecarlo, bdm, levers, sensitivity, draft) and takes `--format table|json`;
the JSON shapes are documented in docs/negotiation.md and only ever grow.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import click
from detente.negotiation.bdm import (
    NORMALISERS,
    OFFER_RULES,
    PERSPECTIVES,
    SECURITY_SUMS,
    STOP_RULES,
    BDMParameters,
    bdm_rounds,
)
from detente.negotiation.error_bands import SHOWN_COVERAGE, shipped_bands
from detente.negotiation.files import NegotiationFileError, dump_negotiation, load_negotiation, negotiation_as_dict
from detente.negotiation.forecast_notes import why_apart
from detente.negotiation.ktab import dump_ktab_csv
from detente.negotiation.levers import DEFAULT_STEPS, levers
from detente.negotiation.model import Negotiation
from detente.negotiation.montecarlo import DEFAULT_INTERVAL, monte_carlo
from detente.negotiation.power_commands import power_command, veto_command
from detente.negotiation.sensitivity import tornado
from detente.negotiation.spatial import (
    MODELS,
    STATUS_QUO,
    ModelInputError,
    ModelSettings,
    forecast_issue,
    issue_inputs,
)
from detente.present.output import write_rows

FORMATS = ("table", "json")
DEFAULT_DB = "detente.db"

format_option = click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True, help="Output format."
)
file_argument = click.argument("file", type=click.Path(dir_okay=False))
models_option = click.option(
    "--model", "models", multiple=True, type=click.Choice(MODELS),
    help="Run only this model (repeat for several; default: all).",
)


def bdm_options(command):
    """The choices the Scholz reconstruction leaves open, each a named option (see docs/negotiation.md)."""
    defaults = BDMParameters()
    options = [
        click.option("--q", "q", type=click.FloatRange(0, 1), default=defaults.q, show_default=True,
                     help="BDM: probability an unchallenged position stays put."),
        click.option("--t-rule", default=str(defaults.t_rule), show_default=True,
                     help="BDM: 'toward-median' or a fixed probability 0–1 that an unchallenged change helps."),
        click.option("--security", type=click.Choice(SECURITY_SUMS), default=defaults.security, show_default=True,
                     help="BDM: whose challenge utilities make an actor's danger (risk)."),
        click.option("--perspective", type=click.Choice(PERSPECTIVES), default=defaults.perspective, show_default=True,
                     help="BDM: whose risk exponent judges both sides of an offer."),
        click.option("--offer-rule", type=click.Choice(OFFER_RULES), default=defaults.offer_rule, show_default=True,
                     help="BDM: which offer an actor takes."),
        click.option("--probability", type=click.Choice(NORMALISERS), default=defaults.probability, show_default=True,
                     help="BDM: normaliser of the probability of success."),
        click.option("--risk-in-votes/--no-risk-in-votes", default=defaults.risk_in_votes, show_default=True,
                     help="BDM: voters weigh distances with their risk exponent."),
        click.option("--stop", type=click.Choice(STOP_RULES), default=defaults.stop, show_default=True,
                     help="BDM: when the rounds end."),
        click.option("--max-rounds", type=click.IntRange(1, 1000), default=defaults.max_rounds, show_default=True,
                     help="BDM: most rounds to run."),
        click.option("--tolerance", type=click.FloatRange(0), default=defaults.tolerance, show_default=True,
                     help="BDM: a change below this share of the span counts as none."),
        click.option("--disagreement", default="worst", show_default=True,
                     help="Nash: 'worst', 'status-quo' or a number 0–100 where failed talks leave everyone."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.group("model")
def model_group() -> None:
    """Run a negotiation model: check a file, forecast its issues, replay rounds, find levers."""


# Voting power and mutual vetoes live in power_commands.py; they join the group like any other verb.
model_group.add_command(power_command)
model_group.add_command(veto_command)


# -- check --------------------------------------------------------------------


@model_group.command("check")
@file_argument
@format_option
def check_command(file: str, fmt: str) -> None:
    """Validate a negotiation file (YAML or KTAB CSV); every problem names its line and field."""
    try:
        negotiation = load_negotiation(file)
    except NegotiationFileError as err:
        if fmt == "json":
            _echo_json({"file": file, "valid": False, "problems": [p.as_dict() for p in err.problems], "warnings": []})
        else:
            for problem in err.problems:
                click.echo(str(problem), err=True)
            click.echo(f"{len(err.problems)} problem(s) in {file}.", err=True)
        raise SystemExit(1)
    warnings = _warnings(negotiation)
    summary = {
        "file": file, "valid": True, "name": negotiation.name, "actors": len(negotiation.actors),
        "issues": list(negotiation.issues), "bodies": list(negotiation.bodies),
        "candidate_lists": list(negotiation.candidate_lists), "problems": [], "warnings": warnings,
        "notes": list(negotiation.notes),
    }
    if fmt == "json":
        _echo_json(summary)
        return
    click.echo(
        f"{file}: valid. {negotiation.name}: {len(negotiation.actors)} actor(s), {len(negotiation.issues)} issue(s), "
        f"{len(negotiation.bodies)} voting body(ies), {len(negotiation.candidate_lists)} candidate list(s)."
    )
    for note in negotiation.notes:
        click.echo(f"note: {note}")
    for warning in warnings:
        click.echo(f"warning: {warning}")


def _warnings(negotiation: Negotiation) -> list[str]:
    """Things that are allowed but probably not meant."""
    found = []
    for issue in negotiation.issues.values():
        taking_part = [a for a in issue.positions if a in issue.saliences]
        if len(taking_part) < 2:
            found.append(f"issue {issue.id!r} has {len(taking_part)} actor(s) with a position; the models need two or more")
        elif all(issue.saliences[a].upper == 0 for a in taking_part):
            found.append(f"issue {issue.id!r}: every salience is 0, so no model can weigh the positions")
    if negotiation.issues:
        idle = [a for a in negotiation.actors if not any(a in i.positions for i in negotiation.issues.values())]
        if idle:
            found.append(f"actor(s) with no position on any issue: {', '.join(idle)}")
    return found


# -- forecast -------------------------------------------------------------------


@model_group.command("forecast")
@file_argument
@click.option("--issue", "issues", multiple=True, help="Only this issue (repeat for several).")
@models_option
@click.option("--draws", type=click.IntRange(1), default=None, help="Monte Carlo draws over the input ranges.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed of the draws.")
@click.option("--interval", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=DEFAULT_INTERVAL,
              show_default=True, help="Width of the interval reported with --draws.")
@bdm_options
@format_option
def forecast_command(file, issues, models, draws, seed, interval, fmt, **options) -> None:
    """Every model's forecast per issue, side by side; with --draws, the median and an interval too."""
    negotiation = _load(file)
    settings = _settings(options)
    models = tuple(models) or MODELS
    wanted = _issues(negotiation, issues)
    names = {a.id: a.name for a in negotiation.actors.values()}
    rows, skipped = [], []
    if draws:
        summaries = _run(lambda: monte_carlo(negotiation, draws, seed, settings, models, wanted, interval))
    for issue_id in wanted:
        issue = negotiation.issues[issue_id]
        try:
            if draws:
                if issue_id not in summaries:
                    raise ModelInputError(f"issue {issue_id!r} has no actor with both a position and a salience")
                forecasts = {m: {"forecast": _num(s.forecast), "median": _num(s.median), "low": _num(s.low),
                                 "high": _num(s.high), "near": _num(s.near),
                                 "note": None if s.representative else why_apart(m, s, issue_inputs(negotiation, issue_id), names)}
                             for m, s in summaries[issue_id].items()}
            else:
                point = forecast_issue(negotiation, issue_id, settings, models)
                forecasts = {m: {"forecast": _num(v), "median": None, "low": None, "high": None, "near": None,
                                 "note": None} for m, v in point.items()}
        except ModelInputError as err:
            skipped.append({"id": issue_id, "reason": str(err)})
            continue
        rows.append({
            "id": issue.id, "name": issue.name, "scale": {"0": issue.low_label, "100": issue.high_label},
            "status_quo": issue.status_quo, "actors": issue_inputs(negotiation, issue_id).actors, "forecasts": forecasts,
        })
    bands, provenance = shipped_bands()
    if fmt == "json":
        _echo_json({
            "negotiation": negotiation.name, "file": file, "models": list(models),
            "draws": draws, "seed": seed if draws else None, "interval": interval if draws else None,
            "parameters": _parameters(settings), "issues": rows, "skipped": skipped,
            "error_bands": {m: {"coverage": SHOWN_COVERAGE, "points": bands[m].points(), "issues": bands[m].issues,
                                "sentence": bands[m].sentence()} for m in models if m in bands},
            "error_bands_source": provenance.get("source"),
        })
        return
    table = [{"issue": r["id"], **{m: _cell(r["forecasts"][m]) for m in models}} for r in rows]
    title = f"{negotiation.name}: forecasts on each 0–100 scale"
    if draws:
        title += f" ({draws} draws, seed {seed}; median [{interval:.0%} interval])"
    write_rows(table, "table", ["issue", *models], title=title)
    for r in rows:
        click.echo(f"  {r['id']}: 0 = {r['scale']['0']}; 100 = {r['scale']['100']}")
    for s in skipped:
        click.echo(f"  skipped {s['id']}: {s['reason']}")
    for r in rows:
        for m in models:
            if r["forecasts"][m]["note"]:
                click.echo(f"  {r['id']}, {m}: {r['forecasts'][m]['note']}")
    shown = [m for m in models if m in bands]
    if shown:
        click.echo(f"  error bands: on {bands[shown[0]].issues} EU issues (DEU III) each model's error was under "
                   f"this many points for {SHOWN_COVERAGE:.0%} of issues: "
                   + ", ".join(f"{m} {bands[m].points():g}" for m in shown))


def _cell(summary: dict) -> str:
    if summary["forecast"] is None:
        return "—"
    if summary["median"] is None:
        return f"{summary['forecast']:.1f}"
    return f"{summary['forecast']:.1f}  ({summary['median']:.1f} [{summary['low']:.1f}–{summary['high']:.1f}])"


# -- rounds ----------------------------------------------------------------------


@model_group.command("rounds")
@file_argument
@click.option("--issue", "issue_id", default=None, help="The issue to replay (default: the only one, if there is one).")
@bdm_options
@format_option
def rounds_command(file, issue_id, fmt, **options) -> None:
    """The Bueno de Mesquita / Scholz model round by round: positions, median, mean and each move."""
    negotiation = _load(file)
    issue_id = _one_issue(negotiation, issue_id)
    settings = _settings(options)
    inputs = _run(lambda: issue_inputs(negotiation, issue_id))
    x, c, s = inputs.likely()
    run = bdm_rounds(x, c, s / 100.0, settings.bdm)
    ids = inputs.actors
    rounds = [
        {
            "round": r.number, "median": _num(r.median), "mean": _num(r.mean),
            "positions": {a: _num(v) for a, v in zip(ids, r.positions)},
            "risk": {a: _num(v) for a, v in zip(ids, r.risk)},
            "moves": [{"actor": ids[m.actor], "kind": m.kind, "with": ids[m.partner],
                       "from": _num(m.start), "to": _num(m.end)} for m in r.moves],
        }
        for r in run.rounds
    ]
    if fmt == "json":
        _echo_json({
            "negotiation": negotiation.name, "file": file,
            "issue": {"id": inputs.issue.id, "name": inputs.issue.name,
                      "scale": {"0": inputs.issue.low_label, "100": inputs.issue.high_label}},
            "actors": [{"id": a, "name": negotiation.actors[a].name} for a in ids],
            "parameters": _parameters(settings), "forecast": _num(run.forecast), "stopped": run.stopped,
            "rounds": rounds,
        })
        return
    # One row per actor and a column per round: rounds are few, actors many.
    columns = [f"round {r['round']}" for r in rounds]
    table = [{"actor": a, **{col: _fmt(r["positions"][a], ".2f") for col, r in zip(columns, rounds)}} for a in ids]
    table += [{"actor": f"[{stat}]", **{col: _fmt(r[stat], ".2f") for col, r in zip(columns, rounds)}}
              for stat in ("median", "mean")]
    write_rows(table, "table", ["actor", *columns], title=f"{inputs.issue.name}: positions by round")
    moves = [{"round": r["round"], **m} for r in rounds for m in r["moves"]]
    if moves:
        shown = [{**m, "from": _fmt(m["from"], ".2f"), "to": _fmt(m["to"], ".2f")} for m in moves]
        write_rows(shown, "table", ["round", "actor", "kind", "with", "from", "to"], title="Moves")
    click.echo(f"Forecast (median after round {run.rounds[-1].number}): {_fmt(_num(run.forecast), '.2f')}; "
               f"stopped: {run.stopped}.")


# -- levers ------------------------------------------------------------------------


@model_group.command("levers")
@file_argument
@click.option("--actor", "actor_id", required=True, help="The actor whose outcome the levers improve.")
@click.option("--issue", "issues", multiple=True, help="Only this issue (repeat for several).")
@models_option
@click.option("--steps", default=",".join(f"{s:g}" for s in DEFAULT_STEPS), show_default=True,
              help="Distances to move each other actor toward the chosen one (comma-separated).")
@click.option("--top", type=click.IntRange(1), default=15, show_default=True, help="Rows in the table.")
@bdm_options
@format_option
def levers_command(file, actor_id, issues, models, steps, top, fmt, **options) -> None:
    """Who to move, how far, for the biggest change toward ACTOR's position."""
    negotiation = _load(file)
    settings = _settings(options)
    models = tuple(models) or MODELS
    step_values = _steps(steps)
    wanted = _issues(negotiation, issues) if issues else None
    found = _run(lambda: levers(negotiation, actor_id, settings, models, step_values, wanted))
    rows = [
        {"issue": l.issue, "model": l.model, "mover": l.mover, "from": _num(l.start), "to": _num(l.end),
         "distance": _num(l.distance), "forecast_before": _num(l.before), "forecast_after": _num(l.after),
         "target": _num(l.target), "gain": _num(l.gain), "per_point": _num(l.per_point)}
        for l in found
    ]
    if fmt == "json":
        _echo_json({"negotiation": negotiation.name, "file": file, "actor": actor_id, "models": list(models),
                    "steps": list(step_values), "parameters": _parameters(settings), "levers": rows})
        return
    shown = [
        {"issue": r["issue"], "model": r["model"], "move": f"{r['mover']} {r['from']:.1f} → {r['to']:.1f}",
         "forecast": f"{_fmt(r['forecast_before'], '.1f')} → {_fmt(r['forecast_after'], '.1f')}",
         "gain": _fmt(r["gain"], "+.1f"), "per point": _fmt(r["per_point"], ".3f", "")}
        for r in rows[:top]
    ]
    write_rows(shown, "table", ["issue", "model", "move", "forecast", "gain", "per point"],
               title=f"Levers for {negotiation.actors[actor_id].name}: gain = points closer to its position")
    if len(rows) > top:
        click.echo(f"  {len(rows) - top} more; --top N or --format json shows them.")


def _steps(text: str) -> tuple[float, ...]:
    try:
        values = tuple(float(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise click.BadParameter(f"{text!r}: give distances like 10,25,50", param_hint="--steps") from None
    if not values or any(v <= 0 for v in values):
        raise click.BadParameter("steps must be positive numbers, e.g. 10,25,50", param_hint="--steps")
    return values


# -- sensitivity --------------------------------------------------------------------


@model_group.command("sensitivity")
@file_argument
@click.option("--issue", "issue_id", default=None, help="The issue to test (default: the only one, if there is one).")
@models_option
@click.option("--top", type=click.IntRange(1), default=10, show_default=True, help="Rows per model in the table.")
@bdm_options
@format_option
def sensitivity_command(file, issue_id, models, top, fmt, **options) -> None:
    """One-at-a-time sensitivity (tornado data): which input swings each model's forecast most."""
    negotiation = _load(file)
    issue_id = _one_issue(negotiation, issue_id)
    settings = _settings(options)
    models = tuple(models) or MODELS
    swings = _run(lambda: tornado(negotiation, issue_id, settings, models))
    rows = [
        {"model": s.model, "actor": s.actor, "field": s.field, "low": _num(s.low), "high": _num(s.high),
         "assumed": s.assumed, "forecast_low": _num(s.forecast_low), "forecast_high": _num(s.forecast_high),
         "swing": _num(s.swing)}
        for s in swings
    ]
    if fmt == "json":
        _echo_json({"negotiation": negotiation.name, "file": file, "issue": issue_id,
                    "parameters": _parameters(settings), "swings": rows})
        return
    for model in models:
        shown = [
            {"input": f"{r['actor']} {r['field']}", "range": f"{r['low']:g}–{r['high']:g}" + (" (assumed)" if r["assumed"] else ""),
             "forecast": f"{_fmt(r['forecast_low'], '.1f')} / {_fmt(r['forecast_high'], '.1f')}",
             "swing": _fmt(r["swing"], ".1f")}
            for r in rows if r["model"] == model
        ][:top]
        write_rows(shown, "table", ["input", "range", "forecast", "swing"], title=f"{issue_id}: {model}")


# -- draft -----------------------------------------------------------------------------


@model_group.command("draft")
@click.option("--db", default=DEFAULT_DB, show_default=True, envvar="DETENTE_DB",
              help="Store: a SQLite file, or an SQLAlchemy URL such as postgresql://…")
@click.option("--name", default="Draft negotiation", show_default=True, help="The negotiation's name in the draft.")
@click.option("--format", "fmt", type=click.Choice(("yaml", *FORMATS)), default="yaml", show_default=True,
              help="yaml: a file to edit; table: what the draft says; json: the same as data.")
def draft_command(db: str, name: str, fmt: str) -> None:
    """The negotiation drafted from the store (as `detente run` shows it), every number commented with its source."""
    from detente.negotiation.draft import draft_negotiation
    from detente.store.database import StoreError, open_engine

    if "://" not in db and db != ":memory:" and not Path(db).expanduser().exists():
        raise click.ClickException(f"No store at {db}. Run `detente ingest` and `detente extract` first, or pass --db.")
    try:
        engine = open_engine(db)
    except StoreError as err:
        raise click.ClickException(str(err)) from err
    draft = draft_negotiation(engine, name=name, store=db)
    if fmt == "yaml":
        click.echo(draft.yaml(), nl=False)
        return
    data = negotiation_as_dict(draft.negotiation)
    if fmt == "json":
        _echo_json({"store": db, "stances": draft.stances, "notes": draft.header, "negotiation": data})
        return
    rows = [
        {"issue": i["id"], "actor": a, "position": _range_text(i["positions"][a]),
         "salience": _range_text(i["salience"][a]), "source": i["positions"][a]["source"]}
        for i in data["issues"] for a in i["positions"]
    ]
    for line in draft.header:
        click.echo(line)
    if rows:
        write_rows(rows, "table", ["issue", "actor", "position", "salience", "source"], title="Draft positions")
    else:
        click.echo(f"{len(data['actors'])} actor(s), no issues.")


def _range_text(estimate: dict) -> str:
    if estimate["low"] == estimate["high"]:
        return f"{estimate['likely']:g}"
    return f"{estimate['likely']:g} ({estimate['low']:g}–{estimate['high']:g})"


# -- convert -----------------------------------------------------------------------


CONVERT_FORMATS = ("yaml", "ktab")


@model_group.command("convert")
@file_argument
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write here (default: standard output); a .csv name means KTAB's CSV.")
@click.option("--format", "fmt", type=click.Choice(CONVERT_FORMATS), default=None,
              help="yaml (ours, with sources) or ktab (KTAB's SMP CSV); default: from the -o suffix, else yaml.")
def convert_command(file: str, output: str | None, fmt: str | None) -> None:
    """Write a negotiation file in the other format: our YAML ↔ KTAB's SMP CSV.

    What the target format cannot hold (ranges, bodies, candidate lists in KTAB)
    is named on stderr, never dropped silently.
    """
    negotiation = _load(file)
    fmt = fmt or ("ktab" if output and Path(output).suffix.lower() == ".csv" else "yaml")
    if fmt == "ktab":
        written = dump_ktab_csv(negotiation)
        text, notes = written.text, written.notes
    else:
        text, notes = dump_negotiation(negotiation), []
    if output is None:
        click.echo(text, nl=False)
    else:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as err:
            raise click.ClickException(f"cannot write {output} ({err.strerror}); choose another path with -o") from None
        click.echo(f"wrote {output} ({'KTAB CSV' if fmt == 'ktab' else 'YAML'})", err=True)
    for note in notes:
        click.echo(f"note: {note}", err=True)


# -- shared helpers ------------------------------------------------------------------


def _load(file: str) -> Negotiation:
    """The negotiation, or a message listing every problem; what reading changed goes to stderr."""
    try:
        negotiation = load_negotiation(file)
    except NegotiationFileError as err:
        lines = [str(p) for p in err.problems]
        if any(p.line for p in err.problems):
            lines.append(f"{len(lines)} problem(s); fix them, then `detente model check {file}` to confirm.")
        raise click.ClickException("\n".join(lines)) from None
    for note in negotiation.notes:
        click.echo(f"note: {note}", err=True)
    return negotiation


def _one_issue(negotiation: Negotiation, issue_id: str | None) -> str:
    """The issue asked for, or the only one; with several and none asked for, say which there are."""
    if issue_id is not None:
        return issue_id
    if len(negotiation.issues) == 1:
        return next(iter(negotiation.issues))
    if not negotiation.issues:
        raise click.UsageError(f"{negotiation.name!r} declares no issue; add one to the file")
    known = ", ".join(negotiation.issues) or "none"
    raise click.UsageError(f"{negotiation.name!r} has {len(negotiation.issues)} issues; pick one with --issue: {known}")


def _settings(options: dict) -> ModelSettings:
    t_rule: str | float = options["t_rule"]
    try:
        t_rule = float(t_rule)
    except ValueError:
        pass
    disagreement: str | float = options["disagreement"]
    if disagreement not in ("worst", STATUS_QUO):
        try:
            disagreement = float(disagreement)
        except ValueError:
            raise click.BadParameter(f"{disagreement!r}: use worst, status-quo or a number 0–100",
                                     param_hint="--disagreement") from None
    try:
        bdm = BDMParameters(
            q=options["q"], t_rule=t_rule, security=options["security"], perspective=options["perspective"],
            offer_rule=options["offer_rule"], probability=options["probability"],
            risk_in_votes=options["risk_in_votes"], stop=options["stop"], max_rounds=options["max_rounds"],
            tolerance=options["tolerance"],
        )
        return ModelSettings(bdm=bdm, disagreement=disagreement)
    except ValueError as err:
        raise click.BadParameter(str(err)) from None


def _parameters(settings: ModelSettings) -> dict:
    b = settings.bdm
    return {
        "bdm": {"q": b.q, "t_rule": b.t_rule, "security": b.security, "perspective": b.perspective,
                "offer_rule": b.offer_rule, "probability": b.probability, "risk_in_votes": b.risk_in_votes,
                "stop": b.stop, "max_rounds": b.max_rounds, "tolerance": b.tolerance},
        "nash": {"disagreement": settings.disagreement},
    }


def _issues(negotiation: Negotiation, issues: tuple[str, ...]) -> list[str]:
    for issue_id in issues:
        if issue_id not in negotiation.issues:
            known = ", ".join(negotiation.issues) or "none"
            raise click.BadParameter(f"no issue {issue_id!r}; issues: {known}", param_hint="--issue")
    return list(issues) or list(negotiation.issues)


def _run(call):
    try:
        return call()
    except ModelInputError as err:
        raise click.ClickException(str(err)) from None


def _num(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), 4)


def _fmt(value: float | None, spec: str, missing: str = "—") -> str:
    """A number for a table; a model that could not give one shows a dash."""
    return missing if value is None else format(value, spec)


def _echo_json(data: dict) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))
