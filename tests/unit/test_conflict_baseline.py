"""The learned baseline of the same-quantity decision: features, folds by story, determinism."""

from datetime import UTC, datetime

from pipeline.across.conflicts import ConflictSettings, FigureView
from pipeline.evaluate.conflict_baseline import agreement_features, cross_validate, judged

DAY = datetime(2016, 3, 8, tzinfo=UTC)


def _view(outlet, value, **frame):
    row = {
        "figure_id": f"f_{outlet}_{value}",
        "article_id": f"a_{outlet}",
        "claim_id": None,
        "text": str(value),
        "start": 0,
        "end": 1,
        "value": float(value),
        "value_low": None,
        "value_high": None,
        "change": "=",
        "unit": None,
        "kind": "count",
        "counted": frame.get("counted", "troops"),
        "frame_counted": frame.get("counted", "troops"),
        "frame_event": frame.get("event"),
        "frame_holder": frame.get("holder"),
        "frame_place": frame.get("place"),
        "frame_time": frame.get("time"),
        "frame_role": frame.get("role", "total"),
    }
    return FigureView.from_row(row, outlet, DAY)


def test_features_grade_each_field_of_two_frames():
    left = _view("AP", 4000, counted="U.S. troops", event="leave behind", place="Iraq")
    deployed = _view("Reuters", 5000, counted="troops", event="deploy", place="Iraq")
    features = agreement_features(left, deployed, unclear=False)
    assert features["event_differ"] == 1.0 and features["event_equal"] == 0.0
    assert features["place_agree"] == 1.0 and features["place_differ"] == 0.0
    assert features["modifiers_one_side"] == 1.0 and features["population"] == 1.0
    assert features["time_one_side"] == 0.0 and features["head_equal"] == 1.0


def _items():
    settings = ConflictSettings()
    items = []
    for i in range(40):
        same = i % 2 == 0
        a = _view(f"A{i}", 10, event="kill", place="Ohio")
        b = _view(f"B{i}", 14, event="kill" if same else "wound", place="Ohio")
        items.append(
            judged(f"story{i}", a, b, settings, unclear=False, same_quantity=same, conflict=same)
        )
    return items


def test_cross_validation_is_grouped_deterministic_and_learns_a_clear_signal():
    items = _items()
    first = cross_validate(items, gold_conflicts=20, gold_same=20)
    assert first == cross_validate(items, gold_conflicts=20, gold_same=20)
    assert first["grouped_by"] == "story" and first["folds"] == 5
    assert first["conflict"]["p"] == 1.0 and first["conflict"]["r"] == 1.0


def test_cross_validation_of_nothing_scores_nothing():
    scores = cross_validate([], gold_conflicts=3, gold_same=5)
    assert scores["conflict"]["tp"] == 0 and scores["same_quantity"]["r"] == 0.0
