"""Inputs past the model's and the parsers' limits run to the end, rows and offsets intact.

One ``newsledger run`` (a subprocess, as a user runs it) on a 5 MB report, a 2 MB word, a 2 MB
transcript, an entity bomb, a JSON line nested 20,000 deep, lone surrogates, a gzip file named
``.txt``, a gzip bomb and a compressed JSON-lines file.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from long_corpus import build

from pipeline.release import latest
from pipeline.warehouse import Warehouse, connect

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
NEWSLEDGER = Path(sys.executable).parent / "newsledger"


@pytest.fixture(scope="module")
def long_run(tmp_path_factory, gazetteer_path):
    root = tmp_path_factory.mktemp("long")
    expect = build(root)
    env = {
        **os.environ,
        "DAGSTER_HOME": str(root / "dagster_home"),
        "NEWSLEDGER_GAZETTEER": str(gazetteer_path),
    }
    command = [str(NEWSLEDGER), "run", "--input", str(root / "long")]
    command += ["--warehouse", str(root / "w.duckdb"), "--releases", str(root / "releases")]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    con = connect(root / "w.duckdb", read_only=True)
    yield root, expect, done, Warehouse(con)
    con.close()


def test_the_run_ends_with_exit_0_and_names_the_release_it_published(long_run):
    root, _, done, _ = long_run
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert f"release: {latest(root / 'releases')}" in done.stdout


def test_every_record_is_an_article_or_a_rejection_with_its_reason(long_run):
    _, expect, _, wh = long_run
    articles = {uri: "article" for (uri,) in wh.frame("SELECT source_uri FROM articles").rows()}
    rejected = dict(wh.frame("SELECT source_uri, reason FROM rejected").rows())
    assert articles.keys().isdisjoint(rejected)
    assert {**articles, **rejected} == expect
    assert wh.count("quarantine") == 0


def test_long_bodies_are_whole_and_extracted_to_their_end(long_run):
    _, _, _, wh = long_run
    lengths = dict(wh.frame("SELECT source_uri, length(body) FROM articles").rows())
    assert lengths["long/report.txt"] > 4_900_000
    assert lengths["long/word.txt"] == 2_000_000
    last_figure = wh.frame(
        """
        SELECT max(f."end") FROM figures f JOIN articles a USING (article_id)
        WHERE a.source_uri = 'long/report.txt'
        """
    ).item()
    assert last_figure > lengths["long/report.txt"] - 1_000  # windows reach the end


def test_the_transcript_has_its_claims_and_figures_with_exact_offsets(long_run):
    _, _, _, wh = long_run
    body = wh.frame("SELECT body FROM articles WHERE source_uri = 'long/transcript.txt'").item()
    claims = wh.frame(
        """
        SELECT c.* FROM claims c JOIN articles a USING (article_id)
        WHERE a.source_uri = 'long/transcript.txt'
        """
    )
    figures = wh.frame(
        """
        SELECT f.* FROM figures f JOIN articles a USING (article_id)
        WHERE a.source_uri = 'long/transcript.txt'
        """
    )
    # A third of the paragraphs quote the senator (two figures each), a third report what the
    # agency said (one figure); the moderator's are neither ("number 3" is a label).
    quotes, reported = body.count("Senator Jane Smith said"), body.count("The agency said")
    assert claims.height >= quotes + reported
    assert figures.height >= 2 * quotes + reported
    for row in claims.iter_rows(named=True):
        assert body[row["content_start"] : row["content_end"]] == row["content"]
        assert body[row["cue_start"] : row["cue_end"]] == row["cue"]
    for row in figures.iter_rows(named=True):
        assert body[row["start"] : row["end"]] == row["text"]
    quoted = claims.filter(claims["is_direct"])
    assert quoted.height >= quotes
    assert set(quoted["speaker"].unique().to_list()) <= {"Senator Jane Smith", "Jane Smith"}
    # Reported speech, and the moderator's lines as a transcript's "NAME:" claims.
    assert set(claims.filter(~claims["is_direct"])["cue"].to_list()) == {"said", ":"}


def test_no_entity_is_expanded_and_the_page_text_is_kept(long_run):
    _, _, _, wh = long_run
    body = wh.frame("SELECT body FROM articles WHERE source_uri = 'long/bomb.html'").item()
    assert "lollol" not in body
    assert "The council met on Tuesday" in body


def test_lone_surrogates_become_replacement_characters(long_run):
    _, _, _, wh = long_run
    body = wh.frame("SELECT body FROM articles WHERE external_id = 'surrogates'").item()
    assert body.startswith("Lone \ufffd and \ufffd halves.")
