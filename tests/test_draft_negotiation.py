"""The negotiation drafted from a store: bodies from bloc claims, parties and patrons, thresholds, series,
candidate lists and conference participation, every number with its source; the file round trip; the page.

The store is filled row by row from short texts of our own about an invented conflict (no extractor
runs), so these tests depend only on the schema and on the drafting rules.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from detente.negotiation.commands import model_group
from detente.negotiation.draft import draft_negotiation
from detente.negotiation.files import dump_negotiation, load_negotiation, parse_negotiation_yaml
from detente.negotiation.power import analyse_power, game_from_body
from detente.present.views.negotiation import build_negotiation
from detente.store.database import open_engine
from detente.store.schema import affiliations, claims, documents, events
from row_store import RowStore

COUNCIL = (
    "The Unity Council of Veloria met in Tarsk on Monday. The reformers hold 42 of the council's 80 members. "
    "The Green Bloc controls 30 votes in the council. The River Group has 12 votes in the council.\n\n"
    "Under the accord, each party may veto names for the transitional cabinet."
)
TALKS = (
    "Norland invited the government and the rebels to talks in Tarsk next month. "
    "The rebels refused to attend the talks in Tarsk. "
    "Norland has armed the government by sending weapons across the border. "
    "Special envoy Ines Moreau praised the plan. "
    "The rebels will only attend if Assad steps down first."
)
EARLIER = "In January the rebels backed the ceasefire plan. In March the rebels rejected the ceasefire plan."


class DraftStore(RowStore):
    names = {
        "Unity Council": "unity-council", "Norland": "norland", "the government": "veloria-government",
        "the rebels": "veloria-rebels", "Ines Moreau": "ines-moreau", "the council": "unity-council",
    }

    def _fill(self) -> None:
        for doc, text, published in (("d1", COUNCIL, "2020-02-01"), ("d2", TALKS, "2020-03-10"), ("d3", EARLIER, "2020-03-20")):
            self.texts[doc] = text
            self._insert(documents, id=doc, content_hash=doc, text=text, removed=[], reader="text",
                         ingested_at="2024-01-01T00:00:00", published=published)
        self._actors({
            "unity-council": ("Unity Council", "organization", "VLR"),
            "norland": ("Norland", "state", "NLD"),
            "veloria-government": ("Government of Veloria", "state", "VLR"),
            "veloria-rebels": ("Veloria rebels", "group", "VLR"),
            "ines-moreau": ("Ines Moreau", "person", None),
        })
        self.ids["total"] = self._claim("d1", "80 members", "unity-council", "members", 80)
        self.ids["reformers"] = self._claim("d1", "42 of the council", "reformers", "members", 42)
        self.ids["green"] = self._claim("d1", "30 votes", "green-bloc", "votes", 30)
        self.ids["river"] = self._claim("d1", "12 votes", "river-group", "votes", 12)
        self.ids["invite"] = self._event("d2", "invited the government and the rebels to talks in Tarsk", "AGREE", None,
                                         ["norland"], ["veloria-government", "veloria-rebels"], "planned", "Tarsk")
        self.ids["refusal"] = self._event("d2", "refused to attend the talks in Tarsk", "REJECT", "meet",
                                          ["veloria-rebels"], [], "reported", "Tarsk")
        self.ids["arms"] = self._event("d2", "has armed the government by sending weapons", "AID", "military",
                                       ["norland"], ["veloria-government"], "reported", None)
        start, end = self.span("d2", "Special envoy Ines Moreau")
        self._insert(affiliations, actor="ines-moreau", role="special envoy", doc="d2", span_start=start, span_end=end,
                     extractor="core/1")
        self.ids["moscow"] = self._stance("d2", "refused to attend the talks in Tarsk", "veloria-rebels", "talks-in-tarsk", "oppose")
        self.ids["norland-talks"] = self._stance("d2", "invited the government and the rebels to talks in Tarsk",
                                                 "norland", "talks-in-tarsk", "support")
        self.ids["condition"] = self._stance("d2", "will only attend if Assad steps down first", "veloria-rebels",
                                             "talks-in-tarsk", "condition", condition="Assad steps down first")
        self.ids["departure"] = self._stance("d2", "Assad steps down", "norland", "assad-departure", "oppose")
        self.ids["backed"] = self._dated_stance("d3", "backed the ceasefire plan", "veloria-rebels", "ceasefire-plan", "support", "2020-01")
        self.ids["rejected"] = self._dated_stance("d3", "rejected the ceasefire plan", "veloria-rebels", "ceasefire-plan", "oppose", "2020-03")
        self._dated_stance("d3", "In January", "norland", "ceasefire-plan", "support", "2020-01")

    def _claim(self, doc, words, subject, prop, value) -> int:
        start, end = self.span(doc, words)
        return self._insert(claims, doc=doc, start=start, end=end, subject=subject, property=prop, value=value,
                            unit=prop, extractor="claims/1", confidence=0.8)

    def _event(self, doc, words, type_, mode, doers, receivers, status, location) -> int:
        start, end = self.span(doc, words)
        return self._insert(events, doc=doc, start=start, end=end, type=type_, mode=mode, actors=doers,
                            recipients=receivers, status=status, location=location, text=words,
                            extractor="events/1", confidence=0.8)

    def _dated_stance(self, doc, words, actor, target, polarity, date) -> int:
        from detente.store.schema import stances

        start, end = self.span(doc, words)
        return self._insert(stances, doc=doc, start=start, end=end, actor=actor, target=target, polarity=polarity,
                            date=date, extractor=self.extractor, confidence=0.7)


@pytest.fixture
def store(engine) -> DraftStore:
    return DraftStore(engine)


@pytest.fixture
def drafted(store):
    return draft_negotiation(store.engine, store="test.db").negotiation


def test_bloc_claims_make_a_body_of_the_finest_blocs_and_the_rest_with_a_majority_quota(store, drafted):
    body = drafted.bodies["unity-council"]
    assert body.weights == {"green-bloc": 30, "river-group": 12, "rest-of-unity-council": 38}
    assert body.quota == 41  # more than half of 80; no other rule in the text
    assert "simple majority of 80" in body.sources["quota"]
    assert f"claim {store.ids['green']}" in body.sources["green-bloc"] and "30 votes in the council" in body.sources["green-bloc"]
    assert "80 − 30 − 12 = 38" in body.sources["rest-of-unity-council"]
    assert any("reformers (42) is made of" in note for note in drafted.draft.notes)
    power = analyse_power(game_from_body("unity-council", drafted.bodies)).to_dict(10)
    shares = {m["id"]: m["banzhaf"] for m in power["members"]}
    assert len(set(round(v, 9) for v in shares.values())) == 1  # any two blocs win, none alone: equal power


def test_a_bloc_figure_in_a_sentence_that_does_not_name_the_body_is_not_a_bloc_of_it(engine):
    class Elsewhere(DraftStore):
        def _fill(self):
            super()._fill()
            text = "The Harbour Union has 7 votes in the port board."
            self.texts["d4"] = text
            self._insert(documents, id="d4", content_hash="d4", text=text, removed=[], reader="text",
                         ingested_at="2024-01-01T00:00:00")
            self._claim("d4", "7 votes", "harbour-union", "votes", 7)

    negotiation = draft_negotiation(Elsewhere(engine).engine).negotiation
    assert "harbour-union" not in negotiation.bodies["unity-council"].weights


def test_patrons_back_their_clients_and_envoys_mediate(store, drafted):
    norland = drafted.actors["norland"]
    assert norland.role == "patron" and norland.backs == ["veloria-government"]
    assert f"event {store.ids['arms']}" in norland.role_source and "sending weapons" in norland.role_source
    assert drafted.actors["ines-moreau"].role == "mediator"
    assert "special envoy" in drafted.actors["ines-moreau"].role_source
    assert drafted.actors["veloria-rebels"].role == "party"


def test_a_condition_becomes_a_threshold_on_the_issue_it_states(store, drafted):
    departure = drafted.issues["assad-departure"]
    threshold = departure.thresholds["veloria-rebels"]
    assert threshold.likely == 100 and f"stance {store.ids['condition']}" in threshold.source
    assert departure.positions["veloria-rebels"].likely == 100
    assert departure.positions["norland"].likely == 20


def test_positions_come_from_the_latest_stance_and_keep_the_earlier_ones_as_a_series(store, drafted):
    plan = drafted.issues["ceasefire-plan"]
    rebels = plan.positions["veloria-rebels"]
    assert rebels.likely == 20 and (rebels.lower, rebels.upper) == (20, 80)
    assert [(p.date, p.value) for p in plan.series["veloria-rebels"]] == [("2020-01", 80), ("2020-03", 20)]
    assert f"stance {store.ids['rejected']}" in rebels.source and "rejected the ceasefire plan" in rebels.source


def test_a_veto_over_names_makes_a_candidate_list_for_the_post(drafted):
    cabinet = drafted.candidate_lists["transitional-cabinet"]
    assert cabinet.candidates == [] and set(cabinet.parties) == {"veloria-government", "veloria-rebels"}
    assert "veto names for the transitional cabinet" in cabinet.source


def test_conference_participation_names_convener_invited_and_refusals(store, drafted):
    talks = drafted.conferences["talks-in-tarsk"]
    assert talks.place == "Tarsk"
    assert "convener" in talks.participants["norland"]
    assert "invited" in talks.participants["veloria-government"]
    assert {"invited", "refuses", "conditions"} <= set(talks.participants["veloria-rebels"])
    assert f"event {store.ids['refusal']}" in talks.sources["veloria-rebels:refuses"]


def test_every_number_in_the_draft_file_names_its_source_and_the_file_reads_back(tmp_path, drafted):
    text = dump_negotiation(drafted)
    numbers = [line for line in text.splitlines()
               if any(line.lstrip().startswith(k) for k in ("capability:", "quota:", "green-bloc:", "river-group:"))]
    assert numbers and all("# source:" in line for line in numbers)
    back = parse_negotiation_yaml(text, "draft.yaml")
    assert back.draft is not None and back.draft.made_from == "test.db"
    assert back.bodies["unity-council"].weights == drafted.bodies["unity-council"].weights
    assert back.bodies["unity-council"].member_names["rest-of-unity-council"].startswith("the rest of")
    assert back.issues["assad-departure"].thresholds["veloria-rebels"].likely == 100
    assert [p.value for p in back.issues["ceasefire-plan"].series["veloria-rebels"]] == [80, 20]
    assert back.conferences["talks-in-tarsk"].participants == drafted.conferences["talks-in-tarsk"].participants
    assert back.candidate_lists["transitional-cabinet"].parties == drafted.candidate_lists["transitional-cabinet"].parties
    assert back.actors["norland"].role == "patron" and back.actors["norland"].backs == ["veloria-government"]


def test_a_hand_written_file_without_the_new_fields_still_loads():
    old = """
name: Old file
actors:
  - {id: a, name: A, capability: 2}
  - {id: b, name: B, capability: 1}
issues:
  - id: x
    name: X
    scale: {0: none, 100: all}
    positions: {a: 10, b: 90}
    salience: {a: 50, b: 50}
bodies:
  - {id: c, name: C, quota: 2, weights: {a: 1, b: 1}}
candidate_lists:
  - {id: l, name: L, candidates: [p, q], vetoes: {a: [p]}}
"""
    negotiation = parse_negotiation_yaml(old, "old.yaml")
    assert negotiation.draft is None and not negotiation.conferences
    assert negotiation.actors["a"].role is None and negotiation.candidate_lists["l"].parties == []


def test_bad_new_fields_are_reported_with_their_line():
    text = """
name: N
actors:
  - {id: a, name: A, capability: 1, role: sponsor}
issues: []
conferences:
  - id: c
    participants: {a: [dancing]}
"""
    with pytest.raises(Exception) as err:
        parse_negotiation_yaml(text, "n.yaml")
    message = str(err.value)
    assert "n.yaml line 4" in message and "role must be one of" in message
    assert "participation must be among" in message


def test_the_page_shows_the_draft_with_its_sources(store):
    data = build_negotiation(store.engine)
    assert data["draft"]["made_from"]
    body = data["body_sources"][0]
    assert [r["weight"] for r in body["rows"]] == [30, 12, 38] and body["quota"] == 41
    talks = next(c for c in data["conferences"] if c["id"] == "talks-in-tarsk")
    rebels = next(r for r in talks["rows"] if r["name"] == "Veloria rebels")
    refusal = rebels["entries"]["refuses"]
    assert "refused to attend" in refusal["text"] and f"event {store.ids['refusal']}" in refusal["label"]
    patron = next(p for p in data["parties"] if p["id"] == "norland")
    assert patron["role"] == "patron" and patron["backs"] == ["Government of Veloria"]
    assert build_negotiation(open_engine(":memory:")) is None  # nothing to draft from: no page


def test_a_given_file_wins_over_the_draft(store, tmp_path):
    text = "name: Given\nactors: [{id: a, name: A, capability: 1}]\nissues: []\n"
    path = tmp_path / "given.yaml"
    path.write_text(text, encoding="utf-8")
    data = build_negotiation(store.engine, model=path)
    assert data["name"] == "Given" and data["draft"] is None


def test_model_commands_say_a_file_is_a_draft(tmp_path, store, drafted):
    path = tmp_path / "draft.yaml"
    path.write_text(dump_negotiation(drafted), encoding="utf-8")
    assert load_negotiation(path).draft is not None
    result = CliRunner().invoke(model_group, ["forecast", str(path), "--issue", "ceasefire-plan"])
    assert result.exit_code == 0, result.output
    assert "Draft:" in result.output and "drafted by detente" in result.output


def test_capability_comes_from_the_index_table_for_states_votes_for_groups_else_a_stated_default(store):
    from detente.negotiation.drafting.capability import IndexRow, draft_capability, load_table
    from detente.negotiation.drafting.facts import StoreFacts

    facts = StoreFacts.read(store.engine)
    table = (IndexRow("NLD", 2018, 0.25, "TEST-INDEX", "a test table"), IndexRow("NLD", 2021, 0.5, "TEST-INDEX", "a test table"))
    found = draft_capability(facts, "norland", 2020, table)
    assert found.likely == 0.25 and found.source.startswith("TEST-INDEX 2018 for NLD: a test table")  # nearest earlier year
    assert draft_capability(facts, "green-bloc", 2020, table).likely == 30  # its votes
    fallback = draft_capability(facts, "veloria-government", 2020, table)
    assert fallback.likely == 1 and "default" in fallback.source and "no row in the capability table" in fallback.source
    assert all(row.citation for row in load_table())  # every bundled row cites its release


def test_the_bundled_table_holds_the_published_cinc_scores():
    from detente.negotiation.drafting.capability import load_table, state_capability

    table = load_table()
    syria = [row for row in table if row.country == "SYR" and row.year == 2013]
    assert len(syria) == 1
    assert syria[0].value == 0.0031649568 and syria[0].index == "CINC"  # NMC v6.0, SYR (COW 652), 2013
    assert "National Material Capabilities v6.0" in syria[0].citation
    assert all(isinstance(row.value, float) and 0 < row.value < 1 for row in table)
    found = state_capability("SYR", 2013, table)
    assert found.likely == 0.0031649568 and found.source.startswith("CINC 2013 for SYR: Correlates of War Project")
    assert state_capability("SYR", 2020, table).source.startswith("CINC 2016 for SYR")  # nearest earlier year


def test_a_cited_sentence_is_the_whole_sentence_across_abbreviations():
    from detente.negotiation.drafting.facts import StoreFacts

    text = "Talks stalled. Norland plans a meeting on Jan. 26 with the U.S. and Mr. Dale in Tarsk. Nobody came."
    facts = StoreFacts(texts={"d": text})
    start = text.index("Norland")
    end = text.index("Tarsk.") + len("Tarsk.")
    assert facts.sentence("d", start, end) == text[start:end]
    assert facts.sentence("d", text.index("meeting"), text.index("meeting") + 7) == text[start:end]
    assert facts.sentence("d", 0, 5) == "Talks stalled."


def test_a_rule_the_text_states_replaces_the_simple_majority(engine):
    class TwoThirds(DraftStore):
        def _fill(self):
            super()._fill()
            text = "Decisions of the Unity Council need a two-thirds majority."
            self.texts["d5"] = text
            self._insert(documents, id="d5", content_hash="d5", text=text, removed=[], reader="text",
                         ingested_at="2024-01-01T00:00:00")
            self._mentions("d5")

    body = draft_negotiation(TwoThirds(engine).engine).negotiation.bodies["unity-council"]
    assert body.quota == 54  # two thirds of 80, rounded up to whole votes
    assert "two-thirds majority" in body.sources["quota"]


def test_an_undated_open_target_whose_name_reads_as_a_registered_one_joins_it(engine):
    from detente.store.schema import stances

    class Undated(DraftStore):
        def _fill(self):
            super()._fill()
            text = "Norland backs the talks in Moscow, which the rebels shun."
            self.texts["d6"] = text
            self._insert(documents, id="d6", content_hash="d6", text=text, removed=[], reader="text",
                         ingested_at="2024-01-01T00:00:00")
            for actor, polarity in (("norland", "support"), ("veloria-rebels", "oppose")):
                self._insert(stances, doc="d6", start=0, end=len(text), actor=actor, target="talks-in-moscow",
                             target_name="talks in Moscow", polarity=polarity, extractor="t", confidence=0.7)

    draft = draft_negotiation(Undated(engine).engine).negotiation
    assert "moscow-talks-2015" in draft.issues and "talks-in-moscow" not in draft.issues
    assert draft.issues["moscow-talks-2015"].name.startswith("Moscow talks")
    assert any("read as Moscow talks" in note for note in draft.draft.notes)


COUNCIL_REPORT = """Veloria council splits over Tarsk talks

TARSK, March 3, 2021 — The Veloria National Council is divided before the talks in Tarsk.

The reformers hold a majority of 42 of the council's 80 members, council officials said. The Green Bloc controls \
30 votes in the council, and the River Group has 12 votes in the council.
"""


def test_run_without_a_file_drafts_the_council_as_a_voting_body_with_equal_blocs(tmp_path):
    """End to end, as a user runs it: extraction finds the bloc claims, the report shows the drafted body."""
    from detente.cli import main

    corpus = tmp_path / "reports"
    corpus.mkdir()
    (corpus / "council.txt").write_text(COUNCIL_REPORT, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(corpus), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    page = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="draft-provenance"' in page and "where the votes come from" in page
    body = draft_negotiation(open_engine(str(out / "detente.db"))).negotiation.bodies["veloria-national-council"]
    assert sorted(body.weights.values()) == [12, 30, 38] and body.quota == 41


def test_a_refusal_placed_where_the_conference_is_named_to_be_held_counts_without_naming_who(engine):
    from detente.negotiation.drafting.conferences import UNNAMED, draft_conferences
    from detente.negotiation.drafting.facts import StoreFacts

    class Placed(RowStore):
        names = {"Norland": "norland"}

        def _fill(self):
            text = "Norland backs the Tarsk talks. Several delegates refused to attend the talks in Tarsk."
            self.texts["p1"] = text
            self._insert(documents, id="p1", content_hash="p1", text=text, removed=[], reader="text",
                         ingested_at="2024-01-01T00:00:00")
            self._actors({"norland": ("Norland", "state", "NLD")})
            self._stance("p1", "Norland backs the Tarsk talks", "norland", "tarsk-talks", "support")
            start, end = self.span("p1", "refused to attend the talks in Tarsk")
            self._insert(events, doc="p1", start=start, end=end, type="REJECT", mode="meet", actors=[], recipients=[],
                         status="reported", location="Tarsk", text="refused to attend the talks in Tarsk",
                         extractor="events/1", confidence=0.5)

    store = Placed(engine)
    conference = draft_conferences(StoreFacts.read(store.engine))["tarsk-talks"]
    assert conference.place == "Tarsk"
    assert conference.participants == {"norland": ["supports"], UNNAMED: ["refuses"]}


def test_a_large_store_drafts_its_main_parties_only(tmp_path):
    import sys

    from conftest import ROOT

    from detente.negotiation.draft import MAX_PARTIES

    sys.path.insert(0, str(ROOT / "bench"))
    from large_store import build_store

    engine = open_engine(str(tmp_path / "large.db"))
    build_store(engine, 300, seed=3, index=False)
    draft = draft_negotiation(engine)
    holders = {a for issue in draft.negotiation.issues.values() for a in issue.positions}
    assert 0 < len(holders) <= MAX_PARTIES
    assert any(f"Only the {MAX_PARTIES} actors holding the most positions" in note for note in draft.header)
