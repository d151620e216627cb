"""Unit tests for the figures extractor (pipeline.extract.figures) and its evaluation."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.tokens import Doc

from pipeline.evaluate.figures import Quantity, max_matching, score, values_equal
from pipeline.extract.figures import CHANGES, KINDS, Figure, extract_figures
from pipeline.extract.numbers import fraction_value, glued_unit, parse_digits, word_value
from pipeline.nlp import load_nlp

SEEDS = Path(__file__).resolve().parents[2] / "data" / "sample" / "seeds"
SEED_IRAQ = SEEDS / "000_8a6a88420e78db9b.txt"
SEED_AFGHAN = SEEDS / "003_09058b23c26e11f3.txt"

#: Short sentences for forms the seeds do not use; parsed once with the seeds.
SENTENCES = {
    "scaled": "The fund raised $2bn last year and 1.5 million people signed up, about 40k more.",
    "ranges": "Prices rose between 5 and 10 percent; 5-10 people came; it costs $10 to $15 bn.",
    "currency": "It cost HK $5.4m (PS21,700), or 7,199 Chinese yuan, at US $58.24 per barrel.",
    "changes": "Shares fell 0.4 per cent to 13176 while sales increased by 2 percent.",
    "less": "Just under 20 percent agreed, and less than 3 km separate them.",
    "words": "A dozen ships and two-thirds of voters saw tens of thousands of dollars spent.",
    "ids": "See Section 427 Row 21, the F-35 and COVID-19 on Nov. 9, 2016 at 5:25 a.m.",
    "phones": "Call 555-0199 or (212) 555-0143 in San Francisco, CA 94103, at 1.56pm.",
    "units": "The 640bhp car weighs 1,500 kg, does 87 mph (140 km/h) and costs $72,370.",
    "scale letters": "It has 40m subscribers, 1.3m visitors, 7.5M fans, 3 B users and a 37m mast.",
    "money prefixes": "They paid PS45m, $US2.4 billion, US $80 million, HK $9.1 billion, EUR 5m.",
    "shared ranges": "It took 10 – 15min, two or three weeks, five to 8 months.",
    "multiples": "Costs are more than threefold; nearly three-quarters left, ~3.5cm, 98.6degF.",
    "not figures": "They won 3-0; ISO 9001, the A320-200, the FTSE 100 rose, a category 5 storm.",
    "spelled": "It cost three thousand nine hundred and sixty five dollars and ninety five cents.",
    "bounds": "Scores were more than 10 and less than 40, or 200 or more.",
    "pint": "The chip runs at 2GHz and uses 10kWh; the mast is 3 km tall.",
    "suspended": "It comes with four-, five- and six-cylinder engines.",
    "one in five": "About one in five adults flew on a Boeing 737-800.",
    "compounds": "He is 5 feet 2 inches tall; the spire is 30 feet and 80 people came.",
    "comparisons": "Keep x>10 and y<20, and check when <-30 or >=30.",
    "ordinal bounds": "He ranks between the tenth and the fifteenth, then higher than the 3rd "
    "but lower than the 9th; it began on the 10th of May, the third straight day.",
    "shares": "Only 2 in 5 or more, 4 in 10 Americans and more than half people; 2 in 5 minutes.",
    "money ranges": "Seats cost about $50-$60, or ¥50-¥60 in Beijing.",
    "exchange rates": "The rand traded at 1 USD to 14.4 R, and $10 to 15 US dollars is a range.",
    "article before money": "They won by a $7 million margin and spent A $5 million.",
    "no parts": "Eggs averaged 64.2 cents a dozen; it was 10.5 dollars 20 on Monday.",
    "rand": "Petrol costs R18.00 a litre, R7,500 a month and R5bn a year; the R35 launched.",
    "sizes": "The screen is 1920x1080 pixels, the room 10 x 12 feet; a 4x4 truck won 2 x 4 games.",
    "article units": "The farm spans over 20 a of land and it costs $5 a day.",
    "marks": 'The ruler is 20" long. The statue is 5\' 9" tall, about 69" in all.',
    "dashed units": "He caught a 10-pound trout and a 12-inch bass.",
    "prefixed units": "It holds 10 nF, 5 µF and 3 mC; the noise was 120 dB, the signal 13 dBm.",
    "glued parts": "He is 5'9\" tall, ran the lap in 4'30\" and paid 1'000 francs.",
    "fractions of a unit": "Add a quarter of a teaspoon of salt, walk half a mile; a third of "
    "the votes went to him.",
    "glued fractions": "The bolt is 1/2″ wide and weighs 3/4kg.",
    "ambiguous head": "The hotel in Yerevan charged 20,000 Armenian drams for a night.",
    "halved groups": "Half a dozen men, a half dozen women and nearly half a million dollars.",
    "up to": "The rate ticked up to 7.6%, gas edged up to $3.50 and sales went up to 5 percent; "
    "workers make up to $15 an hour and face up to 10 years.",
    "falling pairs": "Smith won 49.5 percent to 48.9 percent. The bill passed by a margin of 52 "
    "to 48. Some 20 to 30 people came. The rate fell from 6 percent to 5 percent.",
}


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@pytest.fixture(scope="module")
def seed_figures(nlp) -> dict[str, list[Figure]]:
    docs = {path.name: nlp(path.read_text(encoding="utf-8")) for path in (SEED_IRAQ, SEED_AFGHAN)}
    return {name: list(extract_figures(doc)) for name, doc in docs.items()} | {
        f"_doc_{name}": docs[name]
        for name in docs  # type: ignore[dict-item]
    }


@pytest.fixture(scope="module")
def sentence_figures(nlp) -> dict[str, tuple[Doc, list[Figure]]]:
    docs = dict(zip(SENTENCES, nlp.pipe(SENTENCES.values()), strict=True))
    return {key: (doc, list(extract_figures(doc))) for key, doc in docs.items()}


def _find(figures: list[Figure], text: str) -> Figure:
    matches = [f for f in figures if f.text == text]
    assert matches, f"no figure {text!r} in {[f.text for f in figures]}"
    return matches[0]


# --- seeds -----------------------------------------------------------------------------------


def test_iraq_seed_figures(seed_figures):
    figs = seed_figures[SEED_IRAQ.name]
    over = _find(figs, "Over 5,000")
    assert (over.value, over.change, over.counted, over.kind) == (5000, ">", "USA troops", "count")
    some = _find(figs, "some 4,000")
    assert (some.value, some.change, some.counted) == (4000, "~", "U.S. troops")
    more = _find(figs, "more than 5,000")
    assert (more.value, more.change, more.counted) == (5000, ">", "troops")
    hundreds = _find(figs, "hundreds")
    assert (hundreds.value_low, hundreds.value_high, hundreds.counted) == (100, 1000, "detainees")
    assert hundreds.value is None
    third = _find(figs, "almost a third")
    assert third.value == pytest.approx(1 / 3) and third.change == "~"
    assert third.counted == "Iraqi territory"
    forty = _find(figs, "40,000")
    assert (forty.value, forty.change) == (40000, "=")


def test_iraq_seed_has_no_dates(seed_figures):
    values = {f.value for f in seed_figures[SEED_IRAQ.name]}
    assert not values & {2014.0, 2017.0, 2011.0}
    assert len(seed_figures[SEED_IRAQ.name]) == 6


def test_afghan_seed_figures(seed_figures):
    figs = seed_figures[SEED_AFGHAN.name]
    km = _find(figs, "some 50 kilometers")
    assert (km.value, km.unit, km.change, km.kind) == (50, "kilometre", "~", "length")
    km13 = _find(figs, "some 13 kilometers")
    assert (km13.value, km13.unit, km13.change) == (13, "kilometre", "~")
    miles = _find(figs, "8 miles")
    assert (miles.value, miles.unit) == (8, "mile")
    years = _find(figs, "more than three years")
    assert (years.value, years.unit, years.change, years.kind) == (3, "year", ">", "duration")
    dozens = _find(figs, "Dozens")
    assert (dozens.value_low, dozens.value_high, dozens.counted) == (12, 120, "U.S. soldiers")
    pct = _find(figs, "60 percent")
    assert (pct.value, pct.unit, pct.kind, pct.change) == (60, "percentage", "percent", "=")
    about = _find(figs, "about 4,000")
    assert (about.value, about.change, about.counted) == (4000, "~", "troops")
    rng = _find(figs, "1,000 to 1,500")
    assert (rng.value, rng.value_low, rng.value_high, rng.change) == (None, 1000, 1500, "=")
    closer = _find(figs, "closer to 10,000")
    assert (closer.value, closer.change) == (10000, "~")
    est = _find(figs, "an estimated 200")
    assert (est.value, est.change, est.counted, est.unit) == (200, "~", "people", "people")
    age = _find(figs, "more than 16-year-old")
    assert (age.value, age.unit, age.change, age.kind) == (16, "year of age", ">", "duration")
    seven = _find(figs, "seven")
    assert (seven.value, seven.counted, seven.unit) == (7, "Afghan provinces", "afghan province")


def test_seed_counts_name_what_they_count(seed_figures):
    """ "the number of X is ...", "X numbers wound down to ...": the figure counts X."""
    afghan, iraq = seed_figures[SEED_AFGHAN.name], seed_figures[SEED_IRAQ.name]
    assert _find(afghan, "1,000 to 1,500").counted == "active fighters"
    assert _find(afghan, "closer to 10,000").counted == "ISIS-loyalists"
    assert _find(iraq, "40,000").counted == "USA troop"


def test_afghan_seed_has_no_dates(seed_figures):
    values = {f.value for f in seed_figures[SEED_AFGHAN.name]}
    assert not values & {9.0, 2016.0}
    assert len(seed_figures[SEED_AFGHAN.name]) == 12


def test_offsets_and_enums_hold(seed_figures, sentence_figures):
    pairs = [
        (seed_figures[f"_doc_{p.name}"], seed_figures[p.name]) for p in (SEED_IRAQ, SEED_AFGHAN)
    ]
    pairs += list(sentence_figures.values())
    for doc, figs in pairs:
        for f in figs:
            assert doc.text[f.start : f.end] == f.text
            assert f.change in CHANGES and f.kind in KINDS
            assert (f.value is None) == (f.value_low is not None) == (f.value_high is not None)


# --- forms -----------------------------------------------------------------------------------


def test_scaled_numbers(sentence_figures):
    _, figs = sentence_figures["scaled"]
    assert _find(figs, "$2bn").value == 2e9 and _find(figs, "$2bn").unit == "dollar"
    million = _find(figs, "1.5 million")
    assert million.value == 1.5e6 and million.unit == "people"
    assert _find(figs, "about 40k").value == 40000


def test_ranges(sentence_figures):
    _, figs = sentence_figures["ranges"]
    between = _find(figs, "between 5 and 10 percent")
    assert (between.value_low, between.value_high, between.unit) == (5, 10, "percentage")
    assert between.change == "up"
    dash = _find(figs, "5-10")
    assert (dash.value_low, dash.value_high, dash.unit) == (5, 10, "people")
    money = _find(figs, "$10 to $15 bn")
    assert (money.value_low, money.value_high, money.unit) == (1e10, 1.5e10, "dollar")


def test_currencies(sentence_figures):
    _, figs = sentence_figures["currency"]
    assert [(f.value, f.unit) for f in figs] == [
        (5.4e6, "hong kong dollar"),
        (21700, "pound sterling"),
        (7199, "chinese yuan"),
        (58.24, "dollar per barrel"),
    ]


def test_changes_from_verbs(sentence_figures):
    _, figs = sentence_figures["changes"]
    assert [(f.value, f.change) for f in figs] == [(0.4, "down"), (13176, "="), (2, "up")]


def test_less_than(sentence_figures):
    _, figs = sentence_figures["less"]
    assert [(f.value, f.unit, f.change) for f in figs] == [
        (20, "percentage", "<"),
        (3, "kilometre", "<"),
    ]


def test_spelled_out(sentence_figures):
    _, figs = sentence_figures["words"]
    dozen = _find(figs, "A dozen")
    assert (dozen.value, dozen.unit) == (12, "ship")
    thirds = _find(figs, "two-thirds")
    assert thirds.value == pytest.approx(2 / 3) and thirds.counted == "voters"
    tens = _find(figs, "tens of thousands")
    assert (tens.value_low, tens.value_high, tens.unit) == (1e4, 1e5, "dollar")


def test_half_of_a_group_or_scale_is_one_figure(sentence_figures):
    """Half a dozen is six, not the share 0.5 beside a separate twelve."""
    _, figs = sentence_figures["halved groups"]
    assert [(f.text, f.value, f.unit) for f in figs] == [
        ("Half a dozen", 6, "man"),
        ("a half dozen", 6, "woman"),
        ("nearly half a million dollars", 500_000, "dollar"),
    ]


def test_identifiers_dates_times_are_not_figures(sentence_figures):
    _, figs = sentence_figures["ids"]
    values = {f.value for f in figs} | {f.value_low for f in figs}
    assert not values & {427.0, 21.0, 35.0, 19.0, 9.0, 2016.0, 5.0, 25.0}


def test_phone_zip_and_clock_are_not_figures(sentence_figures):
    _, figs = sentence_figures["phones"]
    assert figs == []


def test_units(sentence_figures):
    _, figs = sentence_figures["units"]
    assert [(f.value, f.unit) for f in figs] == [
        (640, "brake horsepower"),
        (1500, "kilogram"),
        (87, "mile per hour"),
        (140, "kilometre per hour"),
        (72370, "dollar"),
    ]


def _values(figs: list[Figure]) -> list[tuple]:
    return [
        (f.value if f.value is not None else (f.value_low, f.value_high), f.unit, f.change)
        for f in figs
    ]


def test_scale_letters_are_millions_before_a_noun_and_metres_alone(sentence_figures):
    _, figs = sentence_figures["scale letters"]
    assert [f.value for f in figs] == [4e7, 1.3e6, 7.5e6, 3e9, 37.0]
    assert (figs[0].unit, figs[-1].unit) == ("subscriber", "metre")


def test_money_prefixes_codes_and_scraped_pound_signs(sentence_figures):
    _, figs = sentence_figures["money prefixes"]
    assert [(f.value, f.unit) for f in figs] == [
        (4.5e7, "pound sterling"),
        (2.4e9, "dollar"),
        (8e7, "dollar"),
        (9.1e9, "hong kong dollar"),
        (5e6, "euro"),
    ]


def test_ranges_share_a_unit(sentence_figures):
    _, figs = sentence_figures["shared ranges"]
    assert _values(figs) == [
        ((10.0, 15.0), "minute", "="),
        ((2.0, 3.0), "week", "="),
        ((5.0, 8.0), "month", "="),
    ]


def test_falling_to_without_from_is_one_figure_per_side(sentence_figures):
    """A range written "X to Y" goes up; falling, it is two values (a vote), or with "from" a
    change."""
    _, figs = sentence_figures["falling pairs"]
    assert [f.text for f in figs] == [
        "49.5 percent",
        "48.9 percent",
        "52",
        "48",
        "Some 20 to 30",
        "6 percent to 5 percent",
    ]
    values = _values(figs)
    assert [v[:2] for v in values[:4]] == [
        (49.5, "percentage"),
        (48.9, "percentage"),
        (52.0, None),
        (48.0, None),
    ]
    assert values[4][:2] == ((20.0, 30.0), "people")
    assert values[5][:2] == ((5.0, 6.0), "percentage")


def test_multiples_fractions_and_marks(sentence_figures):
    _, figs = sentence_figures["multiples"]
    values = _values(figs)
    assert values[0] == (3.0, "count", ">")
    assert values[1][0] == pytest.approx(0.75) and values[1][2] == "~"
    assert values[2:] == [(3.5, "centimetre", "~"), (98.6, "fahrenheit", "=")]


def test_scores_standards_models_indexes_labels_are_not_figures(sentence_figures):
    _, figs = sentence_figures["not figures"]
    assert figs == []


def test_number_words_of_any_length_and_cents(sentence_figures):
    _, figs = sentence_figures["spelled"]
    assert [(f.value, f.unit) for f in figs] == [(3965.95, "dollar")]


def test_up_to_after_a_verb_of_rising_is_the_level_reached(sentence_figures):
    """ "ticked up to 7.6%": "up" is the verb's particle, the figure the level; "make up to $15"
    and "face up to 10 years" stay bounds (the parser tags all these "up"s alike)."""
    _, figs = sentence_figures["up to"]
    for text in ("7.6%", "$3.50", "5 percent"):
        assert _find(figs, text).change == "="
    assert _find(figs, "up to $15 an hour").change == "<"
    assert _find(figs, "up to 10 years").change == "<"


def test_opposite_bounds_make_one_range(sentence_figures):
    _, figs = sentence_figures["bounds"]
    assert _values(figs) == [((10.0, 40.0), None, "="), (200.0, None, ">")]


def test_suspended_compounds_share_the_unit_ahead(sentence_figures):
    _, figs = sentence_figures["suspended"]
    assert [(f.text, f.value, f.unit) for f in figs] == [
        ("four", 4.0, "cylinder"),
        ("five", 5.0, "cylinder"),
        ("six", 6.0, "cylinder"),
    ]


def test_one_in_five_is_a_fraction_and_a_model_number_no_range(sentence_figures):
    _, figs = sentence_figures["one in five"]
    assert len(figs) == 1
    assert figs[0].value == pytest.approx(0.2) and figs[0].unit == "% adult"


def test_a_whole_unit_and_its_part_are_one_figure(sentence_figures):
    _, figs = sentence_figures["compounds"]
    assert [(f.text, f.unit) for f in figs][:2] == [
        ("5 feet 2 inches", "foot"),
        ("30 feet", "foot"),
    ]
    assert figs[0].value == pytest.approx(5 + 2 / 12) and figs[1].value == 30


def test_comparison_signs_and_a_variable_before_them(sentence_figures):
    _, figs = sentence_figures["comparisons"]
    assert [(f.text, f.value, f.change) for f in figs] == [
        (">10", 10, ">"),  # two variables' bounds are not one range
        ("<20", 20, "<"),
        ("<-30", -30, "<"),
        (">=30", 30, ">"),
    ]


def test_ordinals_as_range_ends_and_bounds_only(sentence_figures):
    _, figs = sentence_figures["ordinal bounds"]
    assert [(f.text, f.value_low, f.value_high) for f in figs] == [
        ("between the tenth and the fifteenth", 10, 15),
        ("higher than the 3rd but lower than the 9th", 3, 9),
    ]


def test_digit_fractions_and_more_than_half(sentence_figures):
    _, figs = sentence_figures["shares"]
    assert [(f.text, f.value, f.change) for f in figs][:3] == [
        ("2 in 5 or more", pytest.approx(0.4), ">"),
        ("4 in 10 Americans", pytest.approx(0.4), "="),
        ("more than half", 0.5, ">"),
    ]
    assert figs[2].unit == "% people"
    minutes = [f for f in figs if f.unit == "minute"]
    assert [f.value for f in minutes] == [5]  # "2 in 5 minutes" is no share


def test_money_ranges_in_one_token_keep_the_currency(sentence_figures):
    _, figs = sentence_figures["money ranges"]
    assert [(f.text, f.value_low, f.value_high, f.unit, f.change) for f in figs] == [
        ("about $50-$60", 50, 60, "dollar", "~"),
        ("¥50-¥60", 50, 60, "chinese yuan", "="),  # the disambiguator reads "Beijing"
    ]


def test_two_currencies_are_an_exchange_rate_not_a_range(sentence_figures):
    _, figs = sentence_figures["exchange rates"]
    assert [(f.value, f.value_low, f.value_high, f.unit) for f in figs] == [
        (1, None, None, "dollar"),
        (14.4, None, None, "south african rand"),
        (None, 10, 15, "dollar"),
    ]


def test_the_article_a_before_a_dollar_sign_is_no_country(sentence_figures):
    _, figs = sentence_figures["article before money"]
    assert [(f.text, f.unit) for f in figs] == [
        ("$7 million", "dollar"),
        ("A $5 million", "australian dollar"),
    ]


def test_a_letter_currency_needs_money_form(sentence_figures):
    _, figs = sentence_figures["rand"]
    assert [(f.value, f.unit) for f in figs] == [
        (18, "south african rand per litre"),
        (7500, "south african rand per month"),
        (5e9, "south african rand per year"),
    ]  # "the R35" is a name


def test_sizes_take_the_unit_written_after_them(sentence_figures):
    _, figs = sentence_figures["sizes"]
    assert [(f.text, f.value, f.unit) for f in figs][:4] == [
        ("1920", 1920, "pixel"),
        ("1080 pixels", 1080, "pixel"),
        ("10", 10, "foot"),
        ("12 feet", 12, "foot"),
    ]
    assert not any(f.text.startswith("4x4") for f in figs)  # a name, no measure
    assert [f.value for f in figs[4:]] == [2, 4]


def test_the_article_like_symbol_is_a_unit_only_where_no_noun_follows(sentence_figures):
    _, figs = sentence_figures["article units"]
    assert figs[0].text == "over 20 a" and figs[0].unit in ("acre", "year")
    assert [f.unit for f in figs[1:]] == ["dollar per day"]


def test_marks_after_digits_are_units_not_quotation_marks(sentence_figures):
    _, figs = sentence_figures["marks"]
    assert [(f.text, f.unit) for f in figs] == [
        ('20"', "inch"),
        ("5' 9\"", "foot"),
        ('about 69"', "inch"),
    ]


def test_a_dashed_ambiguous_unit_is_a_measure(sentence_figures):
    _, figs = sentence_figures["dashed units"]
    assert [(f.text, f.unit) for f in figs] == [("10-pound", "pound-mass"), ("12-inch", "inch")]


def test_prefixed_units_know_their_base(sentence_figures):
    from pipeline.extract.lexicon import lexicon

    _, figs = sentence_figures["prefixed units"]
    units = [f.unit for f in figs]
    assert units == ["nanofarad", "microfarad", "millicoulomb", "decibel", "decibel-milliwatt"]
    bases = lexicon().unit_bases
    assert [bases[u] for u in units] == ["farad", "farad", "coulomb", "bel", "bel"]


def test_a_part_needs_a_whole_amount_of_the_whole_unit(sentence_figures):
    _, figs = sentence_figures["no parts"]
    assert [(f.value, f.unit) for f in figs][:2] == [(64.2, "cent per dozen"), (10.5, "dollar")]
    assert figs[2].value == 20


def test_units_from_pint(sentence_figures):
    _, figs = sentence_figures["pint"]
    assert [f.unit for f in figs] == ["gigahertz", "kilowatt hour", "kilometre"]


def test_a_part_glued_after_a_mark_joins_the_whole(sentence_figures):
    _, figs = sentence_figures["glued parts"]
    assert [f.text for f in figs] == ["5'9\"", "4'30\""]  # a Swiss "1'000" is no foot
    assert (figs[0].value, figs[0].unit) == (pytest.approx(5.75), "foot")
    lap = figs[1]
    assert lap.unit in ("minute", "foot") and lap.value == (4.5 if lap.unit == "minute" else 4)


def test_a_fraction_of_one_unit_is_an_amount_of_it(sentence_figures):
    _, figs = sentence_figures["fractions of a unit"]
    assert [(f.text, f.value, f.unit) for f in figs] == [
        ("a quarter of a teaspoon", 0.25, "teaspoon"),
        ("half a mile", 0.5, "mile"),
        ("a third", pytest.approx(1 / 3), "% vote"),  # a share of things, not of a unit
    ]


def test_a_written_fraction_takes_a_glued_unit(sentence_figures):
    _, figs = sentence_figures["glued fractions"]
    assert [(f.text, f.value, f.unit) for f in figs] == [
        ("1/2″", 0.5, "inch"),
        ("3/4kg", 0.75, "kilogram"),
    ]


def test_a_counted_head_that_means_several_units_is_disambiguated(sentence_figures):
    _, figs = sentence_figures["ambiguous head"]
    assert [(f.value, f.unit, f.kind) for f in figs] == [(20000, "armenian dram", "currency")]


def test_ordinals_only_on_request(nlp):
    doc = nlp("It was the 10th record and the third win.")
    assert list(extract_figures(doc)) == []
    ordinals = list(extract_figures(doc, include_ordinals=True))
    assert [f.value for f in ordinals] == [10, 3]


# --- lexicon -----------------------------------------------------------------------------------


def test_lexicon():
    assert parse_digits("5,000").value == 5000
    assert parse_digits("-5").value == -5
    assert parse_digits("12,34") is None
    assert word_value("twenty-five") == 25
    assert fraction_value("two-thirds") == pytest.approx(2 / 3)
    assert glued_unit("bn") == (1e9, None)
    assert glued_unit("th") is None
    assert glued_unit("kWh")[1].name == "kilowatt hour"
    assert glued_unit("m") == (1.0, glued_unit("m")[1]) and glued_unit("m")[1].name == "metre"
    assert glued_unit("m", money_or_noun=True) == (1e6, None)
    assert parse_digits("~3.5").prefix == "~"
    assert parse_digits("USD1,700").value == 1700


def test_lexicon_tables_come_from_pint_and_iso_4217():
    from pipeline.extract.lexicon import lexicon

    lex = lexicon()
    assert lex.cased_units["GWh"].name == "gigawatt hour"
    assert lex.unit_phrases[("micrometers",)].name == "micrometre"
    assert lex.currency_codes["SEK"] == "swedish krona"
    assert lex.currency_codes["USD"] == "dollar"
    assert "ALL" not in lex.currency_codes  # a code that is an English word
    assert [u.name for u in lex.ambiguous["pounds"]] == ["pound sterling", "pound-mass"]


# --- evaluation --------------------------------------------------------------------------------


def test_matching_is_one_to_one():
    five = Quantity(5.0, None, "percentage", "=")
    pred = [five, five]
    gold = [Quantity(5.000001, None, "percentage", "up")]
    assert max_matching(pred, gold, values_equal) == 1
    assert values_equal(Quantity(1.0, 2.0, None, "="), Quantity(2.0, 1.0, None, "="))
    assert not values_equal(Quantity(1.0, 2.0, None, "="), Quantity(1.0, None, None, "="))
    scores = score([(pred, gold)])
    assert scores["value"]["p"] == 0.5 and scores["value"]["r"] == 1.0
    assert scores["value+change"]["f1"] == 0.0


def test_the_number_prefilter_skips_only_tokens_that_begin_no_number():
    """``_number_starts`` is a shortcut: wherever a number can be read, it says so."""
    import spacy
    from spacy.tokens import Doc

    from pipeline.extract.figures import _number_starts, _read_number

    text = (
        "A dozen of the 4,000 troops, about a third, half the 1/2 share and two-thirds of "
        "twenty-five units cost $5.4m, US$ 3 bn, €20 or RM2; tens of thousands of people, "
        "hundreds of millions, 60 percent, one hundred and five, sub-7, -5, .5, 2bn, 10kWh, "
        "the ninth and 10th, ٣ Arabic digits, a half-hour, three-quarters, an eighth."
    )
    nlp = spacy.blank("en")
    # Hyphenated words as single tokens too ("twenty-five"), which the tokenizer splits but
    # another tokenizer or a doc built from words may not.
    words = ["twenty-five", "two-thirds", "three-quarters", "are", "minus-3", "of", "them"]
    for doc in (nlp(text), Doc(nlp.vocab, words=words)):
        may_start = _number_starts(doc)
        read = [i for i in range(len(doc)) if _read_number(doc, i) is not None]
        assert len(read) >= 4
        assert all(may_start[i] for i in read), [doc[i].text for i in read if not may_start[i]]
        assert sum(may_start) < len(doc)  # it does skip words
