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
        ("Several people, including 16 police officers, were injured.", "16", "total"),
        ("Nine people were killed, including 20 people from the town.", "20", "part"),
        ("Many were hurt, including 16.", "16", "part"),
        ("More than 34,000 new infections were reported Wednesday.", "More than 34,000", "total"),
        ("Texas reported 5,551 new cases on Tuesday.", "5,551", "total"),
        ("Employers added 200,000 new jobs.", "200,000", "change"),
        ("An average of 122 Dreamers a day are losing protections.", "An average of 122", "rate"),
        # a condition or threshold is not a level: what would have to happen, not what did
        (
            "The Fed will keep rates near zero until unemployment has fallen to 6.5 percent.",
            "6.5 percent",
            "forecast",
        ),
        ("The bill passes if turnout reaches 60 percent.", "60 percent", "forecast"),
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


@pytest.mark.parametrize(
    ("sentence", "figure", "role"),
    [
        (
            "Still, December hiring was a little better than first thought, with 219,000 jobs "
            "added instead of 196,000.",
            "219,000",
            "revision",
        ),
        (
            "The federal economists now say 119,000 jobs were added in January, down from their "
            "initial estimate of 157,000 jobs.",
            "157,000",
            "revision",
        ),
        ("Initially, it said that 88,000 jobs were added that month.", "88,000", "revision"),
        (
            "They still have to hold another primary to pick their remaining 17 delegates.",
            "17",
            "part",
        ),
        ("The other 14 delegates will be elected April 16.", "14", "part"),
        ("The economy added 236,000 jobs in February.", "236,000", "change"),
    ],
)
def test_revisions_and_remainders_have_their_own_roles(nlp, sentence, figure, role):
    assert frame_of(nlp, sentence, figure).role == role


def test_dates_in_the_subject_or_a_lead_clause_date_the_figure(nlp):
    lead = frame_of(
        nlp,
        "As of Wednesday, the Republican race stands as follows: Trump now has 446 delegates, "
        "Cruz has 347.",
        "446",
    )
    assert lead.time == "Wednesday"  # more precise than "now"
    runoff = frame_of(
        nlp,
        "Georgia's 6th District special election on April 18 topped 37 percent — nearly "
        "194,000 people voted.",
        "nearly 194,000",
    )
    assert runoff.time == "April 18"


def test_voting_against_keeps_its_preposition(nlp):
    frame = frame_of(nlp, "Two Democrats and 199 Republicans voted against it.", "199")
    assert frame.event == "vote against"


def test_a_relative_clause_that_describes_the_noun_is_not_its_event(nlp):
    described = frame_of(
        nlp,
        "He is a respected judge, with over 300 opinions that clearly demonstrate fairness.",
        "over 300",
    )
    assert described.event != "demonstrate"
    killed = frame_of(nlp, "The 13 people who were killed were mostly contractors.", "13")
    assert killed.event == "kill"


def test_an_amount_of_money_counts_what_it_is_in(nlp):
    frame = frame_of(
        nlp,
        "The offer includes $1.3 trillion in revenue and only $850 billion in spending cuts.",
        "$850 billion",
        kind="currency",
    )
    assert frame.counted == "spending cut"
    dated = frame_of(nlp, "She raised $6.9 million in 2012.", "$6.9 million", kind="currency")
    assert dated.counted == "money"  # money, not a year


def test_a_name_in_a_place_is_a_place_but_a_name_on_a_case_is_not(nlp):
    station = frame_of(nlp, "At least 20 people died at the Maelbeek metro station.", "At least 20")
    assert station.place == "Maelbeek"
    case = frame_of(nlp, "Three prosecutors who worked on the Stone case quit.", "Three")
    assert case.place is None and case.event == "quit"


def test_a_sum_over_several_events_is_its_own_role(nlp):
    total = frame_of(
        nlp,
        "In total, 17 people died in and around Paris during three days of bloodshed.",
        "17",
    )
    assert total.role == "sum"


def test_a_date_in_a_nested_lead_clause_dates_the_figure(nlp):
    frame = frame_of(
        nlp,
        "We already knew that Georgia's special election on April 18 topped 37 percent — "
        "nearly 194,000 people voted.",
        "nearly 194,000",
    )
    assert frame.time == "April 18"


def test_a_vague_count_of_the_victims_is_not_a_part(nlp):
    vague = frame_of(
        nlp, "The suit filed against hundreds of the victims claims no liability.", "hundreds"
    )
    assert vague.role == "total"
    assert frame_of(nlp, "He won three of the four states.", "three").role == "part"


def test_an_amount_wanted_in_a_clause_without_that_counts_no_name(nlp):
    frame = frame_of(
        nlp,
        "The measure won't fund the $12 billion Jones wants for a coastal wall.",
        "$12 billion",
        kind="currency",
    )
    assert frame.counted == "money"
    assert frame.holder == "Jones" and frame.event == "want"
    # parsed as a noun phrase "Trump wants" with a plural head: the same reading
    misread = frame_of(
        nlp,
        "Lawmakers refused to give the $25 billion Trump wants for the project.",
        "$25 billion",
        kind="currency",
    )
    assert (misread.counted, misread.holder, misread.event) == ("money", "Trump", "want")
    raised = frame_of(
        nlp, "She raised $8.6 million in the spring.", "$8.6 million", kind="currency"
    )
    assert raised.counted == "money" and raised.event == "raise"


def test_a_relative_clause_is_not_a_modifier_of_the_counted_noun(nlp):
    frame = frame_of(nlp, "The 40 Ohio voters who backed him were interviewed.", "40")
    assert frame.counted == "ohio voter"


@pytest.mark.parametrize(
    ("sentence", "figure", "counted", "role"),
    [
        (
            "The jobless rate slipped to 4.4 percent in June.",
            "4.4 percent",
            "jobless rate",
            "total",
        ),
        (
            "The jobless rate slipped to 4.4 percent from 4.6 percent.",
            "4.6 percent",
            "jobless rate",
            "previous",
        ),
        (
            "Her approval rating of 38 percent is a new low.",
            "38 percent",
            "approval rating",
            "total",
        ),
        (
            "The governor raised fees from 10 percent to 25 percent.",
            "10 percent",
            "fee",
            "previous",
        ),
        (
            "The jobless rate dipped to 4.1 percent and has stayed below 5 percent since.",
            "below 5 percent",
            "jobless rate",
            "total",
        ),
        ("Voter turnout reached 61 percent.", "61 percent", "voter turnout", "total"),
    ],
)
def test_a_bare_percentage_measures_the_noun_it_is_the_level_of(
    nlp, sentence, figure, counted, role
):
    frame = frame_of(nlp, sentence, figure, kind="percent")
    assert (frame.counted, frame.role) == (counted, role)
    assert frame.holder is None or frame.holder.lower() != counted


def test_a_name_that_a_percentage_is_of_is_its_holder_not_what_it_counts(nlp):
    frame = frame_of(nlp, "Jones fell to 40 percent in the poll.", "40 percent", kind="percent")
    assert frame.counted is None and frame.holder == "Jones"
    raised = frame_of(nlp, "The senator raised $5 million.", "$5 million", kind="currency")
    assert raised.counted == "money" and raised.holder == "senator"


def test_others_beside_a_named_one_are_not_a_part_of_a_whole(nlp):
    frame = frame_of(nlp, "The raid left Captain Ortiz and four other soldiers wounded.", "four")
    assert frame.role == "besides" and frame.counted == "soldier"
    assert frame_of(nlp, "He won three of the four states.", "three").role == "part"


def test_what_an_event_left_the_counted_in_is_the_event_and_its_cause_the_holder(nlp):
    frame = frame_of(nlp, "The blast left 12 people dead.", "12")
    assert (frame.event, frame.holder) == ("dead", "blast")
    behind = frame_of(nlp, "The drawdown will leave behind about 4,000 troops.", "about 4,000")
    assert behind.event == "leave behind"


def test_a_state_an_event_left_the_counted_in_is_the_event(nlp):
    found = "Police arrived Wednesday night and found eight people shot dead inside the church."
    assert frame_of(nlp, found, "eight").event == "dead"  # the dead, not everyone shot
    assert frame_of(nlp, "The gunman shot 12 people dead.", "12").event == "dead"
    assert frame_of(nlp, "The gunman shot 12 people.", "12").event == "shoot"


def test_a_possessive_date_is_when_not_whose_nor_what(nlp):
    contests = frame_of(nlp, "He won three of Saturday's four contests.", "three")
    assert (contests.counted, contests.time) == ("contest", "Saturday")
    sentence = "The rate fell from Tuesday's 48 percent to 41 percent."
    rate = frame_of(nlp, sentence, "48 percent", kind="percent")
    assert (rate.counted, rate.holder, rate.time) == ("rate", None, "Tuesday")


def test_a_dateline_is_not_the_holder(nlp):
    frame = frame_of(
        nlp,
        "DENVER – Jane Smith, the Republican candidate in the close race, raised $2.5 million.",
        "$2.5 million",
        kind="currency",
    )
    assert frame.holder == "Jane Smith"


def test_an_age_is_not_the_figures_time(nlp):
    sentence = "A 28-year-old man went on a rampage, killing 35 people."
    assert frame_of(nlp, sentence, "35").time is None
    assert frame_of(nlp, "On Monday, a gunman aged 24 years old killed 12 people.", "12").time == (
        "Monday"
    )


@pytest.mark.parametrize(
    ("sentence", "figure", "place"),
    [
        ("Dozens of soldiers in Kabul were flown home on Friday.", "Dozens", "Kabul"),
        (
            "About 60 percent of registered voters in Georgia said they would vote.",
            "About 60 percent",
            "Georgia",
        ),
    ],
)
def test_the_place_of_an_of_object_is_the_figures(nlp, sentence, figure, place):
    """ "60 percent of voters in Georgia": the place hangs on the counted noun after "of"."""
    assert frame_of(nlp, sentence, figure).place == place


@pytest.mark.parametrize(
    ("sentence", "event"),
    [
        ("Six senators from farm states voted with most Democrats in opposition.", "vote against"),
        ("Twelve members voted in favor of the bill.", "vote for"),
    ],
)
def test_in_opposition_and_in_favor_are_polarities(nlp, sentence, event):
    """ "voted in opposition" is "voted against", not the bare "voted" of the other side."""
    figure = sentence.split()[0]
    assert frame_of(nlp, sentence, figure).event == event


def test_a_figure_of_a_flattened_table_is_a_cell(nlp):
    # a table of returns by person and year, flattened into one "sentence" by the scraper:
    # its labels are not in the parse, so its cells are never compared
    table = (
        "Here is a look at the returns. 2010 2011 2010 2011 2010 2011 Total Income $1,795,614 "
        "$844,585 $21,661,344 $20,901,075 $379,178 $379,035 Taxes $453,770 $162,074 $3,005,496 "
        "$3,226,623 $86,047 $86,892 Wages $395,188 $394,821 $0 $0 $308,376 $307,543"
    )
    assert frame_of(nlp, table, "$3,005,496", kind="currency").role == "cell"
    # prose with many figures still has more words than numbers
    prose = (
        "The Romneys paid $1.9 million in taxes on $13.7 million of income in 2011, gave "
        "$4 million to charity, claimed $2.25 million of it, and paid $3 million in 2010 on "
        "$21.7 million, with $3.3 million of dividends and $12.6 million of gains."
    )
    assert frame_of(nlp, prose, "$1.9 million", kind="currency").role == "total"


@pytest.mark.parametrize(
    "sentence",
    [
        "Besides the prison sentence, Smith was ordered to pay more than $473,000 in restitution.",
        "The judge ordered Smith to pay more than $473,000 in restitution.",
        "Smith agreed to pay more than $473,000 in restitution.",
    ],
)
def test_who_an_infinitive_is_asked_of_is_its_holder(nlp, sentence):
    # "was ordered to pay": the one ordered pays, not the one who ordered
    frame = frame_of(nlp, sentence, "more than $473,000", kind="currency", change=">")
    assert (frame.event, frame.holder) == ("pay", "Smith")


def test_he_or_she_is_the_person_named_before_in_the_sentence(nlp):
    sentence = (
        "In 1998, DeBartolo pleaded guilty to failing to report a felony when he paid $400,000 "
        "to the governor."
    )
    assert frame_of(nlp, sentence, "$400,000", kind="currency").holder == "DeBartolo"
    # nobody named before it in the sentence: whoever it is, the frame does not say
    alone = "In 1998, he paid $400,000 to the governor."
    assert frame_of(nlp, alone, "$400,000", kind="currency").holder is None


@pytest.mark.parametrize(
    ("sentence", "figure"),
    [
        ("He had been arrested 15 times in Georgia, and four in Ohio.", "15 times"),
        ("He had been arrested 15 times in Georgia, and four in Ohio.", "four"),
    ],
)
def test_counts_that_split_one_event_without_repeating_it_are_parts(nlp, sentence, figure):
    # 19 arrests in all: "15 times in Georgia" is not a count of his arrests
    assert frame_of(nlp, sentence, figure).role == "part"
    # two counted nouns, each with its own number, are two totals
    both = frame_of(nlp, "The fighting killed 166 Palestinians and six Israelis.", "six")
    assert both.role == "total"


@pytest.mark.parametrize(
    ("sentence", "figure", "role"),
    [
        ("The Dow dropped 1,089 points on Monday.", "1,089", "change"),
        ("Clinton leads Trump by 5 points in the poll.", "5", "margin"),
        ("Her lead of 6 points has narrowed since June.", "6", "margin"),
        ("The poll has a margin of error of plus or minus 3 points.", "3", "margin"),
    ],
)
def test_points_are_a_margin_only_as_a_difference_between_sides(nlp, sentence, figure, role):
    assert frame_of(nlp, sentence, figure).role == role


def test_giving_money_is_not_raising_it():
    from pipeline.across.sameness import event_match

    assert event_match("bring in", "donate") is None
    assert event_match("raise", "collect") is not None


@pytest.mark.parametrize(
    ("sentence", "figure"),
    [
        ("By the RealClearPolitics average, he's ahead 4.2 points in Ohio.", "4.2"),
        ("More voters approve, albeit by slim margins: By two points in Florida.", "two"),
    ],
)
def test_points_without_a_verb_of_change_are_a_lead(nlp, sentence, figure):
    assert frame_of(nlp, sentence, figure).role == "margin"


@pytest.mark.parametrize(
    ("sentence", "figure", "event"),
    [
        ("Officials reported the deaths of 12 people.", "12", "die"),
        (
            "The policy has resulted in the separation of more than 2,000 children.",
            "more than 2,000",
            "separate",
        ),
        (
            "The reversal triggered the resignations of four top prosecutors.",
            "four",
            "resign",
        ),
    ],
)
def test_a_noun_of_an_event_is_its_verb(nlp, sentence, figure, event):
    # "the separation of 2,000 children" is the event of "2,000 children were separated"
    assert frame_of(nlp, sentence, figure).event == event


def test_a_noun_that_names_no_event_is_not_one(nlp):
    # "a list of 300 leaders": the list is no event; the count's event is the clause's
    frame = frame_of(nlp, "He is on a list of 300 leaders.", "300")
    assert frame.event in (None, "be")


@pytest.mark.parametrize(
    ("sentence", "figure", "role"),
    [
        (
            "Meanwhile, the unemployment rate ticked up to 7.6% from 7.5% in April.",
            "7.5%",
            "previous",
        ),
        (
            "The jobless rate edged up to 8.2 percent from April's 8.1 percent.",
            "8.1 percent",
            "previous",
        ),
        (
            "The jobless rate edged up to 8.2 percent from April's 8.1 percent.",
            "8.2 percent",
            "total",
        ),
    ],
)
def test_a_phrasal_verb_of_change_has_a_level_before(nlp, sentence, figure, role):
    # "ticked up to 7.6% from 7.5%" moves as "rose" does: 7.5% is the level it came from
    assert frame_of(nlp, sentence, figure).role == role


@pytest.mark.parametrize(
    ("sentence", "figure", "time"),
    [
        ("The unemployment rate rose to 7.6% in May from 7.5% in April.", "7.5%", "April"),
        ("The unemployment rate rose to 7.6% in May from 7.5% in April.", "7.6%", "May"),
        (
            "The economy added 69,000 jobs in May, and only 77,000 jobs were created in April.",
            "77,000",
            "April",
        ),
        (
            "Unemployment fell to 7.7 percent in November, from 7.9 percent in October.",
            "7.9 percent",
            "October",
        ),
    ],
)
def test_the_nearest_date_is_the_figures_time(nlp, sentence, figure, time):
    # the noun's and its preposition's date before the event's, the event's before the
    # clause it is joined to; of two on one word, the nearer: not the sentence's first date
    assert frame_of(nlp, sentence, figure).time == time


@pytest.mark.parametrize(
    ("sentence", "figure", "holder"),
    [
        ("The unemployment rate for blacks fell to 5.9 percent.", "5.9 percent", "for blacks"),
        ("The jobless rate for teenagers was 24 percent.", "24 percent", "for teenagers"),
        ("The unemployment rate fell to 3.8%.", "3.8%", "unemployment rate"),
        ("Support for the bill reached 60 percent.", "60 percent", "support"),
    ],
)
def test_a_rate_for_a_group_keeps_the_group_in_its_holder(nlp, sentence, figure, holder):
    # "the unemployment rate for blacks" is another quantity than "the unemployment rate": the
    # holders end in other words, so they do not agree; "support for the bill" names no group
    assert (frame_of(nlp, sentence, figure).holder or "").endswith(holder)
