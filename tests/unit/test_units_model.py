"""The unit disambiguator: deterministic training, run-time scoring, and the suites' protocol."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.evaluate.figure_suites import Found, suite_match, suite_recall, unit_accuracy
from pipeline.extract import unitsense
from pipeline.learn import TrainRequest
from pipeline.learn import units as trainer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "figures"
TRAIN = FIXTURES / "unit-sentences-train.jsonl"


def test_training_twice_writes_the_same_bytes(tmp_path):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    report = trainer.train(TrainRequest(data=(TRAIN,), out=first, folds=2))
    trainer.train(TrainRequest(data=(TRAIN,), out=second, folds=2))
    assert first.read_bytes() == second.read_bytes()
    model = json.loads(first.read_text())
    assert model["trained_on"]["data_sha256"] == report.data_digest
    assert {"pound sterling", "pound-mass", "celsius", "coulomb"} <= set(model["classes"])
    assert report.metrics["test_sentences"] == 3  # the test file beside the training file


def test_surface_of_finds_the_ambiguous_unit_after_an_amount():
    assert trainer.surface_of("She weighs 130 pounds now.", "pound-mass") == ("pounds", False)
    assert trainer.surface_of("Keep it at 5C or below.", "celsius") == ("C", True)
    assert trainer.surface_of("No amount here.", "celsius") == ("", False)


def test_amount_of_reads_scales_symbols_before_and_quote_marks():
    yuan = trainer.amount_of("He paid ¥5000 in Beijing.", "chinese yuan")
    assert (yuan.surface, yuan.glued, yuan.value) == ("¥", True, 5000)
    pixels = trainer.amount_of("That is 2.1 million P.", None)
    assert (pixels.surface, pixels.glued, pixels.value) == ("P", False, 2.1e6)
    assert trainer.surface_of("It's been 12'", None) == ("'", True)
    # a unit word is no ambiguous surface by its first letter ("pixels" is not "p")
    assert trainer.surface_of("It has 4000x4000 pixels.", None) == ("", False)


def test_amount_features_tell_magnitude_and_decimals():
    features = unitsense.features("It costs ¥5,000.", "¥", glued=True, value=5000, number="5,000")
    assert {"mag=3", "dec=0", "comma", "s=¥|mag=3"} <= set(features)
    assert "dec=2" in unitsense.amount_features(14.99, "14.99")


def test_features_tell_case_and_gluing():
    glued = unitsense.features("It is 5C.", "C", glued=True)
    spaced = unitsense.features("It is 5 c.", "c", glued=False)
    assert "s=C|glued=True" in glued and "s=c|glued=False" in spaced
    assert glued == sorted(glued)


def test_an_amount_with_cents_is_no_currency_without_a_minor_unit():
    names = ["japanese yen", "chinese yuan"]
    assert unitsense.plausible(names, "780.31") == ["chinese yuan"]  # ISO 4217: no yen cents
    assert unitsense.plausible(names, "¥5.4bn") == names  # a scaled amount keeps its decimals
    assert unitsense.plausible(names, "3,000") == names
    assert unitsense.plausible(["japanese yen"], "9.99") == ["japanese yen"]  # never empty


def test_the_committed_model_reads_the_sentence():
    """The shipped weights tell money from weight by the words around "pounds"."""
    weight = unitsense.scores(
        "He lost 20 pounds on a diet and weighs less.",
        "pounds",
        ["pound sterling", "pound-mass"],
        glued=False,
    )
    money = unitsense.scores(
        "She paid 20 pounds for the ticket at the shop.",
        "pounds",
        ["pound sterling", "pound-mass"],
        glued=False,
    )
    assert weight["pound-mass"] > weight["pound sterling"]
    assert money["pound sterling"] > money["pound-mass"]


def test_suite_protocol_values_ranges_and_open_ranges():
    gold = {"start": 10, "end": 20, "value": 5.0}
    assert suite_match(gold, Found(12, 14, 5.0, None, None, "=", None))
    assert not suite_match(gold, Found(20, 24, 5.0, None, None, "=", None))  # no overlap
    closed = {"start": 0, "end": 9, "value": [20.0, 30.0]}
    assert suite_match(closed, Found(0, 9, None, 20.0, 30.0, "=", None))
    more = {"start": 0, "end": 9, "value": [20.0, None]}
    assert suite_match(more, Found(0, 9, 20.0, None, None, ">", None))
    assert not suite_match(more, Found(0, 9, 20.0, None, None, "=", None))
    equal = {"start": 0, "end": 9, "value": [7.0, 7.0]}
    assert suite_match(equal, Found(0, 9, 7.0, None, None, "=", None))
    records = [{"id": "x", "suite": "range", "figures": [closed, more]}]
    found = {"x": [Found(0, 9, None, 20.0, 30.0, "=", None)]}
    assert suite_recall(records, found) == {"range": 0.5, "all": 0.5}
    units = [{"id": "u", "unit": "knot"}]
    assert unit_accuracy(units, {"u": [Found(0, 5, 9.0, None, None, "=", "knot per hour")]}) == 1
    # CQE labels the unit a symbol stands for, whatever its prefix: "10 nF" is farad
    farad = [{"id": "f", "unit": "farad"}]
    assert unit_accuracy(farad, {"f": [Found(0, 5, 10.0, None, None, "=", "nanofarad")]}) == 1
    assert unit_accuracy(farad, {"f": [Found(0, 5, 10.0, None, None, "=", "coulomb")]}) == 0
