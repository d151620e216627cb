"""Which speaker a quotation is paired with where no listed reporting verb governs it.

Each case is a short synthetic article written for the test, run through the pipeline's parse
and :func:`pipeline.extract.claims.extract_claims` as the claims stage runs it. In each, an
earlier cue names someone else, whose running speaker the quotation used to inherit.
"""

import pytest

pytestmark = pytest.mark.slow

_LEAD = "The governor said on Monday that the plan would fail.\n\n"


def test_a_clause_a_colon_closes_names_the_speaker(rule_claims_of):
    found = rule_claims_of(
        _LEAD + "The senator fired back forcefully: “Our plan will lower costs for every family.”"
    )
    assert "senator" in found.speaker_of("lower costs")


def test_a_colon_clause_on_the_line_before_a_quotation_paragraph(rule_claims_of):
    found = rule_claims_of(
        _LEAD
        + "Councilwoman Ruth Park echoed:\n\n“The budget leaves the city parks without staff.”"
    )
    assert "Park" in found.speaker_of("without staff")


def test_a_dashed_name_before_the_colon_is_the_label(rule_claims_of):
    found = rule_claims_of(
        _LEAD + "WHY TURNOUT MATTERS - Jane Okafor: “Turnout in the suburbs decided the race.”"
    )
    assert "Okafor" in found.speaker_of("decided the race")


def test_it_before_a_colon_is_no_speaker(rule_claims_of):
    found = rule_claims_of(
        _LEAD + "Wait, it gets better:\n\n“The plan costs nothing at all this year.”"
    )
    assert found.speaker_of("costs nothing") != "it"


def test_a_cue_after_a_colon_opened_question_does_not_take_it(rule_claims_of):
    found = rule_claims_of(
        _LEAD + "The mayor, exasperated, famously retorted: “What difference does it make now?” "
        "Her critics cited the remark for years."
    )
    assert "mayor" in found.speaker_of("What difference")


def test_a_short_clause_after_a_comma_final_quotation_names_the_speaker(rule_claims_of):
    found = rule_claims_of(
        _LEAD + "“Go home and vote for the bridge,” Tom Reyes barked at the crowd."
    )
    assert "Reyes" in found.speaker_of("vote for the bridge")


def test_an_inverted_clause_after_a_quotation_names_the_speaker(rule_claims_of):
    found = rule_claims_of(_LEAD + "“Taxes will rise again next year,” opined the Daily Ledger.")
    assert "Ledger" in found.speaker_of("Taxes will rise")


def test_a_dashed_name_alone_with_a_full_stop_signs_the_quotation(rule_claims_of):
    found = rule_claims_of(
        _LEAD + "“The new tariff will cost every family a thousand dollars a year.”\n\n"
        "- Elizabeth Warren.\n\nThe claim is hard to check."
    )
    assert "Warren" in found.speaker_of("new tariff")


def test_a_cue_with_its_own_content_after_a_full_stop_does_not_take_the_quotation(rule_claims_of):
    # the quotation closes its sentence with a full stop; the next sentence's verb reports
    # something else ("hopes that ..."), so the quotation stays with the running speaker
    found = rule_claims_of(
        "“We will enter the next recession without that consensus,” said Josh Bivens, an "
        "economist. “Nobody wants to talk about stimulus now.” Bivens hopes Democrats do not "
        "make the same mistake this time around."
    )
    quoted = [c for c in found if "Nobody wants" in c.content]
    assert quoted and all(c.cue != "hopes" for c in quoted)
    assert "Bivens" in found.speaker_of("Nobody wants")
    assert "Democrats do not make" in "".join(c.content for c in found if c.cue == "hopes")


def test_a_short_quoted_sentence_continues_the_quotation_before_it(rule_claims_of):
    found = rule_claims_of(
        _LEAD + "“There was carnage on the road,” the driver said. “Bodies everywhere.”"
    )
    quoted = [c for c in found if "carnage" in c.content]
    assert len(quoted) == 1 and "Bodies everywhere" in quoted[0].content
    assert "driver" in (quoted[0].speaker or "")


def test_a_run_resumes_after_an_attribution_ending_in_an_abbreviation(rule_claims_of):
    # the full stop of "Calif." is part of the token, so the second quotation touches the
    # cue's clause; the run "“A,” X said .... “B.”" is one claim, as after any full stop
    found = rule_claims_of(
        _LEAD + "“They would be wrong,” Mark Briggs, a spokesman for the mayor, said in an "
        "interview on Sunday in Santa Monica, Calif. “The reality is that this goes to the "
        "council.”"
    )
    quoted = [c for c in found if "would be wrong" in c.content]
    assert len(quoted) == 1 and "goes to the council" in quoted[0].content


def test_a_named_reporter_between_two_quotations_takes_the_second(rule_claims_of):
    # one paragraph (the normalised body joins single-newline paragraphs): a sentence of
    # another named reporter stands between the run and the next quotation
    found = rule_claims_of(
        _LEAD + "“The tariff is a disaster for our farmers,” Senator Ruth Park said. The "
        "spokesman for the governor said the state would appeal the ruling. “We will win "
        "this case in the higher court.”"
    )
    assert "spokesman" in found.speaker_of("higher court")
    assert not any("disaster" in c.content and "higher court" in c.content for c in found)


def test_a_pronoun_between_two_quotations_keeps_the_run(rule_claims_of):
    found = rule_claims_of(
        _LEAD + "“The tariff is a disaster for our farmers,” Senator Ruth Park said. She "
        "said the state would appeal the ruling. “We will win this case in the higher court.”"
    )
    quoted = [c for c in found if "disaster" in c.content]
    assert len(quoted) == 1 and "higher court" in quoted[0].content


def test_a_quotation_closing_the_next_sentence_continues_the_run(rule_claims_of):
    found = rule_claims_of(
        _LEAD + "“He is supposed to be a cheerleader for this city,” the governor said. "
        "Instead, “he just acts like a defeated man.”"
    )
    quoted = [c for c in found if "cheerleader" in c.content]
    assert len(quoted) == 1 and "defeated man" in quoted[0].content


def test_a_quotation_after_another_verb_in_the_next_sentence_is_not_the_run(rule_claims_of):
    found = rule_claims_of(
        _LEAD + "“He is supposed to be a cheerleader for this city,” the governor said. "
        "The council voted against “a plan that nobody wanted.”"
    )
    quoted = [c for c in found if "cheerleader" in c.content]
    assert quoted and all("nobody wanted" not in c.content for c in quoted)


def test_a_quotation_joined_by_and_continues_the_run(rule_claims_of):
    found = rule_claims_of(
        _LEAD + "The mayor teased the council, telling the room, “I’m a builder like you, folks,” "
        "and, “Is there anyone here who doesn’t want a new bridge?” The room laughed."
    )
    quoted = [c for c in found if "builder like you" in c.content]
    assert len(quoted) == 1 and "new bridge" in quoted[0].content and quoted[0].is_direct


def test_an_opening_mark_typed_as_a_closing_one_ends_the_quotation(rule_claims_of):
    found = rule_claims_of(
        _LEAD + "“It is unusual,“ said Larry Noble, an attorney with the Legal Center. "
        "“It is a hard thing to pull off without stepping over one line.”"
    )
    quoted = [c for c in found if c.content.startswith("It is unusual")]
    assert quoted and quoted[0].is_direct and "Noble" in (quoted[0].speaker or "")


def test_narration_after_a_comma_introduced_quotation_is_not_its_content(rule_claims_of):
    found = rule_claims_of(
        _LEAD + "Soon after the vote, Canova wrote to his 20,000 Twitter followers, “It is time "
        "to end her political career for good,” and shared a link to his fundraising page."
    )
    quoted = [c for c in found if "political career" in c.content]
    assert quoted and quoted[0].is_direct and "shared a link" not in quoted[0].content


def test_a_digest_excerpt_under_its_headline_is_a_quotation(rule_claims_of):
    found = rule_claims_of(
        _LEAD + "CITY BUDGET LEAVES PARKS WITHOUT STAFF “The city council passed a budget on "
        "Tuesday that cuts the parks department by a third.” [Ledger.]\n\nMore news follows."
    )
    quoted = [c for c in found if "cuts the parks department" in c.content]
    assert quoted and quoted[0].is_direct and quoted[0].cue == "[Ledger.]"


def test_a_quotation_inside_a_quotation_with_the_same_marks_does_not_end_it(rule_claims_of):
    found = rule_claims_of(
        _LEAD + "“I would rather live in what he calls “hell” than live in a city he runs,” "
        "the councilwoman said."
    )
    quoted = [c for c in found if "rather live" in c.content]
    assert quoted and quoted[0].is_direct and "city he runs" in quoted[0].content


def test_a_cue_that_took_a_quotation_also_reports_its_own_complement(rule_claims_of):
    """“A,” adding that B: the quotation is the cue's, and so is B, as a claim of its own."""
    found = rule_claims_of(
        "Obama said there is still “more work to do,” noting that growth slowed in China and "
        "Europe."
    )
    own = [c for c in found if c.content.startswith("that growth slowed")]
    assert len(own) == 1 and own[0].cue == "noting" and not own[0].is_direct
    assert any("more work to do" in c.content and c.is_direct for c in found)
