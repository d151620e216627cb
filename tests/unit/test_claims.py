from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.extract.claims import LEXICON, extract_claims, find_quotes, paragraph_boundaries

SEEDS = Path(__file__).resolve().parents[2] / "data" / "sample" / "seeds"


@pytest.fixture(scope="module")
def claims():
    from pipeline.nlp import load_nlp
    from pipeline.normalise import normalise_body

    nlp = load_nlp()
    out = {}
    for path in sorted(SEEDS.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        body, _ = normalise_body(raw.split("\n", 1)[0], raw)  # the pipeline's body
        doc = nlp(body)
        out[path.name[:3]] = (doc, list(extract_claims(doc)))
    return out


def _find(claims, seed, needle):
    _doc, found = claims[seed]
    hits = [c for c in found if needle in c.content]
    assert hits, f"no claim containing {needle!r}"
    return hits[0]


def test_find_quotes_pairs_curly_straight_and_multi_paragraph():
    text = "“One,” he said. \"Two\" and ''three''.\n\n“First para\n\n“second para.”"
    inner = [text[q.start : q.end] for q in find_quotes(text)]
    assert inner[:3] == ["One,", "Two", "three"]
    assert inner[-1].startswith("First para") and inner[-1].endswith("second para.")


@pytest.mark.slow
def test_offsets_always_match_text(claims):
    for doc, found in claims.values():
        for c in found:
            assert doc.text[c.content_start : c.content_end] == c.content
            assert doc.text[c.cue_start : c.cue_end] == c.cue
            if c.speaker_start is not None:
                assert doc.text[c.speaker_start : c.speaker_end] == c.speaker


@pytest.mark.slow
def test_direct_quote_with_apposition_and_relay(claims):
    c = _find(claims, "003", "The battle against Daesh [ISIS] has ended")
    assert c.is_direct and c.cue == "told"
    assert c.source.name == "Saad al-Hadithi"
    assert c.source.description == "a spokesman for the Iraqi government"
    assert c.via.name == "The Associated Press"


@pytest.mark.slow
def test_quote_before_inverted_cue(claims):
    c = _find(claims, "003", "Continued coalition presence in Iraq")
    assert c.is_direct and c.cue == "added"
    assert c.source.name == "Ryan Dillon" and c.speaker == "Army Col. Ryan Dillon"
    assert "spokesman for the U.S-led coalition" in c.source.description


@pytest.mark.slow
def test_learned_from_relay(claims):
    c = _find(claims, "003", "active fighters on the battlefield")
    assert " ".join(c.cue.split()) == "learned from" and c.source.name == "Hisham al-Hashimi"
    assert c.via.name == "NBC News"


@pytest.mark.slow
def test_anonymous_official_told_ap(claims):
    c = _find(claims, "003", "expected to reach 60 percent")
    assert not c.is_direct and c.cue == "told"
    assert c.source.kind == "anonymous"
    expected = "anonymous senior official close to Iraqi Prime Minister Haider al-Abadi"
    assert c.source.name == expected
    assert c.via.name == "The Associated Press"


@pytest.mark.slow
def test_according_to(claims):
    un = _find(claims, "003", "ISIS expanded")
    assert un.cue == "According to" and un.source.name == "United Nations"
    officials = _find(claims, "000", "ISIS remains a threat")
    assert officials.cue == "according to" and officials.source.kind == "anonymous"


@pytest.mark.slow
def test_seed_000_reported_speech(claims):
    spokesman = _find(claims, "000", "USA forces were drawing down")
    assert spokesman.source.kind == "anonymous" and spokesman.via.name == "The Associated Press"
    contractors = _find(claims, "000", "American troops are leaving Iraq")
    assert contractors.cue == "told" and contractors.via.name == "The Associated Press"
    coalition = _find(claims, "000", "shift its focus")
    assert coalition.cue == "says" and "coalition" in coalition.speaker
    hrw = _find(claims, "000", "hundreds of detainees")
    assert hrw.cue == "said" and hrw.source.name == "Human Rights Watch"
    usa = _find(claims, "000", "while Islamic State has lost")
    assert usa.cue == "say" and usa.speaker == "USA officials"
    pledged = _find(claims, "000", "continue US support")
    assert pledged.speaker == "he" and pledged.source.name == "Donald Trump"


def test_paragraph_boundaries_start_a_sentence_after_a_line_break():
    from pipeline.nlp import blank_nlp

    doc = paragraph_boundaries(blank_nlp()("The Latest (all times EDT):\n\n7 p.m.\nTrump said so."))
    starts = [t.text for t in doc if t.is_sent_start]
    assert starts[-2:] == ["7", "Trump"]


def test_lexicon_admits_learned_frames_only():
    assert not LEXICON.admits("noun", "table")
    assert LEXICON.admits("pass", "expect")  # "X is expected to ..."
    assert replace(LEXICON, admit_all=True).admits("noun", "table")


@pytest.mark.slow
def test_relayed_quote_goes_to_the_inner_speaker(claims):
    c = _find(claims, "003", "was still in its early stages")
    assert c.is_direct and c.cue == "emphasized" and c.speaker == "He"
    assert c.source.name == "Saad al-Hadithi"
    assert c.via.name == "The Associated Press"
    assert not any(x.cue == "notes" for x in claims["003"][1])  # the relay is no claim of its own


@pytest.mark.slow
def test_quoted_as_saying_and_agency_intro(claims):
    c = _find(claims, "000", "USA forces were drawing down")
    assert c.cue == "saying" and not c.is_direct
    assert "Iraqi government spokesman" in c.speaker and c.source.kind == "anonymous"
    assert c.via.name == "The Associated Press"  # first relay; Reuters is a documented gap
    contractors = _find(claims, "003", "Dozens of U.S. soldiers have been transported")
    assert contractors.source.kind == "anonymous" and "contractors" in contractors.speaker
    assert contractors.via.name == "The Associated Press"


@pytest.mark.slow
def test_document_source(claims):
    c = _find(claims, "000", "enduring US military presence")
    assert c.cue == "According to" and c.source.kind == "document"


def _claims_of(text):
    from pipeline.nlp import load_nlp

    return list(extract_claims(load_nlp()(text)))


@pytest.mark.slow
def test_parenthetical_cue_takes_the_whole_sentence():
    text = "The museum, Mr. Bush said, celebrated several of his heroes, including Chuck Berry."
    (c,) = [c for c in _claims_of(text) if c.cue == "said"]
    assert c.content.startswith("The museum") and c.content.endswith("Chuck Berry")
    assert c.speaker == "Mr. Bush" and not c.is_direct


@pytest.mark.slow
def test_headline_name_colon_is_a_claim():
    text = "Sanders: Clinton needs to get away from personality stuff.\n\nThe senator spoke."
    c = next(c for c in _claims_of(text) if c.cue == ":")
    assert c.speaker == "Sanders"
    assert c.content == "Clinton needs to get away from personality stuff"


@pytest.mark.slow
def test_quotation_resumed_after_an_aside_is_one_claim():
    text = (
        "“Every time you say that,” Tester said, referring to the excuse, “you give "
        "ammunition to the people who want to break up the big banks.”"
    )
    (c,) = [c for c in _claims_of(text) if c.is_direct]
    assert c.content.startswith("Every time") and c.content.endswith("big banks.")


@pytest.mark.slow
def test_name_between_quotation_and_cue_is_the_speaker():
    text = (
        "Flynn said Trump was right.\n\n“He's absolutely right. There's a severe disconnect "
        "between this White House and our military,” Flynn, a top Trump surrogate, said "
        "Thursday morning on Fox News’s “Fox and Friends.” “I mean, there's a lot of "
        "frustration within the ranks.”"
    )
    (c,) = [c for c in _claims_of(text) if c.is_direct]
    assert c.content.startswith("He's absolutely") and c.content.endswith("the ranks.")
    assert c.speaker.startswith("Flynn")


@pytest.mark.slow
def test_dashed_line_under_a_quotation_paragraph_signs_it():
    text = (
        "The report brought bad news for a president hoping to show progress.\n\n"
        "The Day in Quotes\n\n"
        "“We knew our economy was in trouble, and we knew our neighbours were in pain.”\n\n"
        "-- President Barack Obama at the unveiling of the portraits.\n\n"
        "“Thank you so much for inviting our rowdy friends to my hanging.”\n\n"
        "-- Former President George W. Bush at the same ceremony.\n\n"
        "“The committee will meet again next week to hear the remaining witnesses.”\n\n"
        "-- Courtney Subramanian\n"
    )
    direct = {c.content[:12]: c for c in _claims_of(text) if c.is_direct}
    assert direct["We knew our "].source.name == "Barack Obama"
    assert direct["Thank you so"].source.name == "George W. Bush"
    signed_off = direct.get("The committee")
    assert signed_off is None or signed_off.speaker != "Courtney Subramanian"


@pytest.mark.slow
def test_quoted_show_title_is_no_content():
    text = (
        "On this weekend’s broadcast of “Fox News Sunday,” Gov. Mike Pence said his running "
        "mate's tweet was only meant to mock Hillary Clinton."
    )
    (c,) = [c for c in _claims_of(text) if c.cue == "said"]
    assert not c.is_direct and c.content.startswith("his running mate")


@pytest.mark.slow
def test_coordinated_that_clauses_stay_one_content():
    text = (
        "She added that the race can’t just be about reacting to Trump, and that the election "
        "will be about national security."
    )
    (c,) = [c for c in _claims_of(text) if c.cue == "added"]
    assert c.content.endswith("national security")


@pytest.mark.slow
def test_sentence_opening_poll_is_the_source():
    text = "The race tightened.\n\nIn a CBS News poll, she led Mr. Sanders by 24 points."
    (c,) = [c for c in _claims_of(text) if c.cue == "In"]
    assert c.speaker.endswith("poll") and c.content == "she led Mr. Sanders by 24 points"


@pytest.mark.slow
def test_quotation_after_a_no_break_space_continues_the_speaker():
    text = (
        "“Let’s just boil it down to the bare essentials,” he continued.\u00a0 “I’ve met "
        "Mr. Trump on more than one occasion and I am disturbed by his lack of background.”"
    )
    (c,) = [c for c in _claims_of(text) if c.is_direct]
    assert c.content.startswith("Let’s just") and c.content.endswith("background.")


@pytest.mark.slow
def test_second_cue_in_a_coordination_is_its_own_claim():
    text = (
        "Trump, speaking to a veterans group in Virginia, said he would order a thorough review "
        "of the nation’s computer defenses and warned against potential hackers from China."
    )
    found = _claims_of(text)
    said = next(c for c in found if c.cue == "said")
    assert said.content.endswith("computer defenses")
    warned = next(c for c in found if c.cue == "warned")
    assert warned.speaker == "Trump"


@pytest.mark.slow
def test_mid_sentence_apposition_stays_in_the_content():
    text = (
        "Officials said China plans to make the Scarborough Shoal, an atoll Beijing grabbed "
        "from the Philippines, into a fortress."
    )
    (c,) = [c for c in _claims_of(text) if c.cue == "said"]
    assert c.content.endswith("into a fortress")


@pytest.mark.slow
def test_according_to_on_a_second_conjunct_takes_both_clauses():
    text = (
        "Trump International was paid $29,715, and Trump Restaurants LLC was paid $125,080, "
        "according to FEC records."
    )
    (c,) = [c for c in _claims_of(text) if c.cue == "according to"]
    assert c.speaker == "FEC records"
    assert c.content.startswith("Trump International") and c.content.endswith("$125,080")


@pytest.mark.slow
def test_name_right_before_a_subjectless_cue_is_the_speaker():
    # the parser leaves "notes" without a subject; the quotation is Conway's, not Trump's
    text = (
        '"Look at the statement Mr. Trump put out after the Dallas shootings," Conway notes. '
        '"It was very different in tone."'
    )
    (c,) = [c for c in _claims_of(text) if c.is_direct]
    assert c.cue == "notes" and c.speaker == "Conway"
    assert c.content.startswith("Look at") and c.content.endswith("different in tone.")


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # the parser gives "said" two subjects: "mode" inside the quotation, and "Wimes"
        (
            "“Hillary Clinton’s campaign is in panic mode. Full panic mode,” said Leslie "
            "Wimes, a South Florida-based president of the Democratic Women Caucus.",
            "Leslie Wimes",
        ),
        # a dateline as a second subject
        (
            "LONDON (Reuters) - Donald Trump said he was unlikely to have a good relationship "
            "with David Cameron.",
            "Donald Trump",
        ),
    ],
)
@pytest.mark.slow
def test_of_two_subjects_the_nearer_is_the_speaker(text, speaker):
    (c,) = [c for c in _claims_of(text) if c.cue == "said"]
    assert c.speaker == speaker


@pytest.mark.slow
def test_a_subject_split_off_the_words_before_a_name_is_not_the_speaker():
    text = (
        "The equatorial regions are drier than the poles, said study co-author Anezina "
        "Solomonidou, a European Space Agency research fellow."
    )
    (c,) = [c for c in _claims_of(text) if c.cue == "said"]
    assert c.source.name == "Anezina Solomonidou"


@pytest.mark.slow
def test_speaker_parsed_as_object_after_the_quotation():
    # “Meh,” parses as the subject of "wrote" and the supporter as its object
    text = 'It matters only if you believe them.\n\n"Meh," wrote a Trump supporter who runs it.'
    (c,) = [c for c in _claims_of(text) if c.cue == "wrote"]
    assert c.speaker == "a Trump supporter" and c.content.startswith("Meh")


@pytest.mark.parametrize(
    ("text", "source"),
    [
        (
            "“It will involve some administration,” said Mr. Kamin. Guests included Will "
            "Smith, Patti LaBelle and Stevie Wonder, who joked that the museum was overdue.",
            "Stevie Wonder",
        ),
        (
            "“It will involve some administration,” said Mr. Kamin. The plan drew criticism "
            "from Democrats on Capitol Hill, who have argued that it is unfair to workers.",
            "Democrats",
        ),
        (
            "“It will involve some administration,” said Mr. Kamin. He met McConnell, now the "
            "Senate majority leader, who in 2010 said the party's top goal was to defeat Obama.",
            "McConnell",
        ),
    ],
)
@pytest.mark.slow
def test_relative_pronoun_resolves_to_its_antecedent_not_the_last_source(text, source):
    # "who" used to take the source cited last before it (Kamin)
    (c,) = [c for c in _claims_of(text) if c.speaker == "who"]
    assert c.source.name == source


@pytest.mark.parametrize(
    ("text", "source"),
    [  # the tagger marks "the Moon" and "the Gateway" as persons
        (
            "“We need a lander first,” said Doug Cooke, a former NASA official. “These landers "
            "would take crews to the surface of the Moon,” he said.",
            "Doug Cooke",
        ),
        (
            "“We need a lander first,” said Doug Cooke, a former NASA official. “I think there "
            "is no compelling argument for the Gateway in the lunar program,” he said.",
            "Doug Cooke",
        ),
        (  # a name inside the quotation "he" says is not "he"
            "“We will win this,” said Ted Cruz. “I met Donald Trump last week and he was rude,” "
            "he said.",
            "Ted Cruz",
        ),
    ],
)
@pytest.mark.slow
def test_he_is_no_name_inside_his_quotation_nor_the_moon(text, source):
    last = [c for c in _claims_of(text) if c.speaker == "he"][-1]
    assert last.source.name == source


@pytest.mark.parametrize(
    ("text", "cue", "kind"),
    [
        (
            "Video footage shows security forces using water cannons and tear gas.",
            "shows",
            "document",
        ),
        ("The photo shows the senator asleep during the hearing.", "shows", "document"),
        (
            "This is the third June in a row that has brought unhappy economic news for a "
            "president hoping to show progress on the economy.",
            "hoping",
            "anonymous",
        ),
    ],
)
@pytest.mark.slow
def test_footage_is_a_document_and_an_unnamed_president_anonymous(text, cue, kind):
    (c,) = [c for c in _claims_of(text) if c.cue == cue]
    assert c.source.kind == kind


@pytest.mark.slow
def test_an_unhappy_economic_news_is_no_claim():
    text = (
        "This is the third June in a row that has brought unhappy economic news for a "
        "president hoping to show progress on the economy."
    )
    assert [c.cue for c in _claims_of(text)] == ["hoping"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "“The meeting was productive,” said Bryant Hall, a drug-industry lobbyist. The "
            "industry said it would support the law.",
            "industry",
        ),
        ("“The ad is false,” said Madeleine Albright. The ad says the senator voted no.", "ad"),
    ],
)
@pytest.mark.slow
def test_definite_nominal_refers_back_only_to_its_word_in_a_source(text, name):
    last = _claims_of(text)[-1]
    assert last.source.name == name


@pytest.mark.slow
def test_his_is_a_person():
    text = (
        "The Labor Department said jobs grew in May. Ted Cruz spoke in Iowa on Monday. His "
        "claim that the plan pays for itself drew criticism."
    )
    (c,) = [c for c in _claims_of(text) if c.speaker == "His"]
    assert c.source.name == "Ted Cruz"


@pytest.mark.parametrize("noun", ["businessman", "actress", "candidate"])
@pytest.mark.slow
def test_a_person_named_by_what_they_do_is_anonymous_not_an_organisation(noun):
    (c,) = _claims_of(f"The {noun} said the deal would collapse.")
    assert c.source.kind == "anonymous"


@pytest.mark.slow
def test_she_skips_a_man_the_article_calls_mr():
    text = (
        "“We will win this state,” Mrs. Clinton said on Monday. “It is a disgrace,” Mr. "
        "Sanders said in Iowa. She added that the party would unite after the primary."
    )
    (c,) = [c for c in _claims_of(text) if c.speaker == "She"]
    assert c.source.name == "Clinton"


def test_title_sex_reads_the_articles_own_titles():
    from pipeline.extract.speakers import _title_sex

    text = (
        "Mr. Sanders spoke. Mrs. Clinton and Ms. Warren listened. Mr. Kelly and Mrs. Kelly left. "
        "Mr. O'Donnell read Ms Lee's note."
    )
    assert _title_sex(text, "Bernie Sanders") == "m"
    assert _title_sex(text, "Lawrence O'Donnell") == "m"
    assert _title_sex(text, "Lee") == "f"  # no period, and a possessive after
    assert _title_sex(text, "Hillary Clinton") == "f"
    assert _title_sex(text, "Warren") == "f"
    assert _title_sex(text, "Kelly") is None  # both: unknown
    assert _title_sex(text, "Donald Trump") is None  # never titled


@pytest.mark.parametrize(
    ("text", "name", "description", "kind"),
    [
        (
            "House Speaker John Boehner said the vote would go ahead on Friday.",
            "John Boehner",
            "House Speaker",
            "politician",
        ),
        (
            "Republican presidential front-runner Donald Trump said he would win Florida.",
            "Donald Trump",
            "Republican presidential front-runner",
            "person",
        ),
        (  # "Gov." is a title and "Democratic" no noun: no role
            "Democratic Gov. Bev Perdue said the state would appeal the ruling.",
            "Bev Perdue",
            None,
            "politician",
        ),
    ],
)
@pytest.mark.slow
def test_role_before_a_name_is_the_description_not_part_of_the_name(text, name, description, kind):
    # the whole mention used to be the name: "House Speaker John Boehner" and "John Boehner"
    # were two sources
    (c,) = [c for c in _claims_of(text) if c.cue == "said"]
    assert (c.source.name, c.source.description, c.source.kind) == (name, description, kind)


def test_only_spaced_or_quoting_punctuation_cuts_a_role_before_a_name():
    import spacy

    from pipeline.extract.speakers import _separates

    doc = spacy.blank("en")("ORLANDO (Reuters) - Lt. Gov. and front-runner")
    cuts = {t.text for t in doc if _separates(t)}
    assert cuts == {"(", ")", "-"} and not _separates(doc[-2])  # the hyphen in front-runner


def test_a_mention_drops_a_leading_stray_symbol_but_keeps_a_currency_sign():
    import spacy

    from pipeline.extract.speakers import _cut_parenthetical

    nlp = spacy.blank("en")
    table = nlp("| Bridenstine")  # a scraped table's cell border
    assert [t.text for t in _cut_parenthetical(list(table), table[1])] == ["Bridenstine"]
    fight = nlp("$15 organizer Kendall Fells")
    assert _cut_parenthetical(list(fight), fight[-1])[0].text == "$"


@pytest.mark.parametrize(
    ("text", "speaker", "name"),
    [
        pytest.param(  # named, not cited, before "Romney said": he used to stay "Romney"
            "Mitt Romney spent Monday in Ohio. Romney said the economy was the only issue that "
            "mattered to voters this year.",
            "Romney",
            "Mitt Romney",
            id="named-before-cited",
        ),
        pytest.param(  # two first names named once each: no guess
            "Bill Clinton and Chelsea Clinton arrived on Monday. Mr. Clinton said the foundation "
            "would stop taking foreign money.",
            "Mr. Clinton",
            "Clinton",
            id="two-named-persons",
        ),
        pytest.param(  # cited once each, Melania Trump used to win as the longer name
            "Donald Trump arrived in Ohio with his wife. “We are ready,” Melania Trump said. "
            "Donald Trump waved to the crowd, and Donald Trump thanked the police. Mr. Trump "
            "said the state would vote for him.",
            "Mr. Trump",
            "Donald Trump",
            id="named-most",
        ),
    ],
)
@pytest.mark.slow
def test_surname_expands_to_the_person_the_article_clearly_names(text, speaker, name):
    (c,) = [c for c in _claims_of(text) if c.speaker == speaker]
    assert c.source.name == name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (  # "Trump" is tagged ORG
            "Donald Trump held a rally in Iowa on Monday. Trump said the system was rigged.",
            "Donald Trump",
        ),
        (  # "Sanders" is parsed as a common noun
            "Bernie Sanders held a rally in Iowa. Sanders said the system was rigged against "
            "working families.",
            "Bernie Sanders",
        ),
    ],
)
@pytest.mark.slow
def test_surname_the_tagger_takes_for_a_body_is_the_person_named(text, name):
    # both used to be sources of kind "organisation" named after the surname
    (c,) = [c for c in _claims_of(text) if c.cue == "said"]
    assert (c.source.name, c.source.kind) == (name, "person")


_TWO_SENATORS = "Vermont Sen. Bernie Sanders and Florida Sen. Marco Rubio spoke on Monday. "


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        (
            "President Barack Obama met the governors on Monday. The president said the plan "
            "would create jobs.",
            "Barack Obama",
            "politician",
        ),
        (
            _TWO_SENATORS + "The Florida senator said the plan would create jobs.",
            "Marco Rubio",
            "politician",
        ),
        (_TWO_SENATORS + "The senator said the plan would create jobs.", "senator", "anonymous"),
        (  # the president of a body is not "the president"
            "Obama met World Bank President Jim Yong Kim on Monday. The president said the plan "
            "would create jobs.",
            "president",
            "anonymous",
        ),
    ],
)
@pytest.mark.slow
def test_the_office_is_the_one_person_the_article_titles_with_it(text, name, kind):
    # "the president" used to be an organisation named "president"
    (c,) = [c for c in _claims_of(text) if c.speaker.casefold().startswith("the ")]
    assert (c.source.name, c.source.kind) == (name, kind)


@pytest.mark.slow
def test_according_to_set_off_by_commas_takes_both_sides():
    text = (
        "The top 1 percent paid 25.4 percent of all federal taxes in 2013, according to the "
        "Congressional Budget Office, and the top 10 percent paid 69 percent of all taxes."
    )
    (c,) = [c for c in _claims_of(text) if c.cue == "according to"]
    assert c.content.startswith("The top 1 percent") and c.content.endswith("of all taxes")
    assert c.speaker == "the Congressional Budget Office"


@pytest.mark.slow
def test_second_that_clause_joins_the_content():
    text = (
        "The mayor said that the new bridge would open in May, but that the old one would "
        "stay closed for repairs."
    )
    (c,) = [c for c in _claims_of(text) if c.cue == "said"]
    assert c.content.endswith("but that the old one would stay closed for repairs")


@pytest.mark.slow
def test_participial_cue_between_quotation_pieces_keeps_its_claim():
    text = (
        "“You can’t talk about change if you don’t know what we’re changing,” DuVernay said, "
        "emphasizing why understanding our past is crucial to our present. “What we need to "
        "change is our overall culture.”"
    )
    claims = _claims_of(text)
    (quote,) = [c for c in claims if c.is_direct]
    assert quote.content.endswith("our overall culture.")
    (aside,) = [c for c in claims if c.cue == "emphasizing"]
    assert aside.content == "why understanding our past is crucial to our present"
    assert aside.speaker == "DuVernay" and not aside.is_direct


@pytest.mark.parametrize(
    "text",
    [
        "One said so.\nTwo said more.\n\nThree  spaces and\ttabs.\n",
        "\nLeading newline.  Double space.\r\nWindows line.",
        "No newline at all",
        "",
    ],
)
def test_paragraph_numbers_match_a_walk_over_the_tokens(text):
    """The offset arithmetic gives what a walk over ``text_with_ws`` gives, token by token."""
    import spacy

    from pipeline.extract.tokens import para_ids

    doc = spacy.blank("en")(text)
    walked, para = [], 0
    for token in doc:
        walked.append(para)
        para += "\n" in token.text_with_ws
    assert list(para_ids(doc)) == walked


def test_lexicon_prefilter_never_refuses_a_key_it_admits():
    """``may_admit`` is only a shortcut: every admitted key passes it, with or without a prep."""
    for key in LEXICON.prep:
        assert LEXICON.may_admit("prep", key.rsplit(" ", 1)[0]), key
    for key in LEXICON.noun:
        assert LEXICON.may_admit("noun", key.rsplit(" ", 1)[0]), key
    assert not LEXICON.may_admit("noun", "zebra")
    assert replace(LEXICON, admit_all=True).may_admit("noun", "zebra")


def test_in_quotation_holds_between_the_marks_only():
    from pipeline.extract.claims import in_quotation

    text = "He said “we want more” and they want less."
    quotes = find_quotes(text, min_chars=2)
    assert in_quotation(quotes, text.index("want"))
    assert not in_quotation(quotes, text.rindex("want"))
    assert not in_quotation(quotes, text.index("He"))
    assert not in_quotation([], 0)


def test_narration_cues_are_admitted_and_flagged_as_narration_only():
    assert LEXICON.admits("comp", "want") and LEXICON.narration_only("comp", "want")
    assert LEXICON.admits("comp", "expect") and not LEXICON.narration_only("comp", "expect")
    assert LEXICON.may_admit("noun", "intention")  # from "noun intention" alone
    assert not replace(LEXICON, admit_all=True).narration_only("comp", "want")


@pytest.mark.slow
def test_a_narration_cue_makes_a_claim_in_the_articles_words():
    from pipeline.nlp import load_nlp

    text = "Senate Democrats want the inquiry to continue into next year, aides said on Monday."
    narrated = [c for c in extract_claims(load_nlp()(text)) if c.cue == "want"]
    assert [c.speaker for c in narrated] == ["Senate Democrats"]
    assert "the inquiry to continue" in narrated[0].content


@pytest.mark.slow
def test_narration_cues_inside_a_quotation_are_dropped_and_no_other_cue():
    from pipeline.extract.claims import _match_cues, narration_outside_quotes
    from pipeline.nlp import load_nlp

    text = (
        "Restaurants want their customers to pay the staff, the union says.\n\n"
        "Why she is protesting: “I never know what I will make. It is ridiculous that "
        "restaurants want their customers to pay the staff. Nobody here can plan a budget.”"
    )
    cues = _match_cues(load_nlp()(text))
    kept = narration_outside_quotes(cues, find_quotes(text, min_chars=2))
    quoted_from = text.index("“")
    narration = [LEXICON.narration_only(c.frame, c.key) for c in cues]
    dropped = [c for c in cues if c not in kept]
    assert dropped and all(
        narrated and c.cue[0] > quoted_from
        for c, narrated in zip(cues, narration, strict=True)
        if c in dropped
    )
    inside = [
        (c.cue[0] > quoted_from, n) for c, n in zip(cues, narration, strict=True) if c in kept
    ]
    assert (False, True) in inside  # "Restaurants want" in the article's words
    assert (True, False) in inside  # "plan", a cue of the main tables, stays in the quote


def test_the_learner_puts_pairs_precise_only_in_narration_into_the_narration_table(monkeypatch):
    from pipeline.evaluate import claims as evaluate

    outcomes = (
        [("comp", "say", False, True)] * 9
        + [("comp", "say", False, False)]
        + [("comp", "want", True, False)] * 40  # inside quotes: "I want ..."
        + [("comp", "want", False, True)] * 16
        + [("comp", "want", False, False)] * 4
        + [("obj", "seek", False, True)] * 4
        + [("obj", "seek", False, False)] * 6
    )
    monkeypatch.setattr(evaluate, "candidate_outcomes", lambda row, doc: iter(outcomes))
    tables = evaluate.learn_lexicon([{}], [None])  # type: ignore[list-item]
    assert tables == {"comp": [("say", 10, 0.9)], "narration": [("comp want", 20, 0.8)]}


@pytest.mark.slow
def test_the_afghan_war_appearing_to_be_in_full_swing_is_no_claim(claims):
    doc, found = claims["003"]
    start = doc.text.index("The more than 16-year-old Afghan war")
    end = doc.text.index("\n", start)
    assert not [c for c in found if c.content_start < end and start < c.content_end]
    assert not [c for c in found if start <= c.cue_start < end]
