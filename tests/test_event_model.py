"""The learned event-type model: the packaged artefact, its features, its substitution, its training.

Sentences are written for these tests. The training tests need the public
data in ../shared/data and scikit-learn (the `train` extra); they skip
cleanly without them, as on a user's checkout.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import struct
import subprocess
import sys
import zlib

import numpy as np
import pytest

from detente.nlp.events.model import (
    NONE,
    QUAD_CLASSES,
    TYPE_CLASSES,
    EventTypeModel,
    ModelFormatError,
    event_type_model,
    quad_of_type,
    using_model,
)
from detente.nlp.events.model import model as model_module
from detente.nlp.events.model.features import HASH_BITS, bucket, clause_features, event_head, feature_words
from detente.nlp.events.model.labels import types_of_quad
from detente.quality.devsets import shared_data

VIOLENT = "Army artillery shelled the besieged river town overnight, killing nine villagers and wounding dozens."
TALKS = "The two foreign ministers met in Tallinn on Tuesday to discuss the border ceasefire."
REPORTED = "Local officials said militiamen burned the market and shot two traders."
CALM = "The new envoy is a former professor of constitutional law at the university in Bergen."


def sentence(nlp, text):
    return nlp(text)[:]


# ------------------------------------------------------------------ the packaged model


def test_packaged_model_has_both_heads():
    model = event_type_model()
    assert model.quad_classes == QUAD_CLASSES
    assert model.type_classes == TYPE_CLASSES
    assert model.weights.shape == (len(model.buckets), len(QUAD_CLASSES) + len(TYPE_CLASSES))
    assert (np.diff(model.buckets.astype(np.int64)) > 0).all()  # sorted, no repeats
    assert int(model.buckets.max()) < 2**HASH_BITS


def test_reading_gives_one_probability_per_class_summing_to_one(nlp):
    for text in (VIOLENT, TALKS, REPORTED, CALM):
        reading = event_type_model().read(sentence(nlp, text))
        assert reading.quad.shape == (5,)
        assert reading.types.shape == (len(TYPE_CLASSES),)
        assert reading.quad.sum() == pytest.approx(1.0, abs=1e-5)
        assert reading.types.sum() == pytest.approx(1.0, abs=1e-5)
        assert (reading.quad >= 0).all() and (reading.types >= 0).all()


def test_shelling_a_town_is_material_conflict_not_a_statement(nlp):
    reading = event_type_model().read(sentence(nlp, VIOLENT))
    assert reading.quad[4] > reading.quad[0]
    assert reading.quad_class == 4
    assert reading.type == "ASSAULT"


def test_a_meeting_is_verbal_cooperation_and_consult(nlp):
    reading = event_type_model().read(sentence(nlp, TALKS))
    assert reading.quad[1] > reading.quad[4]
    assert reading.type == "CONSULT"


def test_a_sentence_with_no_event_reads_as_none(nlp):
    reading = event_type_model().read(sentence(nlp, CALM))
    assert reading.type == NONE
    assert reading.quad_class == 0


def test_the_head_a_rule_names_steers_the_type(nlp):
    """One sentence, two events: the head token says which one is asked about."""
    doc = nlp("The rebels rejected the proposal and then attacked an army checkpoint near the airport.")
    rejected = next(t for t in doc if t.text == "rejected")
    attacked = next(t for t in doc if t.text == "attacked")
    model = event_type_model()
    assert model.read(doc[:], rejected).type_probability("REJECT") > model.read(doc[:], attacked).type_probability("REJECT")
    assert model.read(doc[:], attacked).type_probability("ASSAULT") > model.read(doc[:], rejected).type_probability("ASSAULT")


def test_empty_or_blank_text_does_not_crash(nlp):
    for text in ("", "   ", "\n\n"):
        reading = event_type_model().read(sentence(nlp, text))
        assert reading.quad.sum() == pytest.approx(1.0, abs=1e-5)


# ------------------------------------------------------------------ features


def test_features_are_the_same_every_time(nlp):
    span = sentence(nlp, REPORTED)
    assert clause_features(span) == clause_features(nlp(REPORTED)[:])
    assert [bucket(f) for f in clause_features(span)] == [bucket(f) for f in clause_features(span)]


def test_buckets_use_a_stable_hash_not_pythons_salted_one():
    assert bucket("w:attack") == zlib.crc32(b"w:attack") & (2**HASH_BITS - 1) == 143716
    script = "from detente.nlp.events.model.features import bucket; print(bucket('h:meet'))"
    runs = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout for _ in range(2)}
    assert runs == {f"{bucket('h:meet')}\n"}


def test_a_reporting_verb_hands_the_event_to_what_it_reports(nlp):
    head = event_head(sentence(nlp, REPORTED))
    assert head.text == "burned"
    assert "speech" in clause_features(sentence(nlp, REPORTED))


def test_an_act_of_speech_is_its_own_event(nlp):
    """"warned" and "urged" are the event, not a report of one."""
    assert event_head(sentence(nlp, "The minister warned that the army would retake the pass.")).text == "warned"


def test_negation_and_future_are_marked(nlp):
    features = clause_features(sentence(nlp, "The delegation will not attend the conference in Vienna."))
    assert "neg" in features
    assert "m:future" in features


# ------------------------------------------------------------------ substitution for evaluation


def one_bucket_model(feature: str, quad: int) -> EventTypeModel:
    """A hand-made model whose only known feature pushes the quad class `quad` and the type NONE."""
    width = len(QUAD_CLASSES) + len(TYPE_CLASSES)
    weights = np.zeros((1, width), dtype=np.float16)
    weights[0, quad] = 20
    weights[0, len(QUAD_CLASSES) + TYPE_CLASSES.index(NONE)] = 20
    return EventTypeModel(np.array([bucket(feature)], dtype="<u4"), np.ones(1, np.float16), weights, np.zeros(width, np.float32))


def test_using_model_substitutes_and_restores(nlp):
    packaged = event_type_model()
    substitute = one_bucket_model("w:shell", 2)
    with using_model(substitute):
        assert event_type_model() is substitute
        assert event_type_model().read(sentence(nlp, VIOLENT)).quad_class == 2
    assert event_type_model() is packaged
    with contextlib.suppress(RuntimeError), using_model(substitute):
        raise RuntimeError("an evaluation that fails half-way")
    assert event_type_model() is packaged


def test_substitutes_nest(nlp):
    outer, inner = one_bucket_model("w:shell", 2), one_bucket_model("w:shell", 3)
    with using_model(outer):
        with using_model(inner):
            assert event_type_model() is inner
        assert event_type_model() is outer


# ------------------------------------------------------------------ the artefact on disk


def test_artefact_on_disk_is_what_the_loader_reads():
    data = model_module.ARTEFACT.read_bytes()
    assert data.startswith(model_module.MAGIC)
    (length,) = struct.unpack_from("<I", data, len(model_module.MAGIC))
    header = json.loads(data[len(model_module.MAGIC) + 4:len(model_module.MAGIC) + 4 + length])
    assert header["format"] == model_module.FORMAT
    assert header["version"] == model_module.FORMAT_VERSION
    assert header["features"] == feature_words().digest, "feature code or word lists changed: run `make train`"
    assert EventTypeModel.from_bytes(data).to_bytes() == data
    assert len(data) < 2_000_000


def test_a_file_from_another_format_version_is_refused_with_a_way_out():
    data = bytearray(event_type_model().to_bytes())
    header = event_type_model().header()
    newer = json.dumps({**header, "version": model_module.FORMAT_VERSION + 1}, sort_keys=True, separators=(",", ":")).encode()
    old_length = len(json.dumps(header, sort_keys=True, separators=(",", ":")).encode())
    start = len(model_module.MAGIC) + 4
    patched = bytes(data[:len(model_module.MAGIC)]) + struct.pack("<I", len(newer)) + newer + bytes(data[start + old_length:])
    with pytest.raises(ModelFormatError, match="version .*make train"):
        EventTypeModel.from_bytes(patched)


@pytest.mark.parametrize("damage", ["not a model", "cut short", "features"])
def test_a_damaged_or_stale_file_is_refused(damage):
    data = event_type_model().to_bytes()
    if damage == "not a model":
        data = b"PK\x03\x04" + data[4:]
    elif damage == "cut short":
        data = data[:-100]
    else:
        data = data.replace(feature_words().digest.encode(), b"0" * len(feature_words().digest), 1)
    with pytest.raises(ModelFormatError, match="make train"):
        EventTypeModel.from_bytes(data)


def test_nothing_is_loaded_before_first_use():
    """`detente --help` must not pay for the model: importing the CLI neither imports nor reads it."""
    script = (
        "import sys, detente.cli\n"
        "print('detente.nlp.events.model' in sys.modules)\n"
        "from detente.nlp.events.model.model import packaged_model\n"
        "print(packaged_model.cache_info().currsize)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "0"]


# ------------------------------------------------------------------ the label scheme


def test_every_type_has_a_quad_class_and_each_class_its_types():
    assert {quad_of_type(t) for t in TYPE_CLASSES} == set(QUAD_CLASSES)
    assert quad_of_type(None) == 0
    assert set(types_of_quad(4)) == {"PROTEST", "MOBILIZE", "COERCE", "ASSAULT"}
    assert sorted(t for q in QUAD_CLASSES for t in types_of_quad(q)) == sorted(TYPE_CLASSES)


# ------------------------------------------------------------------ training (needs ../shared/data and scikit-learn)

needs_data = pytest.mark.skipif(shared_data() is None, reason="development data (../shared/data) is not here")
needs_training = pytest.mark.skipif(
    shared_data() is None or importlib.util.find_spec("sklearn") is None,
    reason="training needs ../shared/data and scikit-learn (the train extra)",
)


def test_training_refuses_clearly_without_the_data(monkeypatch, capsys):
    from detente.nlp.events.model import train

    monkeypatch.setattr("detente.quality.devsets.shared_data", lambda: None)
    assert train.main(["--output", "/nonexistent/never-written.bin"]) == 2
    assert "conflibert_cameo_train.tsv" in capsys.readouterr().err


@pytest.fixture(scope="module")
def small_training_set():
    from detente.nlp.events.model.corpora import conflibert_examples, gsr_examples
    from detente.nlp.events.model.train import featurize

    root = shared_data()
    return featurize(conflibert_examples(root)[::8] + gsr_examples(root)[::3])


@needs_training
def test_training_twice_gives_the_same_bytes(small_training_set):
    from detente.nlp.events.model.train import fit

    first, second = fit(small_training_set).to_bytes(), fit(small_training_set).to_bytes()
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()


@needs_training
def test_cross_validation_uses_fixed_folds_and_scores_each_held_out_sentence_once(small_training_set):
    from detente.nlp.events.model.train import cross_validate, fold_of

    assert fold_of("Troops  crossed the River.") == fold_of("troops crossed the river.")
    result = cross_validate(small_training_set, folds=3)
    assert result.quad_total == sum(d.example.source == "conflibert" for d in small_training_set)
    assert result.type_total == sum(d.example.source == "gsr" for d in small_training_set)
    assert 0 < result.quad_accuracy <= 1 and len(result.per_fold) == 3


@needs_data
def test_the_packaged_model_was_trained_on_the_data_here():
    """A stale artefact (the data changed since `make train`) is caught here, not by users."""
    from detente.nlp.events.model.corpora import CONFLIBERT_FILE, EXAMPLES, GSR_FILE

    trained_on = event_type_model().info["data_sha256"]
    files = {CONFLIBERT_FILE: shared_data() / CONFLIBERT_FILE, GSR_FILE: shared_data() / GSR_FILE, "examples/syria/gold.yaml": EXAMPLES / "gold.yaml"}
    for name, path in files.items():
        assert trained_on[name] == hashlib.sha256(path.read_bytes()).hexdigest(), f"{name} changed since training: run `make train`"


# ------------------------------------------------------------------ the end-to-end sentence scorers


def test_sentence_scorer_extracts_each_sentence_under_the_model_it_is_given():
    """Under k-fold, each held-out sentence must be extracted with its own fold's model in place."""
    from detente.nlp.events.model.corpora import Example
    from detente.quality.devsets.event_sentences import score_quad

    sentences = [
        Example("Army artillery shelled the besieged river town overnight.", "conflibert", 4, None, types_of_quad(4)),
        Example("The new envoy is a former professor of constitutional law.", "conflibert", 0, None, types_of_quad(0)),
    ]
    entered = []

    @contextlib.contextmanager
    def fold_model(text):
        with using_model(one_bucket_model("w:envoy", 0)) as model:
            entered.append((text, event_type_model() is model))
            yield model

    score = score_quad(sentences, fold_model)
    assert entered == [(e.text, True) for e in sentences]
    assert score.total == 2 and score.correct + len(score.misses) == 2
