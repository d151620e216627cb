"""Speaker mentions and the sources they name: shares of a group, reporters cited with their
outlet, and paragraph labels the parser hangs on the subject (AllSides, session 27)."""

from collections.abc import Callable

import pytest

from pipeline.extract.speaker_names import ANONYMOUS_HEADS, DOCUMENT_HEADS


def _source_of(rule_claims_of: Callable, text: str, needle: str):
    found = rule_claims_of(text)
    hits = [c for c in found if needle in c.content]
    assert hits, f"no claim containing {needle!r} in {[c.content for c in found]}"
    return hits[0]


def test_the_head_tables_are_data() -> None:
    assert {"official", "candidate", "percent", "%", "majority"} <= ANONYMOUS_HEADS
    assert {"statement", "poll", "footage"} <= DOCUMENT_HEADS
    assert not ANONYMOUS_HEADS & DOCUMENT_HEADS


@pytest.mark.parametrize(
    ("text", "needle", "speaker"),
    [
        ("March poll: 47% think the government is doing too little.", "government", "47%"),
        (
            "Last month 53 percent of those surveyed said the economy was weak.",
            "economy",
            "53 percent of those surveyed",
        ),
        (
            "2) A majority of registered voters say the country is on the wrong track.",
            "country",
            "A majority of registered voters",
        ),
    ],
)
def test_a_share_of_a_group_is_an_anonymous_speaker(
    rule_claims_of: Callable, text: str, needle: str, speaker: str
) -> None:
    claim = _source_of(rule_claims_of, text, needle)
    assert claim.speaker == speaker
    assert claim.source is not None and claim.source.kind == "anonymous"


@pytest.mark.parametrize(
    ("text", "name", "outlet"),
    [
        ("NPR's Philip Reeves reports that the protests grew on Friday.", "Philip Reeves", "NPR"),
        ("ABC News' Jake Tapper said on Sunday that the vote was over.", "Jake Tapper", "ABC News"),
        ("Weekly Standard's Jay Cost wrote that the race was tied.", "Jay Cost", "Weekly Standard"),
        ("CNN's Dana Bash said the vote was close.", "Dana Bash", "CNN"),
    ],
)
def test_a_reporter_cited_with_the_outlet_is_the_person(
    rule_claims_of: Callable, text: str, name: str, outlet: str
) -> None:
    claim = rule_claims_of(text)[0]
    assert claim.source is not None
    assert (claim.source.name, claim.source.kind, claim.source.description) == (
        name,
        "person",
        outlet,
    )


@pytest.mark.parametrize(
    "text",
    [
        "Moody's Investors Service said the outlook was negative.",
        "London's Metropolitan Police said the man was arrested.",
    ],
)
def test_a_body_owned_by_a_place_or_firm_stays_a_body(rule_claims_of: Callable, text: str) -> None:
    claim = rule_claims_of(text)[0]
    assert claim.source is not None and claim.source.kind not in ("person", "anonymous")
    assert claim.speaker is not None and claim.source.name.endswith(claim.speaker.split()[-1])


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "UPDATE II - A quartet of influential Missouri Republicans said Monday they back "
            "the bill.",
            "A quartet of influential Missouri Republicans",
        ),
        ("Bottom line - David Wildstein said he would testify.", "David Wildstein"),
        ("Jean-Pierre Raffarin said the treaty was dead.", "Jean-Pierre Raffarin"),
    ],
)
def test_a_paragraph_label_is_no_part_of_the_speaker(
    rule_claims_of: Callable, text: str, speaker: str
) -> None:
    assert rule_claims_of(text)[0].speaker == speaker


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        (
            "One of their lawyers, David Boies, said the ruling was wrong.",
            "David Boies",
            "One of their lawyers",
        ),
        (
            "A spokesman for Mr. Boehner, Michael Steel, said the talks had stalled.",
            "Michael Steel",
            "spokesman for Mr. Boehner",
        ),
    ],
)
def test_a_role_then_a_name_is_the_person_in_that_role(
    rule_claims_of: Callable, text: str, name: str, role: str
) -> None:
    claim = rule_claims_of(text)[0]
    assert claim.source is not None
    assert (claim.source.name, claim.source.description) == (name, role)


def test_a_list_of_people_is_no_role_and_name(rule_claims_of: Callable) -> None:
    claim = rule_claims_of(
        "GOP conservatives including Ted Cruz of Texas, Kelly Ayotte of New Hampshire and "
        "Lindsey Graham of South Carolina said the deal was bad."
    )[0]
    assert claim.source is not None and claim.source.name.startswith("GOP conservatives")
