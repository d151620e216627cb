"""A passing and a failing frame for every contract."""

from datetime import UTC, datetime

import polars as pl
import pytest

from contracts.checks import check_table, check_warehouse_table, related_tables
from contracts.models import MODELS
from pipeline.tables import SCHEMAS, to_frame
from pipeline.warehouse import Warehouse, connect

BODY = "Over 5,000 U.S. troops are in Mosul, Col. Ryan Dillon said."


def _article(**overrides):
    row = {
        "article_id": "a_1",
        "external_id": "x.txt",
        "source_uri": "seeds/x.txt",
        "outlet": None,
        "url": None,
        "title": "Title",
        "authors": [],
        "published_at": datetime(2017, 2, 6, tzinfo=UTC),
        "language": "en",
        "body": BODY,
        "word_count": 11,
        "content_hash": "0" * 64,
        "duplicate_of": None,
        "story_id": None,
    }
    return {**row, **overrides}


def _span(text):
    start = BODY.index(text)
    return start, start + len(text)


VALID = {
    "articles": [_article(), _article(article_id="a_2", external_id="y.txt", duplicate_of="a_1")],
    "quarantine": [
        {
            "article_id": "a_1",
            "stage": "figures",
            "content_hash": "0" * 64,
            "code_version": "abc123+en_core_web_sm-3.8.0",
            "error_class": "ValueError",
            "message": "could not convert string to float: 'x'",
        }
    ],
    "rejected": [
        {
            "rejection_id": "r_1",
            "source_uri": "x.jsonl#L3",
            "external_id": None,
            "reason": "invalid_json",
            "detail": "line 3 is not JSON",
        }
    ],
    "sources": [
        {
            "source_id": "s_1",
            "name": "Ryan Dillon",
            "kind": "military",
            "description": "a spokesman",
            "aliases": ["Col. Ryan Dillon"],
            "same_as": None,
        }
    ],
    "claims": [
        {
            "claim_id": "c_1",
            "article_id": "a_1",
            "source_id": "s_1",
            "speaker": "Col. Ryan Dillon",
            "speaker_start": _span("Col. Ryan Dillon")[0],
            "speaker_end": _span("Col. Ryan Dillon")[1],
            "cue": "said",
            "cue_start": _span("said")[0],
            "cue_end": _span("said")[1],
            "content": "Over 5,000 U.S. troops are in Mosul",
            "content_start": 0,
            "content_end": _span("Over 5,000 U.S. troops are in Mosul")[1],
            "is_direct": False,
            "via_source_id": None,
            "method": "rules",
        }
    ],
    "figures": [
        {
            "figure_id": "f_1",
            "article_id": "a_1",
            "claim_id": "c_1",
            "text": "Over 5,000",
            "start": 0,
            "end": 10,
            "value": 5000.0,
            "value_low": None,
            "value_high": None,
            "change": ">",
            "unit": "troop",
            "kind": "count",
            "counted": "U.S. troops",
            "frame_counted": "u.s. troop",
            "frame_event": "deploy",
            "frame_holder": None,
            "frame_place": "Iraq",
            "frame_time": None,
            "frame_role": "total",
        }
    ],
    "locations": [
        {
            "location_id": "l_1",
            "article_id": "a_1",
            "text": "Mosul",
            "start": _span("Mosul")[0],
            "end": _span("Mosul")[1],
            "geonameid": 99072,
            "name": "Mosul",
            "feature_code": "PPLA",
            "country_code": "IQ",
            "admin1": "Nineveh",
            "latitude": 36.335,
            "longitude": 43.119,
            "confidence": 0.9,
            "mention": "name",
        }
    ],
    "stories": [
        {
            "story_id": "st_1",
            "label": "Title",
            "first_published": datetime(2017, 2, 6, tzinfo=UTC),
            "last_published": datetime(2017, 2, 7, tzinfo=UTC),
            "article_count": 2,
            "outlet_count": 1,
            "outlets": ["AP"],
        }
    ],
    "claim_groups": [
        {
            "claim_group_id": "g_1",
            "claim_id": "c_1",
            "article_id": "a_1",
            "source_id": "s_1",
            "via_source_id": None,
            "is_representative": True,
            "similarity": 1.0,
            "from_duplicate": False,
        }
    ],
    "figure_conflicts": [
        {
            "conflict_id": "x_1",
            "story_id": "st_1",
            "counted": "us troop",
            "figure_id_a": "f_1",
            "article_id_a": "a_1",
            "source_id_a": "s_1",
            "text_a": "Over 5,000",
            "value_a": 5000.0,
            "low_a": 5000.0,
            "high_a": None,
            "figure_id_b": "f_1",
            "article_id_b": "a_2",
            "source_id_b": None,
            "text_b": "about 4,000",
            "value_b": 4000.0,
            "low_b": 3600.0,
            "high_b": 4400.0,
            "frame_a": "u.s. troop · deploy · in Iraq · at publication · total",
            "frame_b": "troop · deploy · in Iraq · at publication · total",
            "frame_match": "fuzzy",
            "reason": "(5000, inf) and [3600, 4400] do not overlap",
        }
    ],
}

#: One way to break each contract.
BROKEN = {
    "articles": {"content_hash": "short"},
    "rejected": {"detail": None},
    "quarantine": {"stage": "spellcheck"},
    "sources": {"kind": "alien"},
    "claims": {"speaker_end": None},  # start set, end missing
    "figures": {"change": "maybe"},
    "locations": {"latitude": 123.0},
    "stories": {"article_count": 1},
    "claim_groups": {"is_representative": False},
    "figure_conflicts": {"article_id_b": "a_1"},
}


def _frames(table, rows):
    related = {name: to_frame(name, VALID[name]) for name in ("articles", "sources", "claims")}
    return to_frame(table, rows), related


@pytest.mark.parametrize("table", sorted(MODELS))
def test_valid_frame_passes(table):
    frame, related = _frames(table, VALID[table])
    result = check_table(table, frame, related)
    assert result.passed, result.problems


@pytest.mark.parametrize("table", sorted(MODELS))
def test_broken_frame_fails(table):
    frame, related = _frames(table, [{**VALID[table][0], **BROKEN[table]}])
    assert not check_table(table, frame, related).passed


@pytest.mark.parametrize("table", ["claims", "figures", "locations"])
def test_offsets_must_match_body(table):
    row = dict(VALID[table][0])
    if table == "claims":
        row["content_end"] -= 1
    else:
        row["start"] += 1
    frame, related = _frames(table, [row])
    result = check_table(table, frame, related)
    assert any("body[" in problem for problem in result.problems)


@pytest.mark.parametrize(
    ("table", "change"),
    [("figures", {"frame_role": "guess"}), ("figure_conflicts", {"frame_match": "maybe"})],
)
def test_frame_vocabularies_are_closed(table, change):
    frame, related = _frames(table, [{**VALID[table][0], **change}])
    assert not check_table(table, frame, related).passed


def test_dangling_keys_fail():
    frame, related = _frames("figures", [{**VALID["figures"][0], "claim_id": "c_missing"}])
    result = check_table("figures", frame, related)
    assert any("claim_id" in problem for problem in result.problems)


def test_sources_must_cover_every_cited_source():
    claims = to_frame("claims", [{**VALID["claims"][0], "via_source_id": "s_unknown"}])
    result = check_table("sources", to_frame("sources", VALID["sources"]), {"claims": claims})
    assert any("via_source_id" in problem for problem in result.problems)


def test_a_surname_source_points_only_to_a_source_that_exists():
    assert related_tables("sources") == ("claims", "sources")  # the warehouse passes both
    claims = to_frame("claims", VALID["claims"])
    linked = to_frame("sources", [{**VALID["sources"][0], "same_as": "s_1"}])  # key exists
    assert check_table("sources", linked, {"claims": claims, "sources": linked}).passed
    dangling = to_frame("sources", [{**VALID["sources"][0], "same_as": "s_missing"}])
    result = check_table("sources", dangling, {"claims": claims, "sources": dangling})
    assert any("same_as" in problem for problem in result.problems)


def test_strict_rejects_unknown_columns():
    frame = to_frame("articles", VALID["articles"]).with_columns(extra=pl.lit(1))
    assert not check_table("articles", frame).passed


@pytest.mark.parametrize("table", sorted(MODELS))
def test_contract_matches_warehouse_schema(table):
    contract = MODELS[table].to_schema().columns
    assert set(contract) == set(SCHEMAS[table])
    for name, dtype in SCHEMAS[table].items():
        assert str(contract[name].dtype) == str(pl.DataFrame(schema={name: dtype}).schema[name])


@pytest.fixture
def filled_warehouse(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    wh = Warehouse(con)
    for table in ("articles", "sources", "claims"):
        wh.replace_table(table, to_frame(table, VALID[table]))
    yield wh
    con.close()


def test_a_pass_is_reused_only_on_identical_data(filled_warehouse):
    wh = filled_warehouse
    first, again = check_warehouse_table(wh, "claims"), check_warehouse_table(wh, "claims")
    assert (first.passed, first.reused) == (True, False)
    assert (again.passed, again.reused, again.rows) == (True, True, first.rows)
    # A table the contract reads (articles, for the spans) changed: checked anew.
    wh.con.execute("UPDATE articles SET title = 'Another title'")
    changed = check_warehouse_table(wh, "claims")
    assert (changed.passed, changed.reused) == (True, False)


def test_a_failure_is_never_reused(filled_warehouse):
    wh = filled_warehouse
    assert check_warehouse_table(wh, "claims").passed
    wh.con.execute("UPDATE claims SET content = 'edited by hand'")
    for _ in range(2):
        result = check_warehouse_table(wh, "claims")
        assert (result.passed, result.reused) == (False, False)
        assert any("edited by hand" in problem for problem in result.problems)
