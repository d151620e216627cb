"""What users ask of quote extractors (CoreNLP, textacy and GenderGapTracker threads).

Each case is a short synthetic article written for the test, run through the pipeline's parse
and :func:`pipeline.extract.claims.extract_claims` as the claims stage runs it.
"""

import pytest

from pipeline.extract.claims import extract_claims

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def claims_of():
    from pipeline.nlp import load_nlp

    nlp = load_nlp()

    def run(text: str):
        doc = nlp(text)
        return doc, list(extract_claims(doc))

    return run


def _with(found, needle):
    hits = [c for c in found if needle in c.content]
    assert hits, f"no claim containing {needle!r} in {[c.content for c in found]}"
    return hits[0]


def test_a_quotation_over_several_paragraphs_is_one_direct_claim(claims_of):
    text = (
        "Mayor Ellen Park spoke at the opening on Tuesday.\n\n"
        "“The new library belongs to every family in this city,” Park said. “It took us ten "
        "years to build it.\n\n"
        "“And it will stay open seven days a week, whatever the budget says.”\n\n"
        "The library cost $40 million."
    )
    _doc, found = claims_of(text)
    claim = _with(found, "It took us ten years")
    assert claim.is_direct
    assert "seven days a week" in claim.content
    assert claim.source is not None and claim.source.name == "Ellen Park"


def test_a_name_with_an_apposition_before_said(claims_of):
    text = (
        "Hospitals in the region are running out of beds.\n\n"
        "“We have never seen so many patients at once,” Maria Lopez, a doctor at the county "
        "hospital, said on Friday."
    )
    _doc, found = claims_of(text)
    claim = _with(found, "so many patients")
    assert claim.source is not None and claim.source.name == "Maria Lopez"
    assert claim.source.description is not None and "doctor" in claim.source.description


def test_a_quote_only_paragraph_inherits_the_previous_speaker(claims_of):
    text = (
        "Governor Sam Reyes defended the new water rules on Monday.\n\n"
        "“Farmers will have what they need,” Reyes said.\n\n"
        "“Nobody is going to lose a harvest over this. Not one farm.”\n\n"
        "The rules take effect in June."
    )
    _doc, found = claims_of(text)
    claim = _with(found, "Nobody is going to lose a harvest")
    assert claim.is_direct
    assert claim.source is not None and claim.source.name == "Sam Reyes"


def test_a_quotation_signed_with_a_dash_and_a_name(claims_of):
    text = (
        "Readers wrote in about the festival.\n\n"
        "“The music was wonderful and the crowd was kind to each other.” — Karen Bobadilla, "
        "a teacher from Austin"
    )
    _doc, found = claims_of(text)
    claim = _with(found, "The music was wonderful")
    assert claim.is_direct
    assert claim.source is not None and claim.source.name == "Karen Bobadilla"


def test_and_from_a_name_and_a_colon_introduces_the_quotation(claims_of):
    text = (
        "Reactions came quickly after the vote.\n\n"
        "And from Senator Mark Olsen: “This bill will help every small business in the "
        "state.”"
    )
    _doc, found = claims_of(text)
    claim = _with(found, "This bill will help every small business")
    assert claim.is_direct
    assert claim.source is not None and claim.source.name == "Mark Olsen"


def test_a_surname_resolves_to_the_full_name_given_before(claims_of):
    text = (
        "Senator Bernard Sanders spoke in Iowa on Sunday.\n\n"
        "“The system is rigged against working people,” Sanders said."
    )
    _doc, found = claims_of(text)
    claim = _with(found, "The system is rigged")
    assert claim.source is not None and claim.source.name == "Bernard Sanders"


def test_a_surname_used_alone_before_a_full_name_with_it_is_not_that_person(claims_of):
    text = (
        "President Obama spoke on Monday. Obama praised the plan. Obama met aides. "
        "Obama left at noon. Obama returned later. Obama waved.\n\n"
        "He appeared with first lady Michelle Obama at the dinner.\n\n"
        "“We will not give up on this bill,” Obama said."
    )
    _doc, found = claims_of(text)
    claim = _with(found, "We will not give up")
    assert claim.source is not None and claim.source.name == "Obama"


def test_a_reporting_verb_opening_the_sentence_is_no_part_of_the_name(claims_of):
    # the tagger reads "Said Obama" as one person; "Said Obama" then took every later "Obama"
    text = (
        "President Barack Obama spoke in Washington on Monday about Syria.\n\n"
        "Said Obama: “What I have said consistently is that the chemical weapons are a "
        "problem.”\n\n"
        "Late last month, Obama said he would seek a vote in Congress."
    )
    _doc, found = claims_of(text)
    for needle in ("What I have said", "he would seek a vote"):
        claim = _with(found, needle)
        assert claim.source is not None and claim.source.name == "Barack Obama"


@pytest.mark.parametrize(
    "headline",
    ["Update at 2:38 p.m. ET. Obama Lays Out Plan:", "Obama Commemorates The March On Washington"],
)
def test_a_name_in_a_headline_case_line_is_no_full_name(claims_of, headline):
    # the tagger takes the headline's verb into the name ("Obama Lays"), which then stood
    # for every "Obama" of the article as a given name
    text = (
        f"{headline}\n\n"
        "In an address at Georgetown University, President Obama laid out a plan.\n\n"
        "“We have a moral obligation to act,” Obama said."
    )
    _doc, found = claims_of(text)
    claim = _with(found, "We have a moral obligation")
    assert claim.source is not None and claim.source.name == "Obama"


def test_a_nickname_resolves_to_the_full_name_given_before(claims_of):
    text = (
        "Senator Bernard Sanders spoke in Iowa on Sunday.\n\n"
        "“The system is rigged against working people,” Bernie said."
    )
    _doc, found = claims_of(text)
    claim = _with(found, "The system is rigged")
    assert claim.source is not None and claim.source.name == "Bernard Sanders"


def test_a_given_name_alone_resolves_to_the_one_person_with_it(claims_of):
    text = (
        "Hillary Clinton and Donald Trump met for the second debate.\n\n"
        "“I will not be lectured about respect,” Hillary said."
    )
    _doc, found = claims_of(text)
    claim = _with(found, "I will not be lectured")
    assert claim.source is not None and claim.source.name == "Hillary Clinton"


def test_he_resolves_to_the_person_named_before(claims_of):
    text = (
        "Police Chief Daniel Moore addressed reporters after the storm.\n\n"
        "He said that every street in the north district would be cleared by Thursday."
    )
    _doc, found = claims_of(text)
    claim = _with(found, "every street in the north district")
    assert claim.speaker == "He"
    assert claim.source is not None and claim.source.name == "Daniel Moore"


def test_a_raising_verb_makes_no_claim_of_its_subject(claims_of):
    text = (
        "The more than 16-year-old Afghan war appears to be in full swing with jihadist "
        "organizations expanding their reach.\n\n"
        "The general appeared to say that more troops would follow."
    )
    _doc, found = claims_of(text)
    first_paragraph = text.index("\n")
    assert not [c for c in found if c.cue_start < first_paragraph]
    claim = _with(found, "more troops would follow")
    assert claim.speaker == "The general"


def test_transcript_turns_are_claims_of_their_labels(claims_of):
    # An interview printed as a transcript, each paragraph opened by a straight quotation mark
    # that is never closed: each turn is its speaker's claim, and what a speaker narrates
    # inside a turn ("I want to ask you") is not attributed again, as inside a quotation.
    text = (
        "The senator sat down with the host on Sunday. Partial transcript as follows:\n\n"
        '"HOST: Thank you for joining us. I want to ask you about the budget vote on Friday.\n\n'
        '"SMITH: Well, look, the budget is a disaster for working families, and everybody in '
        "this town knows it.\n\n"
        '"HOST: Will you vote against it?\n\n'
        '"SMITH: I will vote against it, and I think many of my colleagues will join me.'
    )
    _doc, found = claims_of(text)
    turn = _with(found, "the budget is a disaster")
    assert turn.speaker == "SMITH"
    assert _with(found, "Will you vote against it").speaker == "HOST"
    assert _with(found, "I will vote against it").speaker == "SMITH"
    assert not [c for c in found if c.speaker == "I"]


def test_a_role_run_into_a_name_gives_the_name_as_speaker(claims_of):
    # The parser makes the role the subject and hangs the name on it as an apposition
    text = (
        "Former Vice President Joe Biden on Wednesday said he supports the impeachment.\n\n"
        "Senate Minority Leader Chuck Schumer, D-N.Y., said the bill was dead."
    )
    _doc, found = claims_of(text)
    biden = _with(found, "he supports the impeachment")
    assert biden.speaker == "Former Vice President Joe Biden"
    assert biden.source is not None and biden.source.name == "Joe Biden"
    schumer = _with(found, "the bill was dead")
    assert schumer.source is not None and schumer.source.name == "Chuck Schumer"


def test_i_outside_quotations_is_the_writer_not_the_last_person_cited(claims_of):
    text = (
        "Senator Paul Begala told CNN that the party had lost its way.\n\n"
        "I think something similar has been at the root of the party's troubles."
    )
    _doc, found = claims_of(text)
    claim = _with(found, "something similar has been at the root")
    assert claim.speaker == "I"
    assert claim.source is not None and claim.source.kind == "anonymous"


def test_i_in_words_attributed_after_them_is_their_speaker(claims_of):
    # "I" is whoever speaks the words it is in, though that speaker is named after it
    text = (
        "The poll was published by the Pew Research Center on Monday.\n\n"
        "I think the plan will pass in the spring, Senator Maria Lopez said on Sunday."
    )
    _doc, found = claims_of(text)
    nested = [c for c in found if c.speaker == "I"]
    assert nested, [c.content for c in found]
    assert all(c.source is not None and c.source.name == "Maria Lopez" for c in nested)


def test_a_surname_written_after_a_title_is_no_given_name(claims_of):
    # "Trump said" is not the "Trump Tower" the tagger made a person: "Mr. Trump's" says
    # that Trump is a surname here
    text = (
        "By the time Ms. Hewson returned to Trump Tower last week, she was singing from "
        "Mr. Trump’s song sheet.\n\n"
        "Trump said the deal would cut costs."
    )
    _doc, found = claims_of(text)
    claim = _with(found, "the deal would cut costs")
    assert claim.source is not None and claim.source.name == "Trump"
    # a family name first, the full name titled too: "Xi said" is still Xi Jinping's
    text = (
        "Chinese President Xi Jinping arrived on Monday. President Xi, who met Obama, was calm."
        "\n\nXi said the talks were good."
    )
    _doc, found = claims_of(text)
    claim = _with(found, "the talks were good")
    assert claim.source is not None and claim.source.name == "Xi Jinping"


def test_full_name_labels_open_the_turns_of_a_transcript(claims_of):
    text = (
        "This is a rush transcript.\n\n"
        "AMY GOODMAN: For more, we are joined by David Sirota. I wanted to ask you about "
        "the selection.\n\n"
        "DAVID SIROTA: The campaign announced this in the last 36 hours. I think it is an "
        "important appointment.\n\n"
        "AMY GOODMAN: What does it mean for the campaign?\n\n"
        "SEE ALSO: Clinton picks Salazar for the transition team in Denver.\n\n"
        "SEE ALSO: Another story about the campaign and its choices."
    )
    _doc, found = claims_of(text)
    turn = _with(found, "I think it is an important appointment")
    assert turn.speaker == "DAVID SIROTA" and turn.cue == ":"
    assert turn.source is not None and turn.source.name == "David Sirota"
    assert _with(found, "What does it mean").source.name == "Amy Goodman"
    assert not [c for c in found if c.speaker == "I"]  # the turns' narration is theirs
    assert not [c for c in found if c.speaker and "SEE" in c.speaker]


def test_an_embedded_tweet_is_a_claim_of_its_account(claims_of):
    text = (
        "The White House is disappointed.\n\n"
        "3 Republicans and 48 Democrats let the American people down. As I said from the "
        "beginning, let ObamaCare implode, then deal. Watch! — Donald J. Trump "
        "(@realDonaldTrump) July 28, 2017\n\n"
        "St. Louis Police Chief Sam Dotson taking a selfie with a protestor. This is a CHANGED "
        "atmosphere. #Ferguson pic.twitter.com/Jm51iZXdvz — Yamiche Alcindor (@Yamiche) "
        "August 14, 2014"
    )
    _doc, found = claims_of(text)
    tweet = _with(found, "let the American people down")
    assert tweet.speaker == "Donald J. Trump" and tweet.cue == "—"
    assert tweet.content.startswith("3 Republicans") and tweet.content.endswith("Watch!")
    nested = _with(found, "let ObamaCare implode")
    assert nested.source is not None and nested.source.name == "Donald J. Trump"
    other = _with(found, "taking a selfie")
    assert other.source is not None and other.source.name == "Yamiche Alcindor"
    assert other.content.endswith("#Ferguson")  # not the picture's link
