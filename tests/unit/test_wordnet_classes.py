"""WordNet lexicographer classes of verbs as cue-tagger features: the table, reader, features."""

import json

import pytest

from pipeline.extract.attribution.tagging import (
    WORDNET_PATH,
    cue_features,
    token_table,
    wordnet_features,
    wordnet_verb_classes,
)
from pipeline.nlp import annotate


def test_the_table_lists_classes_first_sense_first_and_stays_small():
    assert WORDNET_PATH.stat().st_size < 300_000
    assert (
        (WORDNET_PATH.parent / "wordnet_LICENSE.txt")
        .read_text("utf-8")
        .startswith("WordNet Release 3.0")
    )
    assert "WordNet 3.0" in json.loads(WORDNET_PATH.read_text("utf-8"))["source"]
    # verbs only: nouns measured no better, for twice the cost
    assert set(json.loads(WORDNET_PATH.read_text("utf-8"))) == {"source", "verb"}
    table = wordnet_verb_classes()
    assert table["say"][0] == "communication"
    assert table["sue"] == ("social",)
    assert not any("_" in lemma for lemma in table)


def test_wordnet_features_by_coarse_part_of_speech():
    assert wordnet_features("say", "VERB", "wn") == (
        "wn1v=communication",
        "wnv=communication",
        "wnv=stative",
    )
    assert wordnet_features("sue", "VERB", "hwn") == ("hwn1v=social", "hwnv=social")
    assert wordnet_features("warning", "NOUN", "wn") == ()
    assert wordnet_features("zzyzx", "VERB", "wn") == ("wnv=none",)
    assert wordnet_features("say", "ADJ", "wn") == ()


@pytest.fixture(scope="module")
def doc():
    return next(iter(annotate(["The mayor sued the state and lashed out at critics."])))


def test_cue_features_carry_the_word_and_head_classes(doc):
    table = token_table(doc)
    start, end = table.sent_bounds[0]
    features = cue_features(table, start, end)
    sued = next(t.i for t in doc if t.text == "sued")
    assert "wn1v=social" in features[sued - start]
    mayor = next(t.i for t in doc if t.text == "mayor")
    assert doc[mayor].head.i == sued
    assert "hwn1v=social" in features[mayor - start]
