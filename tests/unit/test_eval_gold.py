"""The eval's shared parts: halves by id, and body offsets mapped back into gold text."""

import hashlib

from pipeline.evaluate.gold import OffsetMap, by_half, half, prf, split_bit


def test_half_follows_the_readme_rule():
    for gold_id in ("a", "b", "polnear-x", "gwn-105"):
        even = int(hashlib.sha1(gold_id.encode()).hexdigest(), 16) % 2 == 0
        assert half(gold_id) == ("read" if even else "check")


def test_a_file_that_is_one_half_of_its_corpus_splits_on_the_next_bit():
    even = [i for i in (f"id-{n}" for n in range(200)) if half(i) == "read"]
    assert split_bit(even) == 1
    halves = by_half(even)
    assert halves["read"] and halves["check"]
    assert sorted(halves["read"] + halves["check"]) == sorted(even)
    mixed = [f"id-{n}" for n in range(200)]
    assert split_bit(mixed) == 0


def test_prf_is_zero_where_undefined():
    assert prf(0, 0, 0) == {"p": 0.0, "r": 0.0, "f1": 0.0}
    assert prf(1, 2, 4) == {"p": 0.5, "r": 0.25, "f1": 0.3333}


def test_offsets_map_back_through_collapsed_whitespace_and_removed_lines():
    gold = "Title line\n\nAdvertisement\n\nThe  mayor of   Paris said 40 people came.\n"
    body = "Title line\n\nThe mayor of Paris said 40 people came."
    mapping = OffsetMap.between(gold, body)
    start = body.index("Paris")
    g_start, g_end = mapping.span_to_gold(start, start + len("Paris"))
    assert gold[g_start:g_end] == "Paris"
    start = body.index("mayor of Paris")
    g_start, g_end = mapping.span_to_gold(start, start + len("mayor of Paris"))
    assert gold[g_start:g_end] == "mayor of   Paris"


def test_identical_texts_map_to_themselves():
    mapping = OffsetMap.between("same text", "same text")
    assert mapping.span_to_gold(2, 6) == (2, 6)
