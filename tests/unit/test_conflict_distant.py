"""Distant labels for the same-quantity decision: equal distinctive values, far-apart values."""

from datetime import UTC, datetime

import pytest

from pipeline.across.conflicts import FigureView
from pipeline.evaluate.conflict_distant import (
    distant_label,
    distant_pairs,
    distinctive,
    format_table,
    outcome_table,
)

DAY = datetime(2018, 6, 20, tzinfo=UTC)


def _view(text, value, outlet, *, counted="children", event="separate", kind="count"):
    row = {
        "figure_id": f"f_{outlet}_{text}",
        "article_id": f"a_{outlet}",
        "text": text,
        "value": value,
        "value_low": None,
        "value_high": None,
        "change": "=",
        "unit": None,
        "kind": kind,
        "counted": counted,
        "frame_counted": counted,
        "frame_event": event,
        "frame_holder": None,
        "frame_place": None,
        "frame_time": None,
        "frame_role": "total",
    }
    return FigureView.from_row(row, outlet, DAY)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(2342, True), (58, True), (7.8, True), (3, False), (20, False), (1000, False), (1500, True)],
)
def test_distinctive_values_are_rarely_shared_by_chance(value, expected):
    assert distinctive(value) is expected


def test_labels_equal_distinctive_values_and_far_apart_ones():
    a = _view("2,342", 2342, "ap")
    assert distant_label(a, _view("2,342", 2342, "fox")) == "equal"
    assert distant_label(a, _view("2,342", 2342, "ap")) is None  # one outlet
    assert distant_label(a, _view("about 8,000", 8000, "fox")) == "far"
    assert distant_label(a, _view("2,000", 2000, "fox")) is None  # close: a candidate, unlabelled
    assert distant_label(_view("20", 20, "ap"), _view("20", 20, "fox")) is None  # round


def test_outcome_table_counts_the_check_that_decides_each_pair():
    story = [
        _view("2,342", 2342, "ap"),
        _view("2,342", 2342, "fox", event="reunite"),  # equal values, predicates of no one class
        _view("8,000", 8000, "npr", counted="children", event="separate"),
        _view("thousands", None, "cnn"),  # vague: never labelled
        _view("2,342", 2342, "cnn", counted="parents"),  # another head
    ]
    pairs = list(distant_pairs({"s1": story}))
    assert sorted(label for label, _, _ in pairs) == ["equal", "far", "far"]
    table = outcome_table(pairs)
    assert table["equal"] == {"event": 1}
    assert table["far"] == {"match": 1, "event": 1}
    text = format_table(table)
    assert text.splitlines()[0] == "equal-value pairs 1, far pairs 2"
