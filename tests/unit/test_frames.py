"""Figure frames: what a figure counts, in what event, whose, where, when and in what role."""

import pytest

from pipeline.extract.frames import ROLES, FigureFrame, figure_frame, frame_columns
from pipeline.nlp import load_nlp


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def frame_of(nlp, sentence: str, figure: str, **options) -> FigureFrame:
    doc = nlp(sentence)
    start = sentence.index(figure)
    return figure_frame(doc, start, start + len(figure), **options)


def test_left_behind_is_a_planned_remainder_not_a_deployment(nlp):
    left = frame_of(
        nlp,
        "An official told AP that the U.S. troop withdrawal is expected to reach 60 percent of "
        "all American forces, leaving behind about 4,000 troops to continue training.",
        "about 4,000",
    )
    assert left.counted == "troop"
    assert left.event == "leave behind"
    assert left.role == "forecast"
    deployed = frame_of(
        nlp,
        "Over 5,000 USA troops have been deployed in Iraq to support the Iraqi forces.",
        "Over 5,000",
    )
    assert (deployed.counted, deployed.event, deployed.place, deployed.role) == (
        "usa troop",
        "deploy",
        "Iraq",
        "total",
    )


def test_holder_is_the_subject_of_the_event(nlp):
    frame = frame_of(
        nlp, "The United States has more than 5,000 troops in Iraq.", "more than 5,000"
    )
    assert (frame.event, frame.holder, frame.place, frame.role) == (
        "have",
        "United States",
        "Iraq",
        "total",
    )


@pytest.mark.parametrize(
    ("sentence", "figure", "role"),
    [
        ("The magazine holds up to 30 rounds.", "30", "limit"),
        ("He won three of the four states voting this weekend.", "three", "part"),
        ("The survey has a margin of error of plus or minus 100,000 jobs.", "100,000", "margin"),
        ("The Pentagon will send 3,000 more troops to the region.", "3,000", "forecast"),
        ("Employers added 5,000 more jobs than expected.", "5,000", "change"),
        ("Six people were shot on Monday.", "Six", "total"),
    ],
)
def test_roles(nlp, sentence, figure, role):
    assert frame_of(nlp, sentence, figure).role == role


def test_time_expression_attached_to_the_event(nlp):
    frame = frame_of(nlp, "In February, the economy added 236,000 jobs.", "236,000")
    assert frame.time == "February"
    assert frame.event == "add"
    assert frame.role == "change"


def test_frame_columns_cover_every_field(nlp):
    frame = frame_of(nlp, "Two explosions rocked the airport.", "Two")
    columns = frame_columns(frame)
    assert set(columns) == {f"frame_{name}" for name in FigureFrame.__slots__}
    assert columns["frame_role"] in ROLES
    assert columns["frame_counted"] == "explosion"
