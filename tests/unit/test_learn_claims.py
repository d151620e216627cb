"""``newsledger train claims``: deterministic, committed with its digests, scored by folds."""

import json
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.extract.attribution.crf import TAGGERS, tagger_path
from pipeline.extract.attribution.model import MODEL_PATH, CueModel, default_model
from pipeline.learn import TrainRequest, files_digest

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "claims-train.jsonl"


@pytest.mark.slow
def test_a_retrain_on_the_fixture_writes_the_same_bytes(tmp_path, monkeypatch):
    from pipeline.learn import claims
    from pipeline.learn.claims import fingerprint

    monkeypatch.setenv("NEWSLEDGER_EVAL_DIR", str(tmp_path / "no-cache"))
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    request = TrainRequest(data=(FIXTURE,), out=first, folds=2, direct_parse_for_tests=True)
    report = claims.train(request)
    claims.train(replace(request, out=second))
    assert first.read_bytes() == second.read_bytes()
    payload = json.loads(first.read_text())
    assert payload["meta"]["data_sha256"] == files_digest([FIXTURE]) == report.data_digest
    assert payload["meta"]["cv"]["folds"] == 2 and payload["meta"]["examples"] > 0
    assert CueModel.from_json(payload).threshold == payload["meta"]["cv"]["threshold"]
    for name in TAGGERS:  # the crfsuite files, written beside each card, byte for byte
        assert tagger_path(first, name).read_bytes() == tagger_path(second, name).read_bytes()
        assert payload["taggers"]["files"][name] == fingerprint(tagger_path(first, name))


def test_training_requires_the_gold_warehouse_without_the_tests_direct_parse(tmp_path, monkeypatch):
    # The product path learns from the pipeline's parses only: no silent fallback to parsing
    # the gold texts here, which gives other features and another model.
    from pipeline.learn import claims

    monkeypatch.setenv("NEWSLEDGER_EVAL_DIR", str(tmp_path / "no-cache"))
    with pytest.raises(FileNotFoundError, match="newsledger train"):
        claims.train(TrainRequest(data=(FIXTURE,), out=tmp_path / "a.json", folds=2))


def test_the_committed_model_is_small_and_says_what_it_learned_from():
    assert MODEL_PATH.stat().st_size < 20_000_000
    model = default_model()
    assert model is not None and model.weights
    meta = model.meta
    assert meta["data"] == ["polnear-train.jsonl"]
    assert len(str(meta["data_sha256"])) == len(str(meta["code_sha256"])) == 64
    cv = meta["cv"]
    assert isinstance(cv, dict) and cv["folds"] == 5 and cv["articles"] == 840


def test_the_committed_model_was_learned_from_the_shared_training_file():
    from pipeline.learn.claims import DEFAULT_DATA

    if not DEFAULT_DATA.exists():
        pytest.skip("the shared training pool is not beside this checkout")
    model = default_model()
    assert model is not None
    assert model.meta["data_sha256"] == files_digest([DEFAULT_DATA])


def test_the_model_weighs_only_features_it_knows():
    model = CueModel({"a": 2.0, "b": -1.0}, bias=0.0, threshold=0.5)
    assert model.probability(["a", "zebra"]) == pytest.approx(1 / (1 + 2.718281828**-2), 1e-6)
    assert model.probability([]) == 0.5
    assert model.probability(["b"]) < 0.5
