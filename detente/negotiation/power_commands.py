"""`detente model power` and `detente model veto`: voting power in a body, and mutual vetoes over candidates.

Plain Click commands over `power.analyse_power` and `vetoes.mutual_veto`; the
`model` group registers them. `--format json` prints one object whose shape
is `PowerReport.to_dict` / `MutualVeto.to_dict`.
"""

from __future__ import annotations

import json

import click

from detente.negotiation.files import NegotiationFileError, load_negotiation
from detente.negotiation.model import Negotiation
from detente.negotiation.power import (
    DEFAULT_CONFIDENCE,
    DEFAULT_SAMPLES,
    METHODS,
    PowerError,
    PowerReport,
    analyse_power,
    game_from_body,
    weighted_game,
)
from detente.negotiation.vetoes import MutualVeto, VetoError, mutual_veto
from detente.present.output import write_rows

FORMATS = ("table", "json")

format_option = click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True, help="Output format."
)


@click.command("power")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--body", "body_id", help="The voting body in FILE (needed when it declares several).")
@click.option("--weights", help="A quick game without a file: weights separated by commas, e.g. 4,4,4,2,2,1.")
@click.option("--quota", type=float, help="With --weights: the weight a coalition needs to win.")
@click.option("--vetoes", help="With --weights: veto holders, by position (1 = first weight) or by --names.")
@click.option("--names", help="With --weights: member names separated by commas, in the order of the weights.")
@click.option("--method", type=click.Choice(METHODS), default="auto", show_default=True,
              help="exact (integer or decimal weights), sample (Monte Carlo), or auto: exact when affordable.")
@click.option("--samples", type=click.IntRange(1), default=DEFAULT_SAMPLES, show_default=True,
              help="Monte Carlo: coalitions (and orders) drawn.")
@click.option("--seed", type=int, default=0, show_default=True, help="Monte Carlo: random seed.")
@click.option("--confidence", type=click.FloatRange(0, 1, min_open=True, max_open=True),
              default=DEFAULT_CONFIDENCE, show_default=True, help="Monte Carlo: probability the stated error bound holds.")
@click.option("--coalitions", "listed", type=click.IntRange(0), default=10, show_default=True,
              help="How many minimal winning coalitions to list.")
@format_option
def power_command(
    file: str | None, body_id: str | None, weights: str | None, quota: float | None, vetoes: str | None,
    names: str | None, method: str, samples: int, seed: int, confidence: float, listed: int, fmt: str,
) -> None:
    """Banzhaf and Shapley–Shubik power, veto players, dummies and minimal winning coalitions of a body.

    Either a negotiation FILE (with --body when it has several bodies), or a
    quick game: --weights 4,4,4,2,2,1 --quota 12 [--vetoes 1,2].
    """
    try:
        game = _game(file, body_id, weights, quota, vetoes, names)
        report = analyse_power(game, method, samples, seed, confidence, coalition_limit=max(listed, 1000))
    except PowerError as err:
        raise click.ClickException(str(err)) from err
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(listed), ensure_ascii=False, indent=2))
    else:
        _print_power(report, listed)


def _game(file, body_id, weights, quota, vetoes, names):
    if weights is not None:
        if file is not None or body_id is not None:
            raise click.UsageError("give either FILE (with --body) or --weights and --quota, not both")
        if quota is None:
            raise click.UsageError("--weights needs --quota: the weight a coalition must reach to win")
        return weighted_game(
            _numbers(weights, "--weights"), quota, _items(vetoes), _items(names) or None, body="game"
        )
    if file is None:
        raise click.UsageError("give a negotiation FILE, or a quick game with --weights and --quota")
    if quota is not None or vetoes is not None or names is not None:
        raise click.UsageError("--quota, --vetoes and --names go with --weights; a FILE declares its own")
    negotiation = _load(file)
    body_id = _pick(body_id, negotiation.bodies, "voting bodies", "--body", file)
    return game_from_body(body_id, negotiation.bodies)


def _numbers(text: str, option: str) -> list[float]:
    try:
        return [float(x) for x in _items(text)]
    except ValueError:
        raise click.UsageError(f"{option} takes numbers separated by commas, e.g. 4,4,4,2,2,1 (got {text!r})") from None


def _items(text: str | None) -> list[str]:
    return [x.strip() for x in text.split(",") if x.strip()] if text else []


def _load(file: str) -> Negotiation:
    try:
        return load_negotiation(file)
    except NegotiationFileError as err:
        for problem in err.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(f"{len(err.problems)} problem(s) in {file}; `detente model check {file}` lists them")


def _pick(wanted: str | None, declared: dict, what: str, option: str, file: str) -> str:
    if wanted is not None:
        if wanted not in declared:
            raise click.ClickException(f"{file} has no {what[:-1] if what.endswith('s') else what} {wanted!r}; "
                                       f"it declares: {', '.join(declared) or 'none'}")
        return wanted
    if len(declared) == 1:
        return next(iter(declared))
    if not declared:
        raise click.ClickException(f"{file} declares no {what}")
    raise click.UsageError(f"{file} declares several {what} ({', '.join(declared)}); choose one with {option}")


def _print_power(report: PowerReport, listed: int) -> None:
    data = report.to_dict(listed)
    sampled = data["method"] == "sample"
    rows = []
    for m in data["members"]:
        rows.append({
            "member": m["id"],
            "weight": _number(m["weight"]),
            "banzhaf": _share(m["banzhaf"]),
            "banzhaf raw": _share(m["banzhaf_raw"]) + (f" ±{m['banzhaf_raw_se']:.4f}" if sampled else ""),
            "shapley-shubik": _share(m["shapley_shubik"]) + (f" ±{m['shapley_shubik_se']:.4f}" if sampled else ""),
            "veto": "yes" if m["veto"] else "",
            "dummy": {True: "yes", False: "", None: "?"}[m["dummy"]],
        })
    rules = [f"quota {_number(r['quota'])} of {_number(r['total_weight'])}" for r in data["rules"]]
    if len(rules) > 1:
        rules = [f"{r['body']} {text}" for r, text in zip(data["rules"], rules)]
    title = f"{data['name']}: {' and '.join(rules)} ({data['method']}, {data['engine']})"
    write_rows(rows, "table", list(rows[0]), title=title)
    mwc = data["minimal_winning"]
    if mwc["count"] is None:
        count = "unknown" if mwc["truncated"] else "0"
    else:
        count = f"{mwc['count']:,}" if mwc["count_exact"] else f"about {mwc['count']:.3e}"
    click.echo(f"veto players: {', '.join(data['veto_players']) or 'none'}")
    click.echo(f"dummies: {', '.join(data['dummies']) or 'none'}")
    click.echo(f"minimal winning coalitions: {count}" + (f", first {len(mwc['listed'])}:" if mwc["listed"] else ""))
    for coalition in mwc["listed"]:
        click.echo(f"  {{{', '.join(coalition)}}}")
    click.echo(
        f"proper: {_yes(data['proper'])}   strong: {_yes(data['strong'])}   decisive: {_yes(data['decisive'])}"
    )
    for note in data["notes"]:
        click.echo(f"note: {note}")


def _share(x: float) -> str:
    if x == 0:
        return "0"
    return f"{x:.3g}" if x < 0.01 else f"{x:.4f}"


def _number(x: float) -> str:
    return f"{x:g}"


def _yes(flag: bool | None) -> str:
    return {True: "yes", False: "no", None: "not determined"}[flag]


# -- veto ---------------------------------------------------------------------------------------


@click.command("veto")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--list", "list_id", help="The candidate list in FILE (needed when it declares several).")
@format_option
def veto_command(file: str, list_id: str | None, fmt: str) -> None:
    """Candidates surviving every party's vetoes, who strikes each one, and who blocks whom."""
    negotiation = _load(file)
    list_id = _pick(list_id, negotiation.candidate_lists, "candidate lists", "--list", file)
    try:
        result = mutual_veto(negotiation.candidate_lists[list_id])
    except VetoError as err:
        raise click.ClickException(str(err)) from err
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_veto(result)


def _print_veto(result: MutualVeto) -> None:
    rows = [
        {"candidate": c, "survives": "yes" if not result.struck_by[c] else "", "struck by": ", ".join(result.struck_by[c])}
        for c in result.candidates
    ]
    write_rows(rows, "table", ["candidate", "survives", "struck by"], title=result.name)
    if result.survivors:
        click.echo(f"survivors: {', '.join(result.survivors)}")
    else:
        closest = ", ".join(f"{c} (struck by {', '.join(result.struck_by[c])})" for c in result.closest)
        click.echo(f"deadlock: every candidate is struck; fewest strikes: {closest or 'no candidates'}")
    sole = result.sole_vetoes
    if sole:
        click.echo("a single party's concession would free: " + ", ".join(f"{c} ({p})" for c, p in sole.items()))
    if result.blocks:
        wants = "wants" if result.preferences_used else "accepts"
        rows = [{"blocker": b.blocker, "against": b.party, "candidates": ", ".join(b.candidates)} for b in result.blocks]
        title = f"who blocks whom: candidates the blocker strikes that the other party {wants}"
        write_rows(rows, "table", ["blocker", "against", "candidates"], title=title)
