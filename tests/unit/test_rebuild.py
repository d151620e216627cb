"""Corpus-wide stages are skipped when what they read and wrote is unchanged (no Dagster)."""

from datetime import UTC, datetime, timedelta

import polars as pl
import pytest

from pipeline.across import stages
from pipeline.across.duplicates import DuplicateSettings
from pipeline.ids import content_hash
from pipeline.stages import SOURCES_COLUMNS, build_sources
from pipeline.tables import to_frame
from pipeline.warehouse import Warehouse, connect

DAY = datetime(2018, 2, 5, tzinfo=UTC)
IRAQ = (
    "The United States has begun to diminish its military presence in Iraq in response to "
    "Baghdad's declaration of victory over the Islamic State. Saad al-Hadithi, a spokesman for "
    "the Iraqi government, said the battle against Daesh has ended and so the level of the "
    "American presence will be reduced. Dozens of soldiers have been transported from Iraq to "
    "Afghanistan on daily flights in the past week, along with weapons and equipment."
)
TITAN = (
    "Scientists publish the first geological map of Titan, the largest moon of Saturn, using "
    "radar images from the Cassini mission; lakes of methane cover its polar regions."
)

#: The across stages in the order the job runs them, with what they read and write.
ACROSS = (
    (stages.mark_duplicates, stages.DUPLICATES_COLUMNS),
    (stages.build_stories, stages.STORIES_COLUMNS),
    (stages.build_claim_groups, stages.CLAIM_GROUPS_COLUMNS),
    (stages.build_figure_conflicts, stages.FIGURE_CONFLICTS_COLUMNS),
)
CORPUS_TABLES = ("articles", "stories", "claim_groups", "figure_conflicts", "sources")


def _article(article_id, body, *, hours=0, title="Troops leave Iraq", outlet="AP"):
    return {
        "article_id": article_id,
        "external_id": article_id,
        "source_uri": f"{article_id}.txt",
        "outlet": outlet,
        "title": title,
        "authors": [],
        "published_at": DAY + timedelta(hours=hours),
        "body": body,
        "word_count": len(body.split()),
        "content_hash": content_hash(body),
    }


DRAWDOWN = "US troops drawdown Iraq Afghanistan redeploy coalition Islamic State defeat"


def _corpus():
    return [
        _article("a_1", IRAQ),
        _article("a_2", IRAQ.replace("daily", "regular"), hours=3, outlet="Reuters"),
        _article("a_3", TITAN, title="Titan mapped"),
        _article("a_4", DRAWDOWN + " Baghdad spokesman", title="US draws down troops in Iraq"),
        _article("a_5", DRAWDOWN + " contractors said", hours=6, outlet="Reuters"),
    ]


def _upsert(wh, rows):
    return wh.upsert_articles(to_frame("articles", rows), to_frame("boilerplate", []))


def _mention(claim_id, name):
    return {
        "claim_id": claim_id,
        "role": "speaker",
        "article_id": "a_1",
        "source_id": "s_" + name.lower().replace(" ", "_"),
        "name": name,
        "kind": "person",
        "surface": name,
    }


@pytest.fixture
def warehouse(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    wh = Warehouse(con)
    _upsert(wh, _corpus())
    yield wh
    con.close()


def _run_all(wh):
    return {report.stage: report for report in (stage(wh) for stage, _ in ACROSS)}


def _tables(wh):
    return {name: wh.table(name) for name in CORPUS_TABLES}


def test_fingerprint_follows_the_listed_columns_and_not_row_order(tmp_path):
    columns = {"articles": ("article_id", "body", "published_at")}
    prints = []
    for name, rows in (("forward", _corpus()), ("backward", _corpus()[::-1])):
        con = connect(tmp_path / f"{name}.duckdb")
        wh = Warehouse(con)
        _upsert(wh, rows)
        prints.append(wh.fingerprint(columns, "v1"))
        wh.con.execute("UPDATE articles SET outlet = 'elsewhere'")  # not listed
        prints.append(wh.fingerprint(columns, "v1"))
        wh.con.execute("UPDATE articles SET body = body || ' ' WHERE article_id = 'a_2'")
        prints.append(wh.fingerprint(columns, "v1"))
        prints.append(wh.fingerprint(columns, "v2"))
        con.close()
    assert prints[0] == prints[1] == prints[4] == prints[5]
    assert len({prints[1], prints[2], prints[3]}) == 3
    assert prints[2:4] == prints[6:8]


def test_fingerprint_tells_null_from_empty_and_column_from_column(warehouse):
    columns = {"articles": ("article_id", "url", "language")}
    before = warehouse.fingerprint(columns)
    warehouse.con.execute("UPDATE articles SET url = '' WHERE article_id = 'a_1'")
    empty = warehouse.fingerprint(columns)
    warehouse.con.execute("UPDATE articles SET url = NULL, language = '' WHERE article_id = 'a_1'")
    other_column = warehouse.fingerprint(columns)
    assert len({before, empty, other_column}) == 3


def test_unchanged_rerun_skips_every_stage_and_reports_the_last_result(warehouse):
    first = _run_all(warehouse)
    after_first = _tables(warehouse)
    second = _run_all(warehouse)
    assert all(report.recomputed for report in first.values())
    assert first["stories"].rows >= 1
    assert not any(report.recomputed for report in second.values())
    for stage, report in second.items():
        assert (report.rows, report.details) == (first[stage].rows, first[stage].details)
        assert report.changed == 0
        assert report.fingerprint == first[stage].fingerprint
    assert first["duplicates"].rows == 1  # a_2 is a near copy of a_1
    for name, frame in _tables(warehouse).items():
        assert frame.equals(after_first[name]), name


def test_skipped_stages_hold_what_a_full_rebuild_writes(warehouse):
    _run_all(warehouse)
    _run_all(warehouse)
    skipped = _tables(warehouse)
    warehouse.con.execute("DELETE FROM stage_runs")  # forget every fingerprint: all rebuild
    rebuilt = _run_all(warehouse)
    assert all(report.recomputed for report in rebuilt.values())
    for name, frame in _tables(warehouse).items():
        assert frame.equals(skipped[name]), name


def test_a_changed_article_rebuilds_the_stages_that_read_it(warehouse):
    _run_all(warehouse)
    changed = _corpus()
    other = "Flooding closed the coastal highway on Monday; crews expect to reopen it by Friday."
    changed[1] = _article("a_2", other, hours=3, outlet="Reuters")  # no longer a copy
    assert _upsert(warehouse, changed).changed == 1
    reports = _run_all(warehouse)
    assert reports["duplicates"].recomputed and reports["duplicates"].rows == 0
    assert all(report.recomputed for report in reports.values())
    assert warehouse.frame("SELECT count(duplicate_of) AS n FROM articles")["n"][0] == 0


def test_an_article_column_no_stage_reads_changes_nothing(warehouse):
    _run_all(warehouse)
    warehouse.con.execute("UPDATE articles SET url = 'https://example.org/', language = 'en'")
    assert not any(report.recomputed for report in _run_all(warehouse).values())


def test_rows_changed_behind_a_stage_are_rebuilt(warehouse):
    _run_all(warehouse)
    expected = _tables(warehouse)
    warehouse.con.execute("UPDATE articles SET duplicate_of = NULL")
    warehouse.con.execute("DELETE FROM stories")
    reports = _run_all(warehouse)
    assert reports["duplicates"].recomputed and reports["duplicates"].changed == 1
    assert reports["stories"].recomputed
    for name, frame in _tables(warehouse).items():
        assert frame.equals(expected[name]), name


def test_new_settings_rebuild_the_stage(warehouse):
    stages.mark_duplicates(warehouse)
    assert not stages.mark_duplicates(warehouse).recomputed
    strict = stages.mark_duplicates(warehouse, DuplicateSettings(threshold=0.99, containment=1.0))
    assert strict.recomputed


def test_a_failed_build_writes_nothing_and_the_next_run_rebuilds(warehouse):
    def build():
        warehouse.replace_table("stories", pl.DataFrame())  # would empty the table
        warehouse.set_article_column(
            "duplicate_of", pl.DataFrame({"article_id": ["a_2"], "value": ["a_1"]})
        )
        raise RuntimeError("killed mid-write")

    with pytest.raises(RuntimeError):
        warehouse.rebuild("duplicates", stages.DUPLICATES_COLUMNS, "v", build)
    assert warehouse.last_run("duplicates") is None
    assert warehouse.frame("SELECT count(duplicate_of) AS n FROM articles")["n"][0] == 0
    assert stages.mark_duplicates(warehouse).recomputed


#: A new value for every article column, as SQL.
ARTICLE_CHANGES = {
    "external_id": "'other'",
    "source_uri": "'elsewhere.txt'",
    "outlet": "NULL",
    "url": "'https://example.org/'",
    "title": "'A different headline'",
    "authors": "['Someone Else']",
    "published_at": "published_at + INTERVAL 3 DAY",
    "language": "'fr'",
    "body": "body || ' Extra words at the end of the body change its shingles.'",
    "word_count": "0",
    "content_hash": "'0'",
}


@pytest.mark.parametrize(("stage", "columns"), ACROSS, ids=lambda x: getattr(x, "__name__", ""))
def test_undeclared_article_columns_do_not_change_the_stage_result(tmp_path, stage, columns):
    """A stage's ``*_COLUMNS`` map is complete: changing any other column changes nothing."""
    con = connect(tmp_path / "w.duckdb")
    wh = Warehouse(con)
    _upsert(wh, _corpus())
    _run_all(wh)
    expected = _tables(wh)
    read = set(columns["articles"])
    changes = [f'"{c}" = {v}' for c, v in ARTICLE_CHANGES.items() if c not in read]
    wh.con.execute(f"UPDATE articles SET {', '.join(changes)}")
    wh.con.execute("DELETE FROM stage_runs")
    assert stage(wh).recomputed
    written = _tables(wh)
    con.close()
    for name in CORPUS_TABLES[1:]:
        assert written[name].equals(expected[name]), name
    derived = ["article_id", "duplicate_of", "story_id"]
    assert written["articles"].select(derived).equals(expected["articles"].select(derived))


def test_sources_are_skipped_until_a_mention_changes(warehouse):
    def store(mentions):
        warehouse.replace_table("source_mentions", to_frame("source_mentions", mentions))

    store([_mention("c_1", "Saad al-Hadithi")])
    first = build_sources(warehouse)
    assert first.recomputed and first.report == {"rows": 1}
    assert not build_sources(warehouse).recomputed
    store([_mention("c_1", "Saad al-Hadithi"), _mention("c_2", "Omar Haddad")])
    again = build_sources(warehouse)
    assert again.recomputed and again.report == {"rows": 2}
    assert warehouse.count("sources") == 2
    assert set(SOURCES_COLUMNS) == {"source_mentions", "sources"}
