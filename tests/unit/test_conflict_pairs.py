"""The strata of the judged conflicts set are drawn without the conflict logic, reproducibly."""

from pipeline.evaluate.conflict_pairs import _draw, _representative, _same_governor, pair_id


def _record(story: str, sentence: str) -> dict:
    side = {"sentence": sentence, "start": 0, "end": 1}
    return {"id": pair_id(side, {**side, "sentence": sentence + "!"}), "story": story}


def test_a_larger_draw_extends_a_smaller_one_and_respects_the_story_cap():
    records = [_record(f"s{i % 3}", f"{i} sentence") for i in range(30)]
    small = _draw(records, size=5, seed=7, per_story=4, exclude=())
    large = _draw(records, size=9, seed=7, per_story=4, exclude=())
    assert [r["id"] for r in large[:5]] == [r["id"] for r in small]
    assert max(sum(r["story"] == s for r in large) for s in ("s0", "s1", "s2")) <= 4
    assert _draw(records, size=None, seed=7, per_story=None, exclude=()) == _draw(
        list(reversed(records)), size=None, seed=7, per_story=None, exclude=()
    )


def test_excluded_pairs_are_never_drawn_again():
    records = [_record("s", f"{i} sentence") for i in range(10)]
    skip = {records[0]["id"], records[3]["id"]}
    drawn = _draw(records, size=None, seed=1, per_story=None, exclude=skip)
    assert len(drawn) == 8 and not skip & {r["id"] for r in drawn}


def test_a_value_is_the_number_or_the_middle_of_a_range():
    assert _representative({"value": 5.0, "value_low": None, "value_high": None}) == 5.0
    assert _representative({"value": None, "value_low": 100.0, "value_high": 400.0}) == 200.0
    assert _representative({"value": 0.0, "value_low": None, "value_high": None}) is None


def test_governed_alike_by_verb_or_by_subject_noun():
    assert _same_governor(("kill", None), ("kill", "attack"))
    assert _same_governor(("add", "economy"), ("create", "economy"))
    assert not _same_governor(("add", None), ("create", None))
