"""Across articles without Dagster: copies, stories, repeated claims, conflicting figures."""

import math
from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl
import pytest
from rapidfuzz import fuzz

from pipeline.across.claim_groups import ClaimGroupSettings, _similar, group_claims, normalise
from pipeline.across.conflicts import (
    ConflictSettings,
    FigureView,
    Interval,
    counted_key,
    decide,
    figure_interval,
    find_conflicts,
    interval,
    time_key,
)
from pipeline.across.duplicates import find_duplicates, shingles
from pipeline.across.stories import cluster_stories, story_rows
from pipeline.ids import content_hash
from pipeline.tables import SCHEMAS

DAY = datetime(2018, 2, 5, tzinfo=UTC)
TEXT = (
    "The United States has begun to diminish its military presence in Iraq in response to "
    "Baghdad's declaration of victory over the Islamic State. Saad al-Hadithi, a spokesman for "
    "the Iraqi government, said the battle against Daesh has ended and so the level of the "
    "American presence will be reduced. Dozens of soldiers have been transported from Iraq to "
    "Afghanistan on daily flights in the past week, along with weapons and equipment. An "
    "anonymous senior official said the withdrawal is expected to reach 60 percent of all "
    "American forces, leaving behind about 4,000 troops to continue training."
)


def _articles(rows):
    return pl.DataFrame(
        [{"title": None, **row, "content_hash": content_hash(row["body"])} for row in rows],
        schema={
            "article_id": pl.String,
            "published_at": pl.Datetime("us", "UTC"),
            "body": pl.String,
            "title": pl.String,
            "content_hash": pl.String,
        },
    )


def _edited(text):
    sentences = text.split(". ")
    del sentences[2]  # drop a sentence
    return ". ".join(sentences).replace("diminish", "reduce").replace("daily", "regular")


def test_shingles_are_lowercase_word_ngrams():
    assert shingles("A b c", 2) == frozenset({"a b", "b c"})
    assert shingles("Short", 5) == frozenset({"short"})


def test_edited_copy_points_at_earliest_original(seeds_dir):
    body = (seeds_dir / "000_8a6a88420e78db9b.txt").read_text(encoding="utf-8")
    trimmed = body[: int(len(body) * 0.7)]
    frame = _articles(
        [
            {"article_id": "a_late", "published_at": DAY + timedelta(hours=5), "body": body},
            {
                "article_id": "a_copy",
                "published_at": DAY + timedelta(hours=9),
                "body": _edited(body),
            },
            {"article_id": "a_trim", "published_at": DAY + timedelta(hours=9), "body": trimmed},
            {"article_id": "a_orig", "published_at": DAY, "body": body},
            {"article_id": "a_other", "published_at": DAY, "body": TEXT},
        ]
    )
    found = dict(find_duplicates(frame).select("article_id", "duplicate_of").iter_rows())
    assert found == {
        "a_orig": None,
        "a_late": "a_orig",
        "a_copy": "a_orig",
        "a_trim": "a_orig",
        "a_other": None,
    }


def test_duplicates_do_not_depend_on_row_order(seeds_dir):
    body = (seeds_dir / "000_8a6a88420e78db9b.txt").read_text(encoding="utf-8")
    rows = [
        {"article_id": f"a_{i}", "published_at": None, "body": body if i % 2 else _edited(body)}
        for i in range(4)
    ]
    forward = find_duplicates(_articles(rows))
    backward = find_duplicates(_articles(rows[::-1]))
    assert forward.equals(backward)
    assert forward.filter(pl.col("duplicate_of").is_null())["article_id"].to_list() == ["a_0"]


def test_stories_link_same_event_within_window_only():
    iraq = "US troops drawdown Iraq Afghanistan redeploy coalition Islamic State defeat"
    frame = _articles(
        [
            {
                "article_id": "a_1",
                "published_at": DAY,
                "title": "US draws down troops in Iraq",
                "body": iraq + " Baghdad spokesman",
            },
            {
                "article_id": "a_2",
                "published_at": DAY + timedelta(hours=6),
                "title": "Troops leave Iraq for Afghanistan",
                "body": iraq + " contractors said",
            },
            {
                "article_id": "a_3",
                "published_at": DAY + timedelta(days=9),
                "title": "US draws down troops in Iraq",
                "body": iraq + " again",
            },
            {
                "article_id": "a_4",
                "published_at": DAY,
                "title": "Saturn moon Titan mapped",
                "body": "Scientists publish the first geological map of Titan, moon of Saturn.",
            },
        ]
    )
    assignment = dict(cluster_stories(frame).iter_rows())
    assert assignment["a_1"] == assignment["a_2"] is not None
    assert assignment["a_3"] is None and assignment["a_4"] is None
    table = story_rows(
        frame.with_columns(outlet=pl.Series(["AP", "Reuters", None, "AP"])),
        pl.DataFrame({"article_id": list(assignment), "story_id": list(assignment.values())}),
    )
    assert table.schema == pl.Schema(SCHEMAS["stories"])
    row = table.row(0, named=True)
    assert row["article_count"] == 2 and row["outlets"] == ["AP", "Reuters"]
    assert row["label"] == "US draws down troops in Iraq"


def test_claims_by_one_source_across_articles_form_a_group():
    claims = pl.DataFrame(
        {
            "claim_id": ["c_1", "c_2", "c_3", "c_4"],
            "article_id": ["a_1", "a_2", "a_2", "a_3"],
            "source_id": ["s_off", "s_off", "s_other", "s_off"],
            "via_source_id": [None, "s_ap", None, None],
            "content": [
                "Despite the reduced number of U.S. troops, ISIS remains a threat",
                "Despite the reduced number of USA troops, ISIS remains a threat",
                "Despite the reduced number of U.S. troops, ISIS remains a threat",
                "The weather in Baghdad will be sunny all week long",
            ],
        }
    )
    articles = pl.DataFrame(
        {
            "article_id": ["a_1", "a_2", "a_3"],
            "published_at": [None, None, None],
            "duplicate_of": [None, None, None],
        },
        schema={
            "article_id": pl.String,
            "published_at": pl.Datetime("us", "UTC"),
            "duplicate_of": pl.String,
        },
    )
    groups = group_claims(claims, articles)
    assert groups.schema == pl.Schema(SCHEMAS["claim_groups"])
    assert sorted(groups["claim_id"]) == ["c_1", "c_2"]  # c_3 is another source, c_4 differs
    assert groups.filter(pl.col("claim_id") == "c_2")["via_source_id"].item() == "s_ap"
    assert groups["is_representative"].sum() == 1
    assert normalise("U.S. troops") == normalise("USA troops") == "us troops"


def test_claim_similarity_with_cutoffs_equals_full_scores():
    # The cutoffs only let rapidfuzz stop early: every verdict must equal the full scores'.
    quote = "the battle against daesh has ended and so the level of the american presence will be"
    texts = [
        quote + " reduced",
        quote + " reduced soon",  # near-equal
        "so the level of the american presence will be reduced",  # trimmed: contained in 0
        quote[20:] + " reduced",  # trimmed and specific
        "we will see what happens next week",  # generic: never a containment
        "isis remains a threat despite the reduced number of us troops in iraq and syria",
    ]
    settings = ClaimGroupSettings()
    specific = np.array([t.count(" ") + 1 >= settings.contained_words for t in texts])
    left, right = [0, 2, 4, 5], [0, 1, 2, 3, 4, 5]
    expected = np.zeros((len(left), len(right)), dtype=bool)
    for a, i in enumerate(left):
        for b, j in enumerate(right):
            near = fuzz.token_sort_ratio(texts[i], texts[j]) >= settings.min_ratio
            contained = fuzz.partial_ratio(texts[i], texts[j]) >= settings.contained_ratio
            expected[a, b] = near or (contained and specific[i] and specific[j])
    assert expected.any() and not expected.all()
    assert (_similar(texts, left, right, specific, settings) == expected).all()


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("USA troops", "U.S. troops", True),
        ("U.S. troops", "troops", True),
        ("American forces", "U.S. troops", True),
        ("Iraqi troops", "U.S. troops", False),
        ("U.S. soldiers", "troops", False),
        ("others", "people", True),  # "killing 12 people and wounding 58 others"
        ("other states", "states", True),  # another head: "other" is then a modifier
    ],
)
def test_counted_things_match_conservatively(a, b, same):
    assert counted_key(a).matches(counted_key(b)) is same


def test_delta_and_multiplier_counted_things_are_not_levels():
    assert counted_key("fewer jobs") is None
    assert counted_key("K jobs") is None


def test_intervals_follow_the_qualifier():
    assert interval(5000.0, None, None, ">", 0.1) == Interval(5000.0, math.inf, low_open=True)
    about = interval(4000.0, None, None, "~", 0.1)
    assert (about.low, about.high) == pytest.approx((3600.0, 4400.0))
    assert interval(None, 1000.0, 1500.0, "=", 0.1) == Interval(1000.0, 1500.0)
    assert interval(3.0, None, None, "up", 0.1) is None
    assert not about.intersects(interval(5000.0, None, None, ">", 0.1))
    assert about.intersects(interval(4300.0, None, None, "=", 0.1))
    # "more than 5,000" excludes exactly 5,000
    assert not Interval(5000.0, 5000.0).intersects(Interval(5000.0, math.inf, low_open=True))


def _figure(figure_id, article_id, text, value, change, counted, claim_id=None, start=0, **frame):
    return {
        "figure_id": figure_id,
        "article_id": article_id,
        "claim_id": claim_id,
        "text": text,
        "start": start,
        "end": start + len(text),
        "value": value,
        "value_low": None,
        "value_high": None,
        "change": change,
        "unit": "troop",
        "kind": "count",
        "counted": counted,
        "frame_counted": frame.get("counted", counted and counted.lower()),
        "frame_event": frame.get("event"),
        "frame_holder": frame.get("holder"),
        "frame_place": frame.get("place"),
        "frame_time": frame.get("time"),
        "frame_role": frame.get("role", "total"),
    }


_ARTICLES_SCHEMA = {
    "article_id": pl.String,
    "published_at": pl.Datetime("us", "UTC"),
    "duplicate_of": pl.String,
    "story_id": pl.String,
    "outlet": pl.String,
}


def test_figures_that_disagree_across_a_story_conflict():
    in_iraq = {"event": "deploy", "place": "Iraq"}
    figures = pl.DataFrame(
        [
            _figure("f_1", "a_1", "Over 5,000", 5000.0, ">", "USA troops", **in_iraq),
            _figure("f_2", "a_1", "some 4,000", 4000.0, "~", "U.S. troops", **in_iraq),
            _figure("f_3", "a_2", "about 4,000", 4000.0, "~", "troops", "c_9", **in_iraq),
            _figure("f_4", "a_2", "4,000", 4000.0, "=", "Iraqi troops", **in_iraq),
            _figure("f_5", "a_3", "3,000", 3000.0, "=", "troops", **in_iraq),  # another story
            _figure("f_6", "a_4", "3,000", 3000.0, "=", "troops", **in_iraq),  # AP again
        ],
        schema=SCHEMAS["figures"],
    )
    articles = pl.DataFrame(
        {
            "article_id": ["a_1", "a_2", "a_3", "a_4"],
            "published_at": [DAY] * 4,
            "duplicate_of": [None] * 4,
            "story_id": ["st_1", "st_1", "st_2", "st_1"],
            "outlet": ["AP", "Reuters", "BBC", "AP"],
        },
        schema=_ARTICLES_SCHEMA,
    )
    conflicts = find_conflicts(figures, articles, {"c_9": "s_official"})
    assert conflicts.schema == pl.Schema(SCHEMAS["figure_conflicts"])
    rows = list(conflicts.iter_rows(named=True))
    pairs = {frozenset((r["figure_id_a"], r["figure_id_b"])) for r in rows}
    # AP's "over 5,000" and "3,000" against Reuters' "about 4,000"; never AP against AP,
    # never Iraqi troops against U.S. troops, never across stories.
    assert pairs == {frozenset(("f_1", "f_3")), frozenset(("f_3", "f_6"))}
    row = next(r for r in rows if "f_1" in (r["figure_id_a"], r["figure_id_b"]))
    assert row["counted"] == "us troop"
    assert row["frame_match"] == "fuzzy"  # "USA troops" names a nationality, "troops" none
    assert row["reason"].startswith("both: us troop, deploy, in Iraq, at publication (total)")
    assert "ap says 'Over 5,000'" in row["reason"]
    assert "reuters says 'about 4,000'" in row["reason"]
    assert row["source_id_b"] == "s_official"
    assert "deploy" in row["frame_a"] and "Iraq" in row["frame_b"]


def _view(text, value, change, outlet, **frame):
    row = _figure("f_" + outlet + text, "a_" + outlet, text, value, change, "troops", **frame)
    return FigureView.from_row(row, outlet, DAY)


def test_up_to_after_a_verb_with_the_particle_up_is_the_level_not_a_bound():
    """CNN's "ticked up to 7.6%" and NPR's "rose to 7.6 percent" agree: one level.

    The figure extractor reads that "up to" as the verb's particle, not a qualifier
    (``test_figures.py``), so the figure is "7.6%", change "=".
    """
    settings = ConflictSettings()
    moved = _view("7.6%", 7.6, "=", "CNN", event="tick up")
    assert figure_interval(moved, settings) == Interval(7.6, 7.6)
    level = _view("7.6 percent", 7.6, "=", "NPR", event="rise")
    assert not decide(moved, level).conflict
    # a bound stays a bound: "carried up to 30 rounds", "up to 30" with no particle "up"
    bound = _view("up to 30", 30.0, "<", "AP", event="carry")
    span = figure_interval(bound, settings)
    assert span is not None and math.isinf(span.low) and span.high == 30.0


def test_left_behind_is_not_deployed():
    """The seeds: "about 4,000" left behind after the drawdown vs "over 5,000" deployed now."""
    left = _view("about 4,000", 4000.0, "~", "AP", event="leave behind", role="forecast")
    deployed = _view("Over 5,000", 5000.0, ">", "Reuters", event="deploy", place="Iraq")
    assert not decide(left, deployed).conflict
    # even as a plain total, leaving behind is another event than deploying
    left_now = _view("about 4,000", 4000.0, "~", "AP", event="leave behind")
    assert decide(left_now, deployed).match is None


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ({"role": "part"}, {"role": "part"}, False),  # "three of the four states"
        ({"role": "margin"}, {"role": "margin"}, False),  # plus or minus 100,000
        ({"role": "change"}, {"role": "total"}, False),  # jobs added vs jobs
        ({"holder": "Trump"}, {"holder": "Cruz"}, False),
        ({"place": "Syria"}, {}, False),  # Iraq vs Syria
        ({"time": "February"}, {"time": "March"}, False),
        ({"time": "February"}, {"time": "in February"}, True),
        ({"event": "kill", "place": None}, {"event": "die", "place": None}, True),  # one class
        ({"event": "kill"}, {"event": "wound"}, False),
        ({"event": None, "place": None}, {"event": None, "place": None}, False),  # no tie
    ],
)
def test_frames_match_only_the_same_quantity(a, b, same):
    tie = {"event": "deploy", "place": "Iraq"}
    view_a = _view("5,000", 5000.0, "=", "AP", **{**tie, **a})
    view_b = _view("9,000", 9000.0, "=", "Reuters", **{**tie, **b})
    assert (decide(view_a, view_b).match is not None) is same
    assert decide(view_a, view_b).conflict is same


def test_a_limit_agrees_with_a_value_under_it_and_rounding_is_no_conflict():
    up_to = _view("up to 30", 30.0, "<", "AP", event="hold", role="limit")
    thirty = _view("30", 30.0, "=", "Reuters", event="hold", role="limit")
    assert not decide(up_to, thirty).conflict
    rounded = _view("1,900", 1900.0, "=", "AP", event="win", holder="Smith")
    exact = _view("1,907", 1907.0, "=", "Reuters", event="win", holder="Smith")
    assert not decide(rounded, exact).conflict


def test_time_keys():
    assert time_key("in February") == time_key("February") == frozenset({"feb"})
    assert time_key("last month") == frozenset({"last month"})
    assert time_key("the past 28 months") == frozenset({"28 month"})
    assert time_key(None) is None


def test_untied_frames_are_one_count_told_twice_but_not_one_share_or_amount():
    """Frames with nothing beyond the counted noun: a close count is one toll told twice
    ("275 people" killed and "at least 278 people"); a close percentage or amount of the same
    measure is not (a "drop of 20%" defining a bear market, a projected "drop of 18%")."""
    toll = _view("275", 275.0, "=", "AP", event=None)
    told_again = _view("At least 278", 278.0, ">", "Reuters", event=None)
    assert decide(toll, told_again).conflict
    drops = []
    for outlet, text, value in (("AP", "20%", 20.0), ("Reuters", "18%", 18.0)):
        row = _figure("f_" + outlet, "a_" + outlet, text, value, "=", "drop")
        row.update(kind="percent", unit="percent")
        drops.append(FigureView.from_row(row, outlet, DAY))
    assert not decide(*drops).conflict


def test_a_groups_rate_is_not_the_whole_rate():
    """The Washington Times' "unemployment rate for blacks fell to 5.9 percent" vs CNN's 3.8%."""
    group = _view(
        "5.9 percent", 5.9, "=", "WT", event="fall", holder="unemployment rate for blacks"
    )
    whole = _view("3.8%", 3.8, "=", "CNN", event="fall", holder="unemployment rate")
    assert not decide(group, whole).conflict
