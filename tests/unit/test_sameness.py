"""When two outlets' figures are one quantity: holders, causes, times, polarity, rounding."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from pipeline.across.conflicts import ConflictSettings, FigureView, decide, figure_interval
from pipeline.across.sameness import (
    Match,
    Mismatch,
    compare,
    event_match,
    holder_name,
    same_quantity,
    time_key,
)

TUESDAY = datetime(2016, 3, 8, tzinfo=UTC)
JUNE = datetime(2017, 6, 20, tzinfo=UTC)


def _view(text, value, outlet, *, counted="jobs", kind="count", day=TUESDAY, **frame):
    row = {
        "figure_id": f"f_{outlet}_{text}",
        "article_id": f"a_{outlet}",
        "claim_id": None,
        "text": text,
        "start": 0,
        "end": len(text),
        "value": value,
        "value_low": None,
        "value_high": None,
        "change": frame.pop("change", "="),
        "unit": "percentage" if kind == "percent" else None,
        "kind": kind,
        "counted": counted,
        "frame_counted": counted,
        "frame_event": frame.get("event"),
        "frame_holder": frame.get("holder"),
        "frame_place": frame.get("place"),
        "frame_time": frame.get("time"),
        "frame_role": frame.get("role", "total"),
    }
    return FigureView.from_row(row, outlet, day)


@pytest.mark.parametrize(
    ("holder", "name"),
    [
        ("Businesses", None),  # the economy's gain, as an unattributed one
        ("Employers", None),
        ("The U.S. economy", None),
        ("the Pentagon", "us"),
        ("The U.S.", "us"),
        ("the attack", None),  # the story's event
        ("the February attack", "the February attack"),  # a scene of another day
        ("last week's deadly attacks", "last week's deadly attacks"),
        ("the construction sector", "the construction sector"),
        (None, None),
    ],
)
def test_holders_that_mean_the_whole_or_the_story_are_none(holder, name):
    assert holder_name(holder) == name


def test_businesses_and_employers_add_jobs_alike():
    businesses = _view(
        "146,000", 146000.0, "USA Today", event="add", holder="Businesses", role="change"
    )
    employers = _view(
        "148,000", 148000.0, "Fox", event="add", holder="Employers", time="December", role="change"
    )
    assert decide(businesses, employers).conflict
    sector = _view("48,000", 48000.0, "CNN", event="add", holder="construction", role="change")
    assert decide(sector, employers).match is None  # a sector is not the economy


def test_the_pentagon_is_the_us_and_now_is_the_article_date():
    pentagon = _view(
        "250",
        250.0,
        "Fox",
        counted="military advisers",
        event="have",
        holder="Pentagon",
        place="Iraq",
        time="currently",
    )
    deployed = _view(
        "some 130",
        130.0,
        "CSM",
        counted="military advisers",
        event="deploy",
        holder="The U.S.",
        change="~",
    )
    assert decide(pentagon, deployed).conflict


def test_a_scene_named_on_one_side_only_is_another_scene():
    parkland = _view(
        "17", 17.0, "Fox", counted="people", event="kill", holder="the February attack"
    )
    santa_fe = _view("10", 10.0, "Vox", counted="people", event="kill")
    assert decide(parkland, santa_fe).match is None
    attack = _view("58", 58.0, "Fox", counted="people", event="leave", holder="The attack")
    leaving = _view("at least 59", 59.0, "Hill", counted="people", event="leave", change=">")
    assert decide(attack, leaving).conflict


def test_voting_against_is_not_voting():
    assert event_match("vote", "vote against") is None
    assert event_match("vote against", "vote against") == (True, True)


def test_present_times_are_the_article_date():
    assert time_key("now") is None and time_key("currently") is None
    assert time_key("As of Wednesday") == frozenset({"wed"})


def test_a_level_as_of_another_day_or_a_total_of_another_month_is_another_quantity():
    before = _view("384", 384.0, "NPR", counted="delegates", event="have", holder="Trump")
    after = _view(
        "446",
        446.0,
        "CBN",
        counted="delegates",
        event="have",
        holder="Trump",
        time="As of Wednesday",
    )
    assert same_quantity(before, after) is None  # the NPR article is Tuesday's
    runoff = _view("more than 240,000", 240000.0, "WT", counted="people", event="vote", day=JUNE)
    april = _view(
        "nearly 194,000", 194000.0, "AJC", counted="people", event="vote", time="April 18", day=JUNE
    )
    assert same_quantity(runoff, april) is None
    # a change's month is its period: a January report tells December's gain
    december = _view(
        "148,000", 148000.0, "Fox", event="add", time="December", role="change", day=JUNE
    )
    unnamed = _view("146,000", 146000.0, "USA Today", event="add", role="change", day=JUNE)
    assert same_quantity(december, unnamed) is not None


def test_requirements_compare_only_when_every_field_matches():
    debate = _view("60", 60.0, "CNN", counted="votes", event="need", holder="Reid", role="forecast")
    passage = _view("51", 51.0, "NYT", counted="votes", event="need", role="forecast")
    assert same_quantity(debate, passage) is None


def test_spelled_out_ranges_are_compared_and_vague_plurals_are_not():
    settings = ConflictSettings()
    spelled = replace(_view("four or five", None, "a"), low=4.0, high=5.0)
    span = figure_interval(spelled, settings)
    assert span is not None and (span.low, span.high) == (4.0, 5.0)
    millions = replace(_view("six to eight million", None, "a"), low=6e6, high=8e6)
    assert figure_interval(millions, settings) is not None
    for vague in ("dozens", "Hundreds of thousands", "tens of thousands"):
        plural = replace(_view(vague, None, "b"), low=10.0, high=100.0)
        assert figure_interval(plural, settings) is None


def test_others_beside_a_named_one_are_a_total_of_at_least_one_more():
    settings = ConflictSettings()
    others = _view("three", 3, "a", counted="Americans", event="kill", role="besides")
    four = _view("four", 4, "b", counted="Americans", event="kill")
    two = _view("two", 2, "c", counted="Americans", event="kill")
    assert same_quantity(others, four) is not None
    assert not decide(others, four, settings).conflict  # the ambassador and three others
    assert decide(others, two, settings).conflict


def test_whole_percentages_that_differ_by_a_point_disagree():
    settings = ConflictSettings()
    a = _view("44 percent", 44.0, "CSM", kind="percent", counted="sanders voters", event="say")
    b = _view("43%", 43.0, "Guardian", kind="percent", counted="sanders voters", event="say")
    span_a, span_b = figure_interval(a, settings), figure_interval(b, settings)
    assert span_a is not None and span_b is not None and not span_a.intersects(span_b)
    decimal = _view("45.9", 45.9, "WT", kind="percent", counted="sanders voters", event="say")
    whole = _view("46 percent", 46.0, "Politico", kind="percent", counted="sanders voters")
    span_c, span_d = figure_interval(decimal, settings), figure_interval(whole, settings)
    assert span_c is not None and span_d is not None and span_c.intersects(span_d)


def test_a_time_before_the_other_articles_day_is_another_time():
    assert time_key("Ahead of Tuesday") == frozenset({"before tue"})
    before = _view(
        "1,130",
        1130.0,
        "Fox",
        counted="delegates",
        event="accumulate",
        holder="Clinton",
        time="Ahead of Tuesday",
    )
    now = _view("1,221", 1221.0, "CBN", counted="delegates", event="have", holder="Clinton")
    assert same_quantity(before, now) is None  # both articles are Tuesday's


def test_a_headlines_list_of_things_is_not_a_quantity():
    five = _view("Five", 5.0, "Hill", counted="things", event="watch")
    three = _view("3", 3.0, "Politico", counted="things", event="watch")
    assert same_quantity(five, three) is None


@pytest.mark.parametrize(
    ("a", "b", "check"),
    [
        ({"event": "leave behind"}, {"event": "deploy"}, "event"),  # the seeds' troops
        ({"role": "part"}, {"role": "part"}, "role"),
        ({"counted": "construction jobs"}, {}, "modifiers"),
        ({"holder": "Trump"}, {"holder": "Cruz"}, "holder"),
        ({"place": "Iraq"}, {"place": "Syria"}, "place"),
        ({"time": "February"}, {"time": "March"}, "time"),
        ({"event": None}, {"event": None}, "tie"),
    ],
)
def test_compare_names_the_check_that_two_frames_fail(a, b, check):
    view_a = _view("5,000", 5000.0, "AP", **{"event": "hire", **a})
    view_b = _view("9,000", 9000.0, "Reuters", **{"event": "hire", **b})
    compared = compare(view_a, view_b)
    assert isinstance(compared, Mismatch) and compared.check == check
    assert same_quantity(view_a, view_b) is None
    assert compared.describe().startswith(f"{check}: ")


def test_compare_returns_the_match_same_quantity_returns():
    view_a = _view("5,000", 5000.0, "AP", event="hire", place="Ohio")
    view_b = _view("9,000", 9000.0, "Reuters", event="hire", place="Ohio")
    compared = compare(view_a, view_b)
    assert isinstance(compared, Match) and compared == same_quantity(view_a, view_b)


def test_a_modifier_named_on_one_side_only_is_an_uncertain_field():
    police = _view("Sixteen", 16.0, "WSOC", counted="police officers", event="injure")
    officers = _view("at least 12", 12.0, "AP", counted="officers", event="injure")
    match = same_quantity(police, officers)
    assert match is not None and not match.exact
    assert "modifiers named on one side only" in match.notes
    assert match.counted.label() == "police officer"


@pytest.mark.parametrize(
    "narrower",
    ["construction jobs", "Iraqi troops", "Republican senators", "private-sector jobs"],
)
def test_a_modifier_that_names_a_part_is_another_population(narrower):
    part = _view("5,000", 5000.0, "AP", counted=narrower, event="hire")
    whole = _view("9,000", 9000.0, "Reuters", counted=narrower.split()[-1], event="hire")
    compared = compare(part, whole)
    assert isinstance(compared, Mismatch) and compared.check == "modifiers"


def test_different_modifiers_on_both_sides_are_different_populations():
    young = _view("800,000", 800000.0, "AP", counted="young immigrants", event="protect")
    other = _view("690,000", 690000.0, "Fox", counted="undocumented immigrants", event="protect")
    compared = compare(young, other)
    assert isinstance(compared, Mismatch) and compared.check == "modifiers"


@pytest.mark.parametrize(
    ("a", "b"),
    [("gun down", "kill"), ("swap", "free"), ("give", "grant"), ("separate", "take away")],
)
def test_predicates_of_one_class_are_one_event(a, b):
    assert event_match(a, b) == (True, False)


def test_predicates_of_other_classes_stay_apart():
    assert event_match("free", "kill") is None
    assert event_match("leave behind", "deploy") is None  # the seeds' troops


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Monday morning", frozenset({"mon"})),
        ("Sunday night", frozenset({"sun"})),
        ("morning", None),
        ("this morning", None),
        ("early Wednesday morning", frozenset({"wed"})),
    ],
)
def test_a_part_of_a_day_names_no_day(text, key):
    assert time_key(text) == key


def test_untied_frames_conflict_only_when_close():
    """Frames that say nothing beyond "people" are one toll told twice only if close."""
    toll = _view("275", 275.0, "AP", counted="people")
    close = _view("at least 290", 290.0, "Reuters", counted="people", change=">")
    far = _view("at least 400", 400.0, "CNN", counted="people", change=">")
    compared = compare(toll, close)
    assert isinstance(compared, Mismatch) and compared.check == "tie"
    assert compared.untied is not None and same_quantity(toll, close) is None
    verdict = decide(toll, close)
    assert verdict.conflict and verdict.match is not None and not verdict.match.exact
    assert not decide(toll, far).conflict  # 400 and 275 may be two scenes of one story
    # anything named on one side only leaves the frames uncertain: not compared at all
    placed = _view("at least 290", 290.0, "UPI", counted="people", change=">", place="Cairo")
    assert not decide(toll, placed).conflict
    assert not decide(toll, close, unclear=True).conflict  # another toll in its article


def test_nationality_modifiers_come_from_the_gazetteers_demonyms():
    from pipeline.across.sameness import nationality_modifiers

    words = nationality_modifiers()
    assert {"iraqi", "afghan", "chinese", "lankan", "welsh", "texan"} <= words
    assert not {"american", "americans", "america", "british", "eu"} & words


def test_only_confusable_values_make_a_figure_ambiguous_in_its_article():
    from pipeline.across.conflicts import rivals

    settings = ConflictSettings()
    toll = _view("275", 275, "npr", counted="people", event="kill")
    # "between 80,000 and 100,000 people" in the same article: no count of a few hundred is
    # taken for it, so the toll is compared as it stands
    crowd = replace(_view("90,000", 90_000, "npr", counted="people"), figure_id="f_crowd")
    assert set(rivals([toll, crowd], settings)) == set()
    # "43 killed" beside "275 killed", 6.4 times apart: a figure within twofold of one is
    # at least 1.6 times off the other, so no other outlet's figure is taken for both
    police = replace(_view("43", 43, "npr", counted="people", event="kill"), figure_id="f_43")
    assert set(rivals([toll, police], settings)) == set()
    # "150 killed" beside "275 killed": another outlet's "about 200" could be either
    close = replace(_view("150", 150, "npr", counted="people", event="kill"), figure_id="f_150")
    assert set(rivals([toll, close], settings)) == {toll.figure_id, close.figure_id}


def test_a_less_precise_value_may_be_the_more_precise_one_cut_short():
    # "$8.6 million" may be $8.67 million truncated, and "46 percent" 46.7 percent
    for coarse, fine, kind in (
        (8.6e6, 8.67e6, "currency"),
        (46.0, 46.7, "percent"),
        (8.1, 8.15, "percent"),
    ):
        a = _view(str(coarse), coarse, "CNN", kind=kind, counted="money", event="raise")
        b = _view(str(fine), fine, "NYT", kind=kind, counted="money", event="raise")
        assert not decide(a, b).conflict, (coarse, fine)
        assert not decide(b, a).conflict, (fine, coarse)
    # as a change too: "she raised $8.6 million" and "raised $8.67 million" in one quarter
    a = _view(
        "$8.6 million",
        8.6e6,
        "CNN",
        kind="currency",
        counted="money",
        event="raise",
        holder="Elizabeth Warren",
        change="up",
        role="change",
    )
    b = _view(
        "$8.67 million",
        8.67e6,
        "NYT",
        kind="currency",
        counted="money",
        event="raise",
        holder="Elizabeth Warren",
        change="up",
        role="change",
    )
    assert same_quantity(a, b) is not None and not decide(a, b).conflict
    # values stated alike keep their intervals, and a value past the next unit still clashes
    for first, second, kind in ((44.0, 43.0, "percent"), (8.6e6, 8.8e6, "currency")):
        a = _view(str(first), first, "CNN", kind=kind, counted="money", event="raise")
        b = _view(str(second), second, "NYT", kind=kind, counted="money", event="raise")
        assert decide(a, b).conflict, (first, second)
    # a round count beside an approximate one is not widened: "300" is not "nearly 400"
    a = _view("300", 300.0, "Newsmax", counted="page")
    b = _view("nearly 400", 400.0, "Reuters", counted="page", change="~")
    span = decide(a, b).interval_a
    assert span is not None and span.high == 315
    # exact small counts are exact: "30" is not "33" cut short
    a = _view("30", 30.0, "CNN", counted="people", event="kill")
    b = _view("33", 33.0, "NYT", counted="people", event="kill")
    assert decide(a, b).conflict


def test_a_shares_place_named_on_one_side_only_is_another_population():
    michigan = _view(
        "37%", 37.0, "CNN", kind="percent", counted="likely voter", event="back", place="Michigan"
    )
    national = _view(
        "43 percent", 43.0, "NYT", kind="percent", counted="likely voter", event="back"
    )
    assert not decide(michigan, national).conflict
    found = compare(michigan, national)
    assert isinstance(found, Mismatch) and found.check == "place"


def test_a_figure_with_rivals_may_still_be_one_count_told_twice():
    from pipeline.across.conflicts import confused, rivals

    settings = ConflictSettings()
    # The Hill: "at least 59" dead in Las Vegas, and, further on, the "49" an Orlando
    # shooting left a year before (one frame, 1.2 times apart: rivals in its article)
    vegas = _view("at least 59", 59, "hill", counted="people", event="dead", change=">")
    orlando = replace(_view("49", 49, "hill", counted="people", event="dead"), figure_id="f_49")
    found = rivals([vegas, orlando], settings)
    assert found[vegas.figure_id] == (orlando,)
    # Fox's "58" dead is nearer to 59 than to 49: the same toll told twice, a conflict
    fox = _view("58", 58, "fox", counted="people", event="dead", holder="the attack")
    assert not confused(vegas, found[vegas.figure_id], fox, settings)
    verdict = decide(vegas, fox, rivals_a=found[vegas.figure_id])
    assert verdict.conflict and verdict.match is not None and not verdict.match.tied
    # another outlet's "50" is nearer to Orlando's 49: it may tell that toll, not compared
    fifty = _view("50", 50, "cnn", counted="people", event="dead")
    assert confused(vegas, found[vegas.figure_id], fifty, settings)
    assert not decide(vegas, fifty, rivals_a=found[vegas.figure_id]).conflict
    # told twice means close (within untied_ratio): "66" dead is 1.12 times a "59", and not
    # compared beside a rival, though nearer to it than to the rival
    exact = replace(vegas, text="59", change="=")
    sixty_six = _view("66", 66, "abc", counted="people", event="dead")
    assert not confused(exact, (orlando,), sixty_six, settings)
    assert not decide(exact, sixty_six, rivals_a=(orlando,)).conflict
    assert decide(exact, sixty_six).conflict  # without rivals, 66 and 59 clash


def test_events_of_one_class_match_whatever_their_preposition():
    # "voted against the measure" and "opposed the measure": one class (oppose) in the lexicon
    assert event_match("vote against", "oppose") == (True, False)
    assert event_match("vote", "vote against") is None  # still not the vote for it
    # "2,300 children taken from parents" and "2,000 children separated from their families"
    assert event_match("take", "separate") == (True, False)
    assert event_match("garner", "win") == (True, False)
