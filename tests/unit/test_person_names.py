"""The full names an article gives: what counts as one (:mod:`pipeline.extract.person_names`)."""

import pytest

from pipeline.extract.person_names import first_uses, named_persons

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def parse():
    from pipeline.nlp import load_nlp

    return load_nlp()


def test_a_name_ending_its_caption_or_list_line_stays_a_full_name(parse):
    # captions, cabinet lists and interview labels are set in headline case too
    doc = parse(
        "Director of the CIA: Rep. Mike Pompeo\n\n"
        "Pompeo previously denounced the decision to close the black sites.\n\n"
        "Rasmus Kleis Nielsen\n\n"
        "The damage has been done, he said."
    )
    names = named_persons(doc)
    assert "Mike Pompeo" in names
    assert "Rasmus Kleis Nielsen" in names


def test_a_name_running_on_in_a_headline_is_no_full_name_unless_given_in_prose(parse):
    headline = parse(
        "Obama Uses And Loses Political Capital On Gun Control\n\n"
        "An obviously angry Obama blamed the loss on the lobby."
    )
    assert not any(name.startswith("Obama") for name in named_persons(headline))
    in_prose = parse(
        "President Donald Trump, Unreliable Narrator\n\n"
        "Social media have given America President Donald Trump, unreliable narrator."
    )
    assert named_persons(in_prose).count("Donald Trump") == 2


def test_a_list_of_names_in_a_headline_case_line_is_no_run_on(parse):
    doc = parse(
        "And Wednesday's: Joe Biden, Kamala Harris, Cory Booker, Julián Castro, Tulsi Gabbard.\n\n"
        "Castro was interesting."
    )
    assert "Julián Castro" in named_persons(doc)


def test_where_a_full_name_is_first_given_and_its_surname_used_alone(parse):
    doc = parse("President Obama spoke. Obama left.\n\nFirst lady Michelle Obama waved.")
    first_named, alone = first_uses(doc)
    assert first_named == {"Michelle Obama": doc.text.index("Michelle")}
    assert alone["obama"] == (doc.text.index("Obama"), doc.text.index("Obama left"))
