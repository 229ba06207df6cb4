"""Roles read by people name the organisation; the files other tools read keep its id."""

from __future__ import annotations

import json

from click.testing import CliRunner
from web_store import WebStore

from detente.cli import main
from detente.present.views import build_actors, build_overview
from detente.store.schema import affiliations


def _store_with_roles(tmp_path) -> tuple[str, WebStore]:
    from detente.store.database import open_engine

    db = str(tmp_path / "roles.db")
    store = WebStore(open_engine(db))
    doc = store.oslo_doc
    store._insert(affiliations, actor="istvan-varga", organization="norway", organization_text="Oslo", role="Foreign Minister",
                  start="2013-05-07", doc=doc, extractor="core/2", confidence=0.9)
    store._insert(affiliations, actor="amara-okafor", organization="northern-council", organization_text="the northern council",
                  role="envoy", start="2013-05-07", doc=doc, extractor="core/2", confidence=0.9)
    store._insert(affiliations, actor="istvan-varga", organization="finland", role="envoy", end="2013-05-01",
                  doc=doc, extractor="core/2", confidence=0.9)  # a former role: only its end is known
    return db, store


def test_roles_name_the_organisation_in_pages_and_the_cli(tmp_path):
    db, store = _store_with_roles(tmp_path)
    overview = {a["id"]: a["roles"] for a in build_overview(store.engine)["main_actors"]}
    listed = {a["id"]: a["roles"] for a in build_actors(store.engine)["actors"]}
    for roles in (overview, listed):
        assert roles["istvan-varga"] == ["envoy, Finland (until 2013-05-01)", "Foreign Minister, Norway (2013-05-07)"]
        assert roles["amara-okafor"] == ["envoy, the northern council (2013-05-07)"]
    table = CliRunner().invoke(main, ["actors", "--db", db], catch_exceptions=False).output
    assert "Foreign Minister, Norway" in table and "Minister, norway" not in table


def test_exports_keep_the_organisation_id(tmp_path):
    db, _store = _store_with_roles(tmp_path)
    out = CliRunner().invoke(main, ["export", "--db", db, "--format", "json"], catch_exceptions=False).output
    organizations = {(a["actor"], a["organization"]) for a in json.loads(out)["affiliations"]}
    assert organizations == {("istvan-varga", "norway"), ("istvan-varga", "finland"), ("amara-okafor", "northern-council")}
