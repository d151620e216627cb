"""Principle 5: every committed model was learned by the code as it stands, from recorded data.

Each trainer (:mod:`pipeline.learn`) records the sha256 of the code that decides what its
model learns (its ``learning_code()``: features, labels and their alignment to the gold,
training; not the rules that only use the model's output) and of its training data. When
that code changes, what ``newsledger train KIND`` would write may change, so the committed
model is stale: this test fails until it is retrained and committed. The training data lives
in /work/shared (not in the repository), so only its digest's presence is checked here.
"""

import hashlib
import json
import re
from types import ModuleType

import pytest

from pipeline.learn import MODELS, claims, places, units

#: model file -> (its trainer, where its code digest sits, where its data digest sits)
COMMITTED: dict[str, tuple[ModuleType, tuple[str, ...], tuple[str, ...]]] = {
    "claims.json": (claims, ("meta", "code_sha256"), ("meta", "data_sha256")),
    "units.json": (units, ("trained_on", "code_sha256"), ("trained_on", "data_sha256")),
    "places.json": (places, ("code_sha256",), ("data_sha256",)),
}

SHA256 = re.compile(r"[0-9a-f]{64}")


def _at(payload: dict, path: tuple[str, ...]) -> object:
    for key in path:
        payload = payload[key]
    return payload


def test_every_committed_model_is_listed_here():
    assert sorted(p.name for p in MODELS.glob("*.json")) == sorted(COMMITTED)


@pytest.mark.parametrize("name", sorted(COMMITTED))
def test_the_committed_model_was_learned_by_the_current_code(name):
    trainer, code_at, _ = COMMITTED[name]
    payload = json.loads((MODELS / name).read_text(encoding="utf-8"))
    assert _at(payload, code_at) == trainer.learning_digest(), (
        f"{name} is stale: the code that decides what it learns changed since it was trained "
        f"(retrain it with newsledger train and commit it)"
    )


@pytest.mark.parametrize("name", sorted(COMMITTED))
def test_the_committed_model_records_its_training_data(name):
    _, _, data_at = COMMITTED[name]
    payload = json.loads((MODELS / name).read_text(encoding="utf-8"))
    assert SHA256.fullmatch(str(_at(payload, data_at)))


def test_the_claims_taggers_are_the_files_the_model_lists():
    payload = json.loads((MODELS / "claims.json").read_text(encoding="utf-8"))
    for tagger, digest in payload["taggers"]["files"].items():
        path = MODELS / f"claims-{tagger}.crfsuite"
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


def test_a_learned_module_lists_only_code_that_exists():
    for trainer, _, _ in COMMITTED.values():
        modules, files = trainer.learning_code()
        assert trainer in modules  # the trainer's own labels and fit always count
        assert all(path.is_file() for path in files)


def test_a_code_digest_depends_on_the_code_not_on_the_order_it_is_listed_in():
    from pipeline.extract.attribution import crf, cues, tagging
    from pipeline.learn import code_digest

    files = tuple(sorted(MODELS.glob("*.json")))
    digest = code_digest(tagging, cues, files=files)
    assert code_digest(cues, tagging, files=files[::-1]) == digest
    assert code_digest(cues, tagging, cues, files=files) == digest
    assert code_digest(cues, tagging, crf, files=files) != digest


def test_the_claims_digest_covers_every_component_but_the_applied_only_ones():
    from pipeline.extract import claims as extract_claims
    from pipeline.extract.attribution import crf, fallback

    modules, _ = claims.learning_code()
    assert set(extract_claims.COMPONENTS) - set(modules) == {crf, fallback}
