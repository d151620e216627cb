import pytest

from pipeline.link.sources import (
    SOURCE_KINDS,
    SourceRef,
    expand_surname,
    lookup_alias,
    make_ref,
    merge_sources,
    normalise_name,
    person_kind,
)


def test_agency_aliases_share_one_id():
    names = ["AP", "The Associated Press", "Associated Press", "the Associated Press (AP)"]
    refs = [make_ref(*lookup_alias(n), None, n) for n in names]
    assert {r.name for r in refs} == {"The Associated Press"}
    assert len({r.source_id for r in refs}) == 1
    assert refs[0].kind == "news_agency" and refs[0].source_id.startswith("src_")


def test_surname_expands_to_full_name_within_article():
    assert expand_surname("al-Abadi", ["Haider al-Abadi"]) == "Haider al-Abadi"
    assert expand_surname("Mr. Obama", ["Barack Obama", "Michelle Obama"]) == "Michelle Obama"
    assert expand_surname("Dillon", []) == "Dillon"


def test_surname_expands_to_the_person_named_most_often():
    named = ["Melania Trump", "Donald Trump", "Donald Trump"]
    assert expand_surname("Trump", named) == "Donald Trump"


def test_normalise_name():
    assert normalise_name("The U.S.-led Coalition") == normalise_name("US-led coalition")


def test_make_ref_rejects_unknown_kind():
    try:
        make_ref("x", "alien", None, "x")
    except ValueError:
        return
    raise AssertionError("expected ValueError")


def test_merge_sources_is_deterministic():
    a = make_ref("Haider al-Abadi", "politician", None, "al-Abadi")
    b = make_ref("Haider al-Abadi", "politician", "Iraqi Prime Minister", "Haider al-Abadi")
    c = SourceRef(a.source_id, a.name, a.kind, "Iraqi Prime Minister", "he")
    ap = make_ref("The Associated Press", "news_agency", None, "AP")
    rows = merge_sources([ap, c, b, a])
    assert [r.source_id for r in rows] == sorted(r.source_id for r in rows)
    row = next(r for r in rows if r.name == "Haider al-Abadi")
    assert row.description == "Iraqi Prime Minister"
    assert row.aliases == ("al-Abadi",)  # pronouns are never aliases
    assert merge_sources([a, b, c, ap]) == rows
    assert all(r.kind in SOURCE_KINDS for r in rows)


def test_merged_kind_prefers_what_a_title_says_over_a_bare_name():
    titled = make_ref("Donald Trump", "politician", None, "President Donald Trump")
    bare = [make_ref("Donald Trump", "person", None, "Trump") for _ in range(3)]
    (row,) = merge_sources([*bare, titled])
    assert row.kind == "politician"
    (row,) = merge_sources(bare)
    assert row.kind == "person"


@pytest.mark.parametrize(
    ("titles", "description", "kind"),
    [
        (("army", "col"), None, "military"),
        ((), "Michigan Attorney General", "official"),  # "General" is no rank here
        (("lt", "gov"), None, "politician"),
        ((), "a former adviser to President Bill Clinton", "official"),  # Clinton's title
        ((), "a professor who worked for Sen. Lamar Alexander", "person"),
        ((), "vice president for defense and foreign policy at the Cato Institute", "official"),
        ((), "a senior vice president in the Boca Raton office of a consulting firm", "official"),
        (("vice", "president"), None, "politician"),  # Vice President Joe Biden
    ],
)
def test_person_kind_reads_civilian_offices_and_only_the_persons_own_titles(
    titles, description, kind
):
    assert person_kind(titles, description) == kind


def test_a_soldier_shares_the_id_of_the_same_name_without_a_rank():
    soldier = make_ref("Ryan Dillon", "military", None, "Army Col. Ryan Dillon", individual=True)
    assert soldier.source_id == make_ref("Ryan Dillon", "person", None, "Dillon").source_id
    coalition = make_ref("US-led coalition", "military", None, "the US-led coalition")
    assert coalition.source_id != make_ref("US-led coalition", "person", None, "x").source_id
