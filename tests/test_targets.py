"""The stance target registry: names, dated aliases, issue clauses, user files."""

from __future__ import annotations

from datetime import date

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.nlp.stances.targets import TargetFileError, TargetRegistry, in_window, slug


@pytest.fixture(scope="module")
def registry() -> TargetRegistry:
    return TargetRegistry.builtin()


def test_builtin_registry_has_the_shared_vocabulary(registry):
    for target_id in ("geneva-ii", "moscow-talks-2015", "resolution-2254", "assad-departure", "detainee-release"):
        assert target_id in registry
        assert registry.name(target_id) != target_id.replace("-", " ")


@pytest.mark.parametrize("phrase", ["the Moscow meeting", "the Russian-hosted talks", "the talks in Moscow",
                                    "Russia's effort", "the meeting in Moscow", "talks among Syrians in Moscow"])
def test_ways_of_naming_the_moscow_talks_meet_in_one_target(registry, phrase):
    assert registry.resolve(phrase, "2015-01-20") == "moscow-talks-2015"


def test_a_phrase_means_a_dated_target_only_inside_its_window(registry):
    assert registry.resolve("the talks in Moscow", "2013-05-07") is None
    assert registry.resolve("the talks in Geneva", "2014-01-25") == "geneva-ii"
    assert registry.resolve("the talks in Geneva", "2016-02-03") == "geneva-iii"


def test_a_date_less_precise_than_the_window_still_fits(registry):
    assert registry.resolve("the Moscow meeting", "2015") == "moscow-talks-2015"
    assert registry.resolve("the Moscow meeting", "2015-01-19/2015-01-25") == "moscow-talks-2015"


def test_a_one_word_alias_must_be_the_whole_phrase(registry):
    on = "2013-06-01"
    assert registry.resolve("the conference", on) == "geneva-ii"
    assert registry.resolve("an international peace conference", on) == "geneva-ii"
    assert registry.resolve("a news conference", on) is None
    assert registry.resolve("a donors' conference", on) is None


def test_spelling_variants_meet(registry):
    on = "2016-01-10"
    assert registry.resolve("U.N. Security Council Resolution 2254", on) == "resolution-2254"
    assert registry.resolve("the Geneva communiqué", on) == "geneva-communique"


def test_issue_clauses_are_read_and_their_reverse_is_marked(registry):
    found = registry.match("the demand that President Assad must step down")
    assert found is not None and found.id == "assad-departure" and not found.reverse
    reverse = registry.match("an arrangement keeping Assad in power")
    assert reverse is not None and reverse.id == "assad-departure" and reverse.reverse


def test_search_finds_issues_inside_a_longer_text(registry):
    text = "he said the rebels wanted the release of detainees and that assad had to go"
    hits = registry.search(text)
    assert {h.id for h in hits} == {"detainee-release", "assad-departure"}
    for hit in hits:
        assert text[hit.start : hit.end].strip()


def test_unknown_phrases_resolve_to_nothing(registry):
    assert registry.resolve("the weather in Damascus", "2015-01-01") is None
    assert registry.resolve("", None) is None


def test_names_of_unknown_ids_read_as_words(registry):
    assert registry.name("khatib-initiative") == "khatib initiative"


def test_user_file_adds_targets_and_overrides_by_id(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(
        "targets:\n"
        "  - id: astana-talks\n"
        "    name: Astana talks\n"
        "    kind: conference\n"
        "    aliases: [Astana talks, the Kazakh-hosted talks]\n"
        "    places: [Astana]\n"
        "    window: [2016-12, 2017-12]\n"
        "  - id: geneva-ii\n"
        "    name: Geneva II (renamed)\n"
        "    kind: conference\n"
        "    aliases: [Geneva II]\n",
        encoding="utf-8",
    )
    registry = TargetRegistry.load(path)
    assert registry.resolve("the meeting in Astana", "2017-01-23") == "astana-talks"
    assert registry.resolve("the Kazakh-hosted talks", "2017-05") == "astana-talks"
    assert registry.name("geneva-ii") == "Geneva II (renamed)"
    assert registry.resolve("the Montreux conference", "2014-01-22") is None  # the override dropped that alias
    assert "moscow-talks-2015" in registry


@pytest.mark.parametrize(
    "content, words",
    [
        ("targets: [ {name: no id} ]\n", "needs an `id`"),
        ("targets:\n  - {id: Bad Id, name: x}\n", "lower-case words"),
        ("targets:\n  - {id: x, window: [2015-05, 2014-01]}\n", "window"),
        ("targets:\n  - {id: x, kind: party}\n", "kind"),
        ("targets:\n  - {id: x, patterns: ['(unclosed']}\n", "regular expression"),
        ("targets: {id: x}\n", "`targets:` list"),
        ("targets: [\n", "not valid YAML"),
    ],
)
def test_bad_user_files_say_what_to_fix(tmp_path, content, words):
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TargetFileError, match=re.escape(words)) as err:
        TargetRegistry.load(path)
    assert "bad.yaml" in str(err.value) or "regular expression" in words


def test_missing_user_file_names_the_path(tmp_path):
    with pytest.raises(TargetFileError, match="nowhere.yaml"):
        TargetRegistry.load(tmp_path / "nowhere.yaml")


@given(st.text(max_size=60))
def test_slugs_are_stable_ids(phrase):
    made = slug(phrase)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", made)
    assert slug(made) == made


@given(st.text(max_size=80), st.one_of(st.none(), st.dates().map(lambda d: d.isoformat())))
@settings(max_examples=200)
def test_resolve_takes_any_text(phrase, on):
    registry = TargetRegistry.builtin()
    found = registry.resolve(phrase, on)
    assert found is None or found in registry


@given(st.dates(min_value=date(2, 1, 1), max_value=date(9998, 12, 1)), st.integers(0, 400), st.integers(0, 400))
def test_a_day_between_the_ends_of_a_window_is_inside_it(day, before, after):
    """(The days are kept a year or so from the calendar's ends, so the window itself can be written.)"""
    from datetime import timedelta

    first, last = day - timedelta(days=before), day + timedelta(days=after)
    window = (first.isoformat()[:7], last.isoformat())
    assert in_window(day.isoformat(), window)
    assert not in_window((last + timedelta(days=1)).isoformat(), (first.isoformat(), last.isoformat()))
