"""Actors of a document (mentions, roles) and their identity across documents.

Every test text is written for this file; the spaCy model is loaded once.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente.nlp.actors.document_actors import DocumentActors, find_actors
from detente.nlp.actors.identity import ActorIndex, same_person
from detente.nlp.records import ActorRecord
from detente.nlp.actors.registry import ActorRegistry

PUBLISHED = "2015-01-21"
SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def registry() -> ActorRegistry:
    return ActorRegistry.builtin()


@pytest.fixture(scope="module")
def run(nlp, registry):
    def extract(text: str, reg: ActorRegistry | None = None, published: str | None = PUBLISHED) -> DocumentActors:
        doc = nlp(text)
        found = find_actors(doc, reg or registry, published)
        check_offsets(doc.text, found)
        return found

    return extract


def check_offsets(text: str, found: DocumentActors) -> None:
    for mention in found.mentions:
        assert text[mention.start:mention.end] == mention.text
        assert mention.actor in found.actors
        assert mention.kind == found.actors[mention.actor].kind
        assert 0 < mention.confidence <= 1
    for before, after in zip(found.mentions, found.mentions[1:]):
        # in text order, never overlapping; one description may name two actors ("the two ministers")
        assert before.end <= after.start or (before.start, before.end) == (after.start, after.end)
    for record in found.affiliations:
        assert 0 <= record.span_start < record.span_end <= len(text)
        assert record.actor in found.actors


def texts_of(found: DocumentActors, actor: str) -> list[str]:
    return [m.text for m in found.mentions if m.actor == actor]


def roles_of(found: DocumentActors, actor: str) -> dict[str, str | None]:
    return {a.role: a.organization for a in found.affiliations if a.actor == actor}


# -- people and their later references -------------------------------------------

MEETING = (
    "Russia's Foreign Minister Sergei Lavrov met U.S. Secretary of State John Kerry at a hotel beside the lake "
    "on Tuesday. Mr. Kerry told reporters that the meeting had been useful. Later the secretary flew to London. "
    "Kerry's aides would not comment, and Lavrov said Moscow would keep pressing Damascus."
)


def test_titles_before_names_give_roles_dated_by_the_document(run):
    found = run(MEETING)
    assert roles_of(found, "sergei-lavrov") == {"Foreign Minister": "russia"}
    assert roles_of(found, "john-kerry") == {"Secretary of State": "united-states"}
    assert all(a.start == a.end == PUBLISHED for a in found.affiliations)
    assert found.actors["john-kerry"].kind == "person"
    assert found.actors["sergei-lavrov"].country == "RUS"  # a minister of Russia is Russian


def test_surnames_honorifics_titles_and_possessives_resolve_to_the_full_name(run):
    found = run(MEETING)
    assert texts_of(found, "john-kerry") == ["John Kerry", "Mr. Kerry", "the secretary", "Kerry"]
    assert texts_of(found, "sergei-lavrov") == ["Sergei Lavrov", "Lavrov"]


def test_person_mentions_are_in_text_order(run):
    found = run(MEETING)
    starts = [m.start for m in found.mentions]
    assert starts == sorted(starts)


def test_apposition_after_a_name(run):
    found = run("Lina Haddad, director of the Carter Center's Peace Program, arrived on Sunday. "
                "Dr. Haddad met opposition figures in Istanbul.")
    [record] = [a for a in found.affiliations if a.actor == "lina-haddad"]
    assert (record.role, record.organization) == ("director", "carter-center")
    assert record.organization_text == "the Carter Center's Peace Program"
    assert texts_of(found, "lina-haddad") == ["Lina Haddad", "Dr. Haddad"]
    assert "syrian-opposition" not in found.actors  # whose opposition, the report does not say


def test_possessive_apposition_and_title_of_organisation_then_name(run):
    found = run("Sergey V. Lavrov, Russia’s foreign minister, spoke first. Then the foreign minister of Iran, "
                "Mohammad Javad Zarif, took the floor. The Russian Foreign Minister later left early.")
    assert roles_of(found, "sergey-lavrov") == {"Foreign Minister": "russia"}
    assert roles_of(found, "mohammad-javad-zarif") == {"Foreign Minister": "iran"}
    assert texts_of(found, "sergey-lavrov")[-1] == "The Russian Foreign Minister"


def test_former_roles_end_at_the_document_date(run):
    found = run("Former President Jimmy Carter wrote to both sides. President Bashar al-Assad did not reply, "
                "and Assad’s forces kept shelling the suburbs.")
    [carter] = [a for a in found.affiliations if a.actor == "jimmy-carter"]
    [assad] = [a for a in found.affiliations if a.actor == "bashar-al-assad"]
    assert carter.role == "President" and carter.start is None and carter.end == PUBLISHED
    assert carter.confidence < assad.confidence
    assert texts_of(found, "bashar-al-assad") == ["Bashar al-Assad", "Assad"]  # curly possessive dropped


def test_envoy_named_after_a_title_is_a_person_however_the_tagger_labels_it(run):
    found = run("UN envoy Staffan de Mistura flew to Geneva. Mr. de Mistura said the plan was fragile.")
    assert found.actors["staffan-de-mistura"].kind == "person"
    assert texts_of(found, "staffan-de-mistura") == ["Staffan de Mistura", "Mr. de Mistura"]
    assert roles_of(found, "staffan-de-mistura") == {"envoy": "united-nations"}


def test_people_sharing_a_surname_stay_apart(run):
    found = run("Hafez al-Assad ruled Syria for three decades. His son Bashar al-Assad took over in 2000. "
                "Assad has refused to step down.")
    assert {"hafez-al-assad", "bashar-al-assad"} <= set(found.actors)
    assert texts_of(found, "bashar-al-assad") == ["Bashar al-Assad", "Assad"]  # the nearest full name


# -- collective actors and places -----------------------------------------------


def test_collective_actors(run):
    found = run("Russian officials said the Assad regime would attend. Syria's opposition refused, and Syrian rebel "
                "fighters kept their positions in Syria. State Department officials declined to comment. The opposition "
                "said Syria's government had broken its word.")
    assert texts_of(found, "russia") == ["Russian officials"]
    assert texts_of(found, "syria-government") == ["Assad regime", "Syria's government"]
    assert found.actors["syria-government"].kind == "state"
    assert found.actors["syria-government"].country == "SYR"
    assert texts_of(found, "syrian-rebels") == ["Syrian rebel fighters"]
    assert texts_of(found, "us-state-department") == ["State Department officials"]
    assert texts_of(found, "syrian-opposition") == ["The opposition"]  # a report on Syria: Syria's opposition


def test_a_capital_is_the_government_only_when_it_acts(run):
    text = ("The talks in Moscow ended without a deal. Moscow rejected the criticism, and Damascus's envoy "
            "walked out of a hotel in Damascus.")
    found = run(text)
    assert [(m.actor, m.start) for m in found.mentions if m.text == "Moscow"] == [("russia", text.index("Moscow rejected"))]
    assert [m.start for m in found.mentions if m.text == "Damascus"] == [text.index("Damascus's")]
    assert texts_of(found, "syria-government") == ["Damascus"]


def test_a_state_named_only_as_a_place_is_not_an_actor(run):
    found = run("Talks with armed groups went on in Turkey. Iran said it supported the plan.")
    assert "turkey" not in found.actors
    assert texts_of(found, "iran") == ["Iran"]


def test_nationality_of_one_person_is_not_a_state(run):
    found = run("Nabil Azar, a veteran Algerian diplomat, chaired the session.")
    assert "algeria" not in found.actors


def test_news_outlets_are_not_actors(run):
    found = run("Qatar told Reuters that it would host the meeting.")
    assert "reuters" not in found.actors
    assert "qatar" in found.actors


# -- the registry at work -------------------------------------------------------

USER_REGISTRY = """
actors:
  - id: john-kerry
    name: John Kerry
    kind: person
    country: USA
    aliases: [Kerry]
    roles:
      - {role: Secretary of State, organization: united-states, start: 2013-02-01, end: 2017-01-20}
"""


@pytest.fixture(scope="module")
def user_registry(tmp_path_factory) -> ActorRegistry:
    path = tmp_path_factory.mktemp("registry") / "actors.yaml"
    path.write_text(USER_REGISTRY, encoding="utf-8")
    return ActorRegistry.load(path)


def test_registry_names_win_and_text_roles_stay_dated_by_the_document(run, user_registry):
    found = run("Kerry arrived late. Secretary of State John Kerry then spoke for an hour.", reg=user_registry)
    assert texts_of(found, "john-kerry") == ["Kerry", "John Kerry"]
    [record] = found.affiliations
    assert record.start == record.end == PUBLISHED
    assert record.organization == "united-states"


def test_reference_to_a_registry_role_attests_it(run, user_registry):
    found = run("John Kerry arrived late. “We will keep talking,” the US secretary of state said.", reg=user_registry)
    assert texts_of(found, "john-kerry")[-1] == "secretary of state"
    assert roles_of(found, "john-kerry") == {"Secretary of State": "united-states"}


# -- robustness -----------------------------------------------------------------


@pytest.mark.parametrize("text", ["", " ", "\n\n\n", "“", "Mr.", "the secretary said", "'s 's", "Kerry’s", "ش", "🙂 Mr. 🙂"])
def test_odd_input_never_crashes(run, text):
    found = run(text)
    assert isinstance(found.mentions, list)


WORDS = ["Mr.", "Dr.", "Kerry", "John", "Lavrov", "Sergei", "Moscow", "Damascus", "Russia", "Syrian", "officials",
         "the", "secretary", "of", "State", "President", "former", "UN", "envoy", ",", ".", "’s", "'s", "“", "”", '"',
         "said", "al-Assad", "de", "Mistura", "opposition", "rebels", "Foreign", "Minister", "\n", "in", "—", "é", "(",
         ")", "NCC", "head", "Carter", "Center", "told"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join) | st.text(max_size=120))
def test_never_raises_and_offsets_always_index_the_text(run, text):
    run(text)


def test_works_without_a_parser_or_tagger(registry):
    import spacy

    doc = spacy.blank("en")("Russian officials said Mr. Kerry met the opposition in Moscow. Kerry left.")
    found = find_actors(doc, registry, None)
    check_offsets(doc.text, found)
    assert texts_of(found, "russia") == ["Russian officials"]
    assert [m.text for m in found.mentions if m.kind == "person"] == ["Mr. Kerry", "Kerry"]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=80))
def test_no_publication_date_is_fine(run, text):
    found = run("Foreign Minister Sergei Lavrov spoke. " + text, published=None)
    assert all(a.start is None for a in found.affiliations)


# -- identity across documents --------------------------------------------------


def person(actor_id: str, name: str, *aliases: str, country: str | None = None) -> ActorRecord:
    return ActorRecord(actor_id, name, "person", country, list(aliases))


@pytest.mark.parametrize("first,second", [
    ("Sergei Lavrov", "Sergey V. Lavrov"),
    ("Mohammad Javad Zarif", "Mohammed Javad Zarif"),
    ("Bashar al-Assad", "Bashar Al Assad"),
    ("Staffan de Mistura", "Staffan De Mistura"),
    ("Ahmad Jarba", "Ahmed Jarba"),
])
def test_spelling_variants_are_one_person(first, second):
    index = ActorIndex([person("a", first)])
    assert index.resolve(person("b", second)) == "a"


@pytest.mark.parametrize("first,second", [
    ("Bashar al-Assad", "Hafez al-Assad"),
    ("Moaz al-Khatib", "Abdul-Aziz al-Khair"),
    ("Hassan Nasrallah", "Hussein Nasrallah"),
    ("Mohammad Abbas", "Mahmoud Abbas"),
])
def test_different_people_are_never_merged(first, second):
    index = ActorIndex([person("a", first)])
    assert index.resolve(person("b", second)) == "b"
    assert not same_person(first, second)


def test_a_bare_surname_joins_its_only_known_bearer():
    index = ActorIndex([person("bashar-al-assad", "Bashar al-Assad")])
    assert index.resolve(person("assad", "Assad")) == "bashar-al-assad"


def test_a_bare_surname_shared_by_two_known_people_stays_apart():
    index = ActorIndex([person("bashar-al-assad", "Bashar al-Assad"), person("hafez-al-assad", "Hafez al-Assad")])
    assert index.resolve(person("assad", "Assad")) == "assad"


def test_kinds_and_countries_keep_actors_apart():
    index = ActorIndex([ActorRecord("jordan", "Jordan", "state", "JOR")])
    assert index.resolve(person("jordan", "Jordan")) != "jordan"
    index = ActorIndex([ActorRecord("national-council", "National Council", "group", "SYR")])
    assert index.resolve(ActorRecord("nc", "National Council", "group", "IRQ")) == "nc"


def test_organisation_names_match_without_article_or_punctuation():
    index = ActorIndex([ActorRecord("carter-center", "Carter Center", "organization", "USA")])
    assert index.resolve(ActorRecord("the-carter-center", "The Carter Center", "organization", None)) == "carter-center"
    assert index.resolve(ActorRecord("syrian-national-council", "Syrian National Council", "group", None)) == "syrian-national-council"


def test_a_matched_record_teaches_the_index_its_spelling():
    index = ActorIndex([person("sergei-lavrov", "Sergei Lavrov")])
    assert index.resolve(person("s", "Sergey V. Lavrov", "Sergey Lavrov")) == "sergei-lavrov"
    assert index.resolve(person("t", "Sergey Lavrov")) == "sergei-lavrov"


name_parts = st.sampled_from(["Sergei", "Sergey", "Bashar", "Hafez", "Moaz", "al-Khatib", "al-Assad", "Lavrov",
                              "Kerry", "John", "V.", "Mohammed", "Mohammad", "Zarif", "de", "Mistura"])


@given(st.lists(st.lists(name_parts, min_size=1, max_size=4).map(" ".join), min_size=1, max_size=8))
def test_resolve_is_stable(names):
    index = ActorIndex()
    first = [index.resolve(person(f"p{n}", name)) for n, name in enumerate(names)]
    again = [index.resolve(person(f"p{n}", name)) for n, name in enumerate(names)]
    assert first == again


# -- the real articles, when this checkout has them -----------------------------


@pytest.mark.slow
@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared seed articles not present")
def test_seed_articles_name_each_person_once(nlp, registry):
    index = ActorIndex()
    kinds: dict[str, str] = {}
    for path in sorted(SEEDS.glob("*.txt")):
        doc = nlp(path.read_text(encoding="utf-8"))
        found = find_actors(doc, registry, None)
        check_offsets(doc.text, found)
        for record in found.actors.values():
            kinds[index.resolve(record)] = record.kind
    lavrovs = [actor for actor in kinds if "lavrov" in actor]
    assert lavrovs == ["sergei-lavrov"]
    for actor in ["hrair-balian", "robert-pastor", "moaz-al-khatib", "staffan-de-mistura", "john-kerry",
                  "lakhdar-brahimi", "emile-hokayem", "mohammad-javad-zarif"]:
        assert kinds.get(actor) == "person", actor
