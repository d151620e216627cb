"""Words the parse takes for a speaker that no reader would: datelines, time zones, the content.

Each case is a short synthetic article written for the test, run through the pipeline's parse
and :func:`pipeline.extract.claims.extract_claims` as the claims stage runs it, or, for the
speaker tests of :mod:`pipeline.extract.attribution.fallback`, through the parse alone.
"""

import pytest

from pipeline.extract.attribution.cues import Cue
from pipeline.extract.attribution.fallback import names_content, no_label_or_content, past_label

pytestmark = pytest.mark.slow


def test_a_dateline_with_its_wire_is_no_speaker(rule_claims_of):
    found = rule_claims_of(
        "Washington (CNN) – Republican Rep. Mike Rogers, chairman of the House Intelligence "
        "Committee, argued Sunday that the United States lost all of its leverage in Syria."
    )
    assert found.speaker_of("lost all of its leverage") == "Republican Rep. Mike Rogers"


def test_a_dateline_in_capitals_is_no_speaker(rule_claims_of):
    found = rule_claims_of(
        "INDIANAPOLIS - Ted Cruz, who badly needs a win in the primary, said on Friday that "
        "the governor's support would help him in the state."
    )
    speaker = found.speaker_of("would help him")
    assert speaker is not None and "Cruz" in speaker


def test_a_dateline_without_an_apposition_leaves_no_speaker(english):
    doc = english("WASHINGTON (AP) — Congress left town on Friday.")
    assert doc[0].text == "WASHINGTON"
    assert past_label(doc[0]) is None


def test_a_subject_set_off_by_dashes_is_no_dateline(rule_claims_of):
    found = rule_claims_of(
        "Democrats -- most notably Senate Majority Leader Harry Reid -- have said for months "
        "that he should release his tax returns."
    )
    assert found.speaker_of("release his tax returns") == "Democrats"


def test_a_time_zone_is_no_speaker(rule_claims_of):
    found = rule_claims_of(
        "At 12:11 a.m. ET, Obama's re-election campaign put out a statement, accusing Romney "
        "of taking a political swipe during the crisis."
    )
    assert found.speaker_of("political swipe") == "Obama's re-election campaign"


def test_a_place_in_a_sentence_still_speaks(english):
    doc = english("Washington said on Friday that the talks would resume.")
    kept = past_label(doc[0])
    assert kept is not None and kept.i == 0


def _cue(doc, verb: int, speaker: int, content: tuple[int, int]) -> Cue:
    return Cue(
        cue=(doc[verb].idx, doc[verb].idx + len(doc[verb].text)),
        speaker=doc[speaker],
        via=None,
        content=(doc[content[0]].idx, doc[content[1] - 1].idx + len(doc[content[1] - 1].text)),
        verb=doc[verb],
        weak=False,
        frame="obj",
        key=doc[verb].lemma_,
        seed=False,
    )


def test_a_speaker_that_is_the_whole_content_says_nothing(english):
    doc = english("Got a question? Ask Ken Rudin: he answers every week.")
    ask = next(t.i for t in doc if t.text == "Ask")
    rudin = next(t.i for t in doc if t.text == "Rudin")
    assert names_content(_cue(doc, ask, rudin, (rudin - 1, rudin + 1)), doc[rudin])


def test_a_speaker_inside_a_longer_content_still_speaks(english):
    doc = english("And, he said, there is grassroots support for his positions.")
    said = next(t.i for t in doc if t.text == "said")
    he = next(t.i for t in doc if t.text == "he")
    assert not names_content(_cue(doc, said, he, (0, len(doc) - 1)), doc[he])


def test_an_article_determining_the_cue_noun_is_no_speaker(english):
    doc = english("Romney made a ridiculous pledge to create 12 million jobs in four years.")
    pledge = next(t.i for t in doc if t.text == "pledge")
    article = next(t.i for t in doc if t.text == "a")
    cue = _cue(doc, pledge, article, (pledge + 1, len(doc) - 1))
    assert no_label_or_content(cue, doc[article]) is None


def test_an_article_gives_way_to_the_noun_it_determines(english):
    doc = english("The spokesman made it clear, in a statement, that the talks had failed.")
    made = next(t.i for t in doc if t.text == "made")
    the = next(t.i for t in doc if t.text == "The")
    cue = _cue(doc, made, the, (made + 1, len(doc) - 1))
    speaker = no_label_or_content(cue, doc[the])
    assert speaker is not None and speaker.text == "spokesman"
