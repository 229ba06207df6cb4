"""The negotiation page, from a negotiation file: positions, forecasts with intervals, BDM rounds,
sensitivity, levers, voting power and vetoes.

Everything is computed by the library functions behind `detente model …`
(forecast, Monte Carlo, rounds, tornado, levers, power, veto) with their
default settings and a fixed seed, so the page is the same every time and
matches what the commands print.

Each forecast carries two kinds of uncertainty that must not be confused:
the Monte Carlo interval (how far the forecast moves within this file's
ranges) and the model's error band on DEU III (how far the model has missed
real outcomes). Where the forecast at the likely inputs is not where the
draws land (a model that jumps between actors' positions), the page says why
rather than showing two numbers that seem to contradict each other.
"""

from __future__ import annotations

import math
from pathlib import Path

from sqlalchemy import Engine

from detente.negotiation.bdm import bdm_rounds
from detente.negotiation.error_bands import SHOWN_COVERAGE, ErrorBand, shipped_bands
from detente.negotiation.files import load_negotiation
from detente.negotiation.levers import levers
from detente.negotiation.forecast_notes import why_apart
from detente.negotiation.model import Estimate, Negotiation
from detente.negotiation.montecarlo import DEFAULT_INTERVAL, Summary, monte_carlo
from detente.negotiation.power import analyse_power, game_from_body
from detente.negotiation.power_game import PowerError
from detente.negotiation.sensitivity import tornado
from detente.negotiation.spatial import (
    MODEL_TITLES,
    MODELS,
    IssueInputs,
    ModelInputError,
    ModelSettings,
    issue_inputs,
)
from detente.negotiation.vetoes import VetoError, mutual_veto
from detente.present.views.negotiation_draft import bloc_names, draft_sections, drafted_negotiation

DRAWS = 1000
SEED = 0
TORNADO_ROWS = 8
LEVERS_PER_ACTOR = 3
COALITIONS_LISTED = 10
SHORT_TITLES = {"compromise": "Compromise", "median": "Weighted median", "nash": "Nash bargaining", "bdm": "BDM / Scholz"}


def build_negotiation(conn=None, model: str | Path | Negotiation | None = None, **_params) -> dict | None:
    """The page's data: from the negotiation file when one is given, else drafted from the store `conn`.

    None when there is neither a file nor anything in the store to draft from.
    """
    if model is None:
        model = drafted_negotiation(conn) if isinstance(conn, Engine) else None
        if model is None:
            return None
    negotiation = model if isinstance(model, Negotiation) else load_negotiation(model)
    settings = ModelSettings()
    summaries = monte_carlo(negotiation, DRAWS, SEED, settings)
    names = {a.id: a.name for a in negotiation.actors.values()}
    bands, provenance = shipped_bands()
    return {
        "name": negotiation.name,
        "description": negotiation.description,
        "file": None if isinstance(model, Negotiation) else Path(model).name,
        "notes": list(negotiation.notes),
        "draws": DRAWS,
        "seed": SEED,
        "interval": DEFAULT_INTERVAL,
        "band_coverage": SHOWN_COVERAGE,
        "band_issues": max((b.issues for b in bands.values()), default=0),
        "band_source": provenance.get("source"),
        "models": [{"id": m, "title": MODEL_TITLES[m], "label": SHORT_TITLES.get(m, m)} for m in MODELS],
        "actors": [{"id": a.id, "name": a.name, "capability": _estimate(a.capability)} for a in negotiation.actors.values()],
        "issues": [_issue(negotiation, issue_id, summaries.get(issue_id, {}), settings, names, bands)
                   for issue_id in negotiation.issues],
        "levers": _levers(negotiation, settings, names),
        "bodies": _bodies(negotiation, {**names, **bloc_names(negotiation)}),
        "vetoes": _vetoes(negotiation, names),
        **draft_sections(negotiation, names),
    }


def _issue(negotiation: Negotiation, issue_id: str, summary: dict, settings: ModelSettings, names: dict,
           bands: dict[str, ErrorBand]) -> dict:
    issue = negotiation.issues[issue_id]
    try:
        inputs, problem = issue_inputs(negotiation, issue_id), None
    except ModelInputError as err:
        inputs, problem = None, str(err)
    data = {
        "id": issue.id, "name": issue.name, "low_label": issue.low_label, "high_label": issue.high_label,
        "status_quo": issue.status_quo,
        "positions": [
            {"actor": a, "name": names.get(a, a), "position": _estimate(issue.positions[a]),
             "salience": _estimate(issue.saliences[a]) if a in issue.saliences else None}
            for a in negotiation.actors if a in issue.positions
        ],
        "forecasts": [_forecast(m, s, bands.get(m), inputs, names) for m, s in summary.items()],
        "rounds": None, "tornado": [], "problem": None,
    }
    if inputs is None:
        data["problem"] = problem
        return data
    x, c, s = inputs.likely()
    run = bdm_rounds(x, c, s / 100.0, settings.bdm)
    data["rounds"] = {
        "actors": [{"id": a, "name": names.get(a, a)} for a in inputs.actors],
        "forecast": _num(run.forecast), "stopped": run.stopped,
        "rounds": [{"round": r.number, "median": _num(r.median), "mean": _num(r.mean),
                    "positions": [_num(v) for v in r.positions]} for r in run.rounds],
    }
    swings = tornado(negotiation, issue_id, settings)
    for m in MODELS:
        rows = [w for w in swings if w.model == m][:TORNADO_ROWS]
        data["tornado"].append({
            "model": m, "title": MODEL_TITLES[m],
            "rows": [{"input": f"{names.get(w.actor, w.actor)}: {w.field}", "low": _num(w.low), "high": _num(w.high),
                      "assumed": w.assumed, "forecast_low": _num(w.forecast_low), "forecast_high": _num(w.forecast_high),
                      "swing": _num(w.swing)} for w in rows],
        })
    return data


def _forecast(model: str, summary: Summary, band: ErrorBand | None, inputs: IssueInputs | None, names: dict) -> dict:
    """One model's row: the forecast at the likely inputs, the draws, the DEU III band, and a word if they diverge."""
    forecast = _num(summary.forecast)
    row = {
        "model": model, "title": MODEL_TITLES[model], "label": SHORT_TITLES.get(model, model),
        "forecast": forecast, "median": _num(summary.median), "low": _num(summary.low), "high": _num(summary.high),
        "near": summary.near, "band": None, "note": None,
    }
    if band is not None and forecast is not None:
        points = band.points()
        row["band"] = {"points": points, "low": max(0.0, forecast - points), "high": min(100.0, forecast + points),
                       "sentence": band.sentence()}
    if not summary.representative and inputs is not None:
        row["note"] = why_apart(model, summary, inputs, names)
    return row


def _levers(negotiation: Negotiation, settings: ModelSettings, names: dict) -> list[dict]:
    """For each actor, the few moves of another actor that bring the outcome closest to it."""
    out = []
    for actor in negotiation.actors:
        try:
            found = levers(negotiation, actor, settings)
        except ModelInputError:
            continue
        best = [lv for lv in found if math.isfinite(lv.gain) and lv.gain > 0][:LEVERS_PER_ACTOR]
        out.append({
            "actor": actor, "name": names.get(actor, actor),
            "levers": [{"issue": lv.issue, "issue_name": negotiation.issues[lv.issue].name, "model": lv.model,
                        "model_label": SHORT_TITLES.get(lv.model, lv.model),
                        "mover": lv.mover, "mover_name": names.get(lv.mover, lv.mover), "from": _num(lv.start),
                        "to": _num(lv.end), "before": _num(lv.before), "after": _num(lv.after), "gain": _num(lv.gain)}
                       for lv in best],
        })
    return out


def _bodies(negotiation: Negotiation, names: dict) -> list[dict]:
    out = []
    for body_id, body in negotiation.bodies.items():
        try:
            report = analyse_power(game_from_body(body_id, negotiation.bodies)).to_dict(COALITIONS_LISTED)
        except PowerError as err:
            out.append({"id": body_id, "name": body.name, "problem": str(err)})
            continue
        for member in report["members"]:
            member["name"] = names.get(member["id"], member["id"].replace("-", " "))
        for rule in report["rules"]:
            rule["name"] = negotiation.bodies[rule["body"]].name if rule["body"] in negotiation.bodies else rule["body"]
        out.append({"id": body_id, "name": body.name, "problem": None, **report})
    return out


def _vetoes(negotiation: Negotiation, names: dict) -> list[dict]:
    out = []
    for list_id, candidates in negotiation.candidate_lists.items():
        if not candidates.candidates:  # a veto over names not yet known: shown among the drafted sections
            continue
        try:
            result = mutual_veto(candidates).to_dict()
        except VetoError as err:
            out.append({"list": list_id, "name": candidates.name, "problem": str(err)})
            continue
        result["party_names"] = {p: names.get(p, p) for p in result["parties"]}
        out.append({**result, "problem": None})
    return out


def _estimate(e: Estimate) -> dict:
    return {"likely": _num(e.likely), "low": _num(e.lower), "high": _num(e.upper), "range": e.is_range}


def _num(value) -> float | None:
    if value is None or not math.isfinite(float(value)):
        return None
    return round(float(value), 2)
