"""The pass reads each chunk's articles with their cached docs, parse errors and claims."""

from pipeline import articles, nlp
from pipeline.articles import PassStage
from pipeline.warehouse import Warehouse
from pipeline.warehouse_connect import connect
from pipeline.work import StageSpec


def _article(con, article_id: str, content_hash: str, body: str) -> None:
    con.execute(
        """
        INSERT INTO articles (article_id, external_id, source_uri, outlet, authors, body,
                              word_count, content_hash)
        VALUES (?, ?, 'test', 'Outlet ' || ?, [], ?, 1, ?)
        """,
        [article_id, article_id, article_id, body, content_hash],
    )


def _claim(con, claim_id: str, article_id: str, start: int, end: int) -> None:
    con.execute(
        """
        INSERT INTO claims (claim_id, article_id, cue, cue_start, cue_end, content,
                            content_start, content_end, is_direct)
        VALUES (?, ?, 'said', 0, 4, 'x', ?, ?, false)
        """,
        [claim_id, article_id, start, end],
    )


def test_work_reads_each_articles_doc_parse_error_and_claims(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    warehouse = Warehouse(con)
    model = nlp.model_name()
    _article(con, "a1", "h1", "First body.")
    _article(con, "a2", "h2", "Second body.")
    _article(con, "a3", "h3", "Third body.")
    _article(con, "a4", "h1", "First body.")  # a copy of a1's body shares its doc
    _article(con, "a5", "h5", "Fifth body.")
    con.execute("INSERT INTO nlp_docs VALUES ('h1', ?, '\\x01'::BLOB)", [model])
    con.execute("INSERT INTO nlp_docs VALUES ('h3', 'another model', '\\x03'::BLOB)")
    con.execute(
        """
        INSERT INTO quarantine VALUES
          ('a2', 'nlp', 'h2', ?, 'ValueError', 'bad body'),
          ('a5', 'nlp', 'an older body', ?, 'ValueError', 'stale'),
          ('a3', 'claims', 'h3', 'v', 'KeyError', 'not a parse error')
        """,
        [model, model],
    )
    _claim(con, "c2", "a1", 10, 20)
    _claim(con, "c1", "a1", 0, 5)
    _claim(con, "c3", "a3", 1, 2)
    stages = [PassStage(StageSpec("claims", ("claims",), lambda *a: {}), "v")]
    chunk = warehouse.frame(
        "SELECT article_id, content_hash, ['claims'] AS stages FROM articles "
        "WHERE article_id <> 'a3' ORDER BY article_id"
    )

    work = {w.article_id: w for w in articles._work(warehouse, chunk, stages, needs_claims=True)}

    assert list(work) == ["a1", "a2", "a4", "a5"]
    assert work["a1"].blob == b"\x01" and work["a4"].blob == b"\x01"
    assert work["a2"].blob is None and work["a2"].parse_error == "bad body"
    assert work["a5"].blob is None and work["a5"].parse_error is None  # its body changed since
    assert work["a1"].body == "First body." and work["a1"].outlet == "Outlet a1"
    assert [(c.claim_id, c.start, c.end) for c in work["a1"].claims] == [
        ("c1", 0, 5),
        ("c2", 10, 20),
    ]
    assert work["a2"].claims == () and work["a1"].stages == ("claims",)
    chunk3 = warehouse.frame(
        "SELECT article_id, content_hash, ['claims'] AS stages FROM articles "
        "WHERE article_id = 'a3'"
    )
    (a3,) = articles._work(warehouse, chunk3, stages, needs_claims=False)
    assert a3.blob is None and a3.parse_error is None and a3.claims == ()
    con.close()
