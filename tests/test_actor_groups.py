"""Groups a report names by description: "seven ethnic armed groups", "Libyan political rivals", "world powers".

A doer, speaker or holder without a name is still an actor when its words say
which group it is. Every story here is invented for this file; the spaCy
model is loaded once.
"""

from __future__ import annotations

import pytest

from detente.nlp.actors.document_actors import DocumentActors, find_actors
from detente.nlp.actors.identity import ActorIndex
from detente.nlp.actors.registry import ActorRegistry

PUBLISHED = "2015-10-16"

MYANMAR_STORY = """Myanmar signs truce with some of its armed groups

Eight armed groups signed a ceasefire with Myanmar's government on Thursday. Seven ethnic armed groups refused to sign it, and Myanmar's president said the door stayed open. Myanmar has fought ethnic insurgencies for decades. The armed groups that signed said they would meet again in January.
"""

SECOND_MYANMAR_STORY = """All 15 armed groups sent delegates to Myanmar's capital on Monday, Myanmar's president said. Myanmar's government welcomed them, and Myanmar's army said it would hold its fire.
"""

ROUNDUP = """Libyan political rivals signed a power-sharing deal on Thursday after months of talks. The Libyan delegations said the text would go to both parliaments. Five other world powers welcomed it, and Islamists in the south rejected it. Colombian voters, meanwhile, rejected their own deal. Azeri forces advanced, and the French sent jets. Both sides said they wanted peace, and the parties will meet again. Officials said nothing.
"""


@pytest.fixture(scope="module")
def run(nlp):
    def extract(text: str) -> DocumentActors:
        return find_actors(nlp(text), ActorRegistry.builtin(), PUBLISHED)

    return extract


@pytest.fixture(scope="module")
def roundup(run) -> DocumentActors:
    return run(ROUNDUP)


def actor_of(found: DocumentActors, words: str):
    """The actor record of the first mention whose words are `words`, or None."""
    mention = next((m for m in found.mentions if m.text == words), None)
    return found.actors[mention.actor] if mention else None


@pytest.mark.parametrize("words,name,country", [
    ("Libyan political rivals", "Libyan political rivals", "LBY"),
    ("Libyan delegations", "Libyan delegations", "LBY"),
    ("world powers", "world powers", None),
    ("Islamists", "Islamists", None),
    ("Colombian voters", "Colombian voters", "COL"),
])
def test_a_described_doer_is_a_group_named_by_the_text_with_its_nationality(roundup, words, name, country):
    actor = actor_of(roundup, words)
    assert actor is not None, words
    assert (actor.kind, actor.name, actor.country) == ("group", name, country)


def test_counts_and_ranks_are_not_part_of_a_group_s_name_but_stay_among_its_aliases(roundup):
    powers = actor_of(roundup, "world powers")
    assert powers.id == "world-powers"
    assert "Five other world powers" in powers.aliases


def test_a_nationality_before_a_military_noun_is_the_state_with_the_text_s_words(roundup):
    azerbaijan = actor_of(roundup, "Azeri forces")
    assert azerbaijan.id == "azerbaijan" and "Azeri forces" in azerbaijan.aliases
    france = actor_of(roundup, "the French")
    assert france.id == "france" and "the French" in france.aliases


def test_words_that_only_say_there_are_sides_name_no_group(roundup):
    texts = [m.text for m in roundup.mentions]
    assert not any(t in texts for t in ("Both sides", "the parties", "Officials"))
    assert not any(a.name.lower() in ("parties", "sides", "officials") for a in roundup.actors.values())


def test_a_domestic_group_belongs_to_the_state_the_report_is_about(run):
    found = run(MYANMAR_STORY)
    armed = actor_of(found, "armed groups")
    ethnic = actor_of(found, "ethnic armed groups")
    assert (armed.id, armed.country, armed.name) == ("armed-groups-mmr", "MMR", "armed groups")
    assert (ethnic.id, ethnic.country) == ("ethnic-armed-groups-mmr", "MMR")
    assert "Eight armed groups" in armed.aliases
    # "the armed groups that signed" later in the story is the same actor
    assert [m.actor for m in found.mentions if m.text == "armed groups"] == ["armed-groups-mmr"] * 2


def test_the_same_description_merges_across_reports_on_the_same_state(run):
    index = ActorIndex()
    first, second = run(MYANMAR_STORY), run(SECOND_MYANMAR_STORY)
    ids = {index.resolve(actor_of(found, "armed groups")) for found in (first, second)}
    assert ids == {"armed-groups-mmr"}


def test_a_group_only_spoken_about_is_no_actor(run):
    found = run("Fighting went on in Sudan. Sudan's army shelled Sudan's capital, and aid reached the displaced "
                "families of armed groups near Sudan's border.")
    assert actor_of(found, "armed groups") is None


def test_a_group_owned_by_a_possessive_is_left_to_its_owner(run):
    found = run("Mali's armed groups signed the text. Their fighters went home.")
    assert actor_of(found, "armed groups") is None
    assert actor_of(found, "fighters") is None


def test_the_store_keeps_every_report_s_words_for_a_state_s_forces_and_a_group(tmp_path):
    from detente.ingest.pipeline import ingest
    from detente.nlp.extract import extract_store
    from detente.store.database import open_engine
    from detente.store.extraction import known_actors

    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "one.txt").write_text("Truce holds in the mountains\n\nAzeri forces advanced on Tuesday, and Armenian "
                                    "officials said Armenia would answer. Azerbaijan denied it.\n", encoding="utf-8")
    (folder / "two.txt").write_text("Shelling resumes\n\nAzerbaijani troops shelled a village on Friday, Armenia said. "
                                    "Armenian officials called it a breach, and Azerbaijan said it had been fired on.\n",
                                    encoding="utf-8")
    engine = open_engine(str(tmp_path / "store.db"))
    ingest(engine, [str(folder)])
    extract_store(engine, ActorRegistry.builtin())
    actors = {a.id: a for a in known_actors(engine)}
    assert {"Azeri forces", "Azerbaijani troops"} <= set(actors["azerbaijan"].aliases)


def test_a_group_s_name_keeps_the_case_the_report_gives_its_words(run):
    found = run("International powers met on Monday. Islamists attacked a convoy. The international community "
                "watched, and Western diplomats said so.")
    assert actor_of(found, "International powers").name == "international powers"  # a sentence's capital only
    assert actor_of(found, "Islamists").name == "Islamists"
    assert actor_of(found, "Western diplomats").name == "Western diplomats"
