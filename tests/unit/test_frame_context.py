"""A frame takes from its article what its own sentence leaves out (issue 30)."""

import json

import pytest

from pipeline.evaluate.conflict_articles import locate
from pipeline.evaluate.conflict_pairs import sentence_id
from pipeline.extract.figures import extract_figures
from pipeline.extract.frame_context import with_context
from pipeline.extract.frames import FigureFrame, figure_frame, frame_columns
from pipeline.nlp import load_nlp


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def frames_of(nlp, text: str) -> dict[str, FigureFrame]:
    doc = nlp(text)
    figures = list(extract_figures(doc))
    own = [figure_frame(doc, f.start, f.end, change=f.change, kind=f.kind) for f in figures]
    framed = with_context(doc, [(f.start, f.end, f.kind) for f in figures], own)
    return {f.text: frame for f, frame in zip(figures, framed, strict=True)}


@pytest.mark.parametrize(
    ("text", "share"),
    [
        (
            "McDaniel led with 49.6 percent of the vote, and Cochran had 48.9 percent.",
            "48.9 percent",
        ),
        ("Clinton won 52 percent of the vote in Nevada. Sanders took 47 percent.", "47 percent"),
    ],
)
def test_a_bare_share_counts_what_its_neighbour_names(nlp, text, share):
    frame = frames_of(nlp, text)[share]
    assert frame.counted == "vote"
    assert frame.holder is not None  # whose share: from its own clause, never inherited


def test_a_share_of_no_one_inherits_nothing(nlp):
    # "with 99.5 percent of the precincts reporting" is not a share of the vote
    frames = frames_of(
        nlp,
        "McDaniel led with 49.6 percent of the vote, and Cochran had 48.9 percent, with 99.5 "
        "percent of the precincts reporting.",
    )
    assert frames["99.5 percent"].counted != "vote"


def test_a_share_far_from_any_named_one_inherits_nothing(nlp):
    text = (
        "Clinton won 52 percent of the vote in Nevada. The weather was cold and windy. "
        "Officials said turnout was low. Sanders took 47 percent."
    )
    assert frames_of(nlp, text)["47 percent"].counted is None


def test_he_is_the_person_the_sentence_before_is_about(nlp):
    frames = frames_of(nlp, "Donald Trump won Nevada on Tuesday. He took 46 percent of the vote.")
    assert frames["46 percent"].holder == "Donald Trump"
    # nobody named before, in the sentence or the one before it: the frame does not say
    alone = frames_of(nlp, "The polls closed at seven. He took 46 percent of the vote.")
    assert alone["46 percent"].holder is None


def test_judged_sentences_are_found_in_their_outlets_articles(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    body = "Smith won Nevada. He took 46 percent of the vote.\n\nTurnout was low."
    corpus.write_text(
        json.dumps({"ID": "x1", "source": "AP", "content_original": body}) + "\n",
        encoding="utf-8",
    )
    found = {"outlet": "AP", "sentence": "He took 46 percent of the vote.\n\n"}
    other = {"outlet": "Reuters", "sentence": "He took 46 percent of the vote."}
    located = locate([found, other], corpus)
    place = located["AP", found["sentence"]]
    assert (place.text_id, place.text) == ("article-x1", body)
    assert body[place.offset :].startswith("He took 46")
    # another outlet's sentence is not in this article: it stays a text of its own
    alone = located["Reuters", other["sentence"]]
    assert (alone.text_id, alone.text, alone.offset) == (
        sentence_id(other["sentence"]),
        other["sentence"],
        0,
    )
    assert locate([other], None)["Reuters", other["sentence"]].text == other["sentence"]


def test_a_bare_share_takes_the_place_its_neighbours_counted_phrase_names(nlp):
    text = (
        "According to a survey, 47% of likely voters in Michigan support the president, "
        "with 37% backing Romney and 16% unsure."
    )
    frames = frames_of(nlp, text)
    assert frames["47%"].place == "Michigan"
    assert frames["37%"].counted == frames["47%"].counted
    assert frames["37%"].place == "Michigan"


def test_a_change_from_one_level_to_another_is_compared_as_the_level_now(nlp):
    from datetime import UTC, datetime

    from pipeline.across.conflicts import ConflictSettings, FigureView, figure_interval

    text = "The unemployment rate fell from 8.1 percent to 7.8 percent in September."
    doc = nlp(text)
    (figure,) = extract_figures(doc)
    frame = figure_frame(doc, figure.start, figure.end, change=figure.change, kind=figure.kind)
    assert frame.role == "from_to"
    row = {
        "figure_id": "f",
        "article_id": "a",
        "text": figure.text,
        "value": figure.value,
        "value_low": figure.value_low,
        "value_high": figure.value_high,
        "change": figure.change,
        "unit": figure.unit,
        "kind": figure.kind,
        "counted": figure.counted,
        **frame_columns(frame),
    }
    view = FigureView.from_row(row, "AP", datetime(2012, 10, 5, tzinfo=UTC))
    span = figure_interval(view, ConflictSettings())
    assert span is not None and span.low <= 7.8 <= span.high < 8.1
