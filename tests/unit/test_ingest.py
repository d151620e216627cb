import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipeline.ids import article_id, content_hash
from pipeline.ingest import Article, Rejection, parse_field_spec, read_articles
from pipeline.ingest.fields import parse_authors, parse_date

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
SEEDS = SAMPLE / "seeds"
SLICE = SAMPLE / "jsonl" / "allsides-slice.jsonl"


def _split(items):
    items = list(items)
    arts = [x for x in items if isinstance(x, Article)]
    rejs = [x for x in items if isinstance(x, Rejection)]
    assert len(arts) + len(rejs) == len(items)
    return arts, rejs


@pytest.fixture(scope="module")
def seeds():
    arts, rejs = _split(read_articles([SEEDS]))
    assert rejs == []
    return {a.external_id[:3]: a for a in arts}


def test_seed_ids_uris_and_hashes(seeds):
    a = seeds["000"]
    assert a.external_id == "000_8a6a88420e78db9b.txt"
    assert a.article_id == article_id("file", "000_8a6a88420e78db9b.txt")
    assert a.source_uri == "seeds/000_8a6a88420e78db9b.txt"
    assert a.content_hash == content_hash(a.body)
    assert a.word_count == len(a.body.split())
    assert a.language == "en"


def test_seed_000_title_once_and_boilerplate_recorded(seeds):
    a = seeds["000"]
    assert a.title == "US Starts Drawing Down Troops from Iraq"
    assert "US Starts Drawing Down Troops from Iraq" not in a.body
    assert a.body.startswith("Earlier Monday, The Associated Press")
    assert "Related Articles" not in a.body
    assert "More news:" not in a.body
    kinds = {r.kind: r.text for r in a.removed}
    assert kinds["repeated_title"] == a.title
    assert kinds["related_links"] == "Related Articles"
    assert kinds["more_news"].startswith("More news: North Korea")


def test_seed_003_caption_credit_and_comment_prompt_gone(seeds):
    a = seeds["003"]
    assert "AP Photo/" not in a.body
    assert "commenting" not in a.body
    # The caption's text stays: it is the seed's only mention of Mosul, Qayara and Bashiqa.
    assert a.body.startswith("U.S. Army soldiers move through Qayara West Coalition base")
    assert "\n\nThe United States has begun to diminish" in a.body
    assert a.body.endswith("epicenter of terrorist activity.")
    assert {r.kind for r in a.removed} == {"photo_credit", "comment_prompt"}
    assert "\u00a0" not in a.body and "\n\n\n" not in a.body
    assert all(p and p == p.strip() for p in a.body.split("\n\n"))


def test_bundled_sample_reads_everything_with_relative_uris():
    arts, rejs = _split(read_articles([SAMPLE], field_map={"text": "content_original"}))
    assert rejs == []
    assert len(arts) == 2 + 10 + 3  # README and LICENSE files are not inputs
    uris = [a.source_uri for a in arts]
    assert uris == sorted(uris, key=lambda u: u.split("#")[0])  # walked in sorted order
    assert all(u.startswith("sample/") and not u.startswith("/") for u in uris)
    assert len({a.article_id for a in arts}) == len(arts)


def test_allsides_slice_with_field_map():
    arts, rejs = _split(read_articles([SLICE], field_map={"text": "content_original"}))
    assert rejs == [] and len(arts) == 10
    first = arts[0]
    assert first.source_uri == "allsides-slice.jsonl#L1"
    assert first.article_id == article_id("allsides-slice.jsonl", first.external_id)
    assert first.outlet == "CNN (Web News)"
    assert first.published_at == datetime(2012, 5, 31, tzinfo=UTC)
    assert first.url.startswith("http://politicalticker")
    assert not first.body.startswith("7 years ago")
    assert "Follow the Ticker on Twitter" not in first.body
    assert arts[2].authors == ("Ann Ravel", "Jared Demarinis", "Hyla Wagner")


def test_record_without_text_field_is_rejected_not_lost(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text('{"id": 1, "title": "T", "words": "w"}\n{"id": 2, "text": "ok"}\n')
    arts, rejs = _split(read_articles([path]))
    assert [a.external_id for a in arts] == ["2"]
    assert [(r.reason, r.external_id) for r in rejs] == [("missing_text_field", "1")]
    assert "words" in rejs[0].detail  # lists the record's fields
    arts, rejs = _split(read_articles([path], field_map={"text": "words"}))
    assert [a.body for a in arts] == ["w", "ok"] and rejs == []


def test_sample_html_pages():
    arts, rejs = _split(read_articles([SAMPLE / "html"]))
    assert rejs == [] and len(arts) == 3
    titan = arts[0]
    assert titan.source_uri == "html/aeb-359fee228518.html"
    assert titan.article_id == article_id("file", "aeb-359fee228518.html")
    assert titan.title.startswith("The First Map of Saturn's Moon Titan")
    assert titan.published_at == datetime(2019, 11, 19, tzinfo=UTC)
    assert "geological map" in titan.body
    assert titan.url and titan.url.startswith("https://www.sciencealert.com/")


def test_json_field_names_and_mapping(tmp_path):
    recs = [
        {
            "ID": 7,
            "headline": "One",
            "body": "Alpha text.",
            "published": "2020-01-02T03:04:05+02:00",
            "outlet": "X",
            "authors": ["A B", "C D"],
            "link": "http://x/1",
        },
        {
            "id": "b",
            "title": "Two",
            "maintext": ["Para one.", "Para two."],
            "source_domain": "y.com",
            "author": "By E F and G H",
            "date_publish": "2020-02-03 04:05:06",
        },
        {"id": "c", "title": "Three", "story_text": "Mapped body.", "date": "not a date"},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in recs) + "\n", encoding="utf-8")
    arts, rejs = _split(read_articles([path], field_map={"text": "story_text"}))
    assert rejs == []
    a, b, c = arts
    assert (a.external_id, a.title, a.body, a.outlet, a.url) == (
        "7",
        "One",
        "Alpha text.",
        "X",
        "http://x/1",
    )
    assert a.authors == ("A B", "C D")
    assert a.published_at == datetime(2020, 1, 2, 1, 4, 5, tzinfo=UTC)
    assert b.body == "Para one.\n\nPara two." and b.outlet == "y.com"
    assert b.authors == ("E F", "G H")
    assert b.published_at == datetime(2020, 2, 3, 4, 5, 6, tzinfo=UTC)
    assert c.body == "Mapped body." and c.published_at is None


def test_json_array_single_object_and_html_record(tmp_path):
    html = (
        "<html><head><title>Page</title></head><body><article><h1>Page</h1>"
        + "<p>This is the main text of a page, long enough to be kept by trafilatura.</p>" * 5
        + "</article></body></html>"
    )
    (tmp_path / "arr.json").write_text(
        json.dumps([{"id": 1, "text": "A."}, {"id": 2, "html": html}])
    )
    (tmp_path / "one.json").write_text(
        json.dumps({"title": "Solo", "content": "Solo body."}, indent=2)
    )
    arts, rejs = _split(read_articles([tmp_path]))
    assert rejs == []
    assert [a.source_uri.split("/")[-1] for a in arts] == ["arr.json#0", "arr.json#1", "one.json"]
    assert "main text of a page" in arts[1].body
    assert arts[2].external_id == "one.json" and arts[2].body == "Solo body."


def test_gold_eval_style_records(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({"id": "g1", "title": "T", "text": "Body.", "toponyms": []}) + "\n")
    (art,) = read_articles([path])
    assert isinstance(art, Article) and art.external_id == "g1" and art.body == "Body."


def test_duplicate_ids_second_rejected(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": 1, "text": "a"}\n{"id": "1", "text": "b"}\n')
    arts, rejs = _split(read_articles([path]))
    assert [a.body for a in arts] == ["a"]
    assert [(r.reason, r.source_uri, r.external_id) for r in rejs] == [
        ("duplicate_id", "d.jsonl#L2", "1")
    ]


def test_missing_path_and_unsupported_file(tmp_path):
    (tmp_path / "notes.md").write_text("hi")
    items = list(read_articles([tmp_path / "nope.txt", tmp_path / "notes.md"]))
    assert [(r.reason, r.source_uri) for r in items] == [
        ("unreadable", "nope.txt"),
        ("unsupported_type", "notes.md"),
    ]


def test_ids_do_not_depend_on_the_folder(tmp_path):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "x.txt").write_text("Title\n\nBody.")
    a1 = next(read_articles([tmp_path / "a"]))
    a2 = next(read_articles([tmp_path / "b"]))
    assert a1.article_id == a2.article_id and a1.source_uri == "a/x.txt"


def test_field_spec_and_helpers():
    assert parse_field_spec(["text=content_original", "body=x"]) == {"text": "x"}
    with pytest.raises(ValueError):
        parse_field_spec(["nonsense"])
    with pytest.raises(ValueError):
        list(read_articles([], field_map={"colour": "x"}))
    assert parse_authors("Ann Ravel, Jared Demarinis, Hyla Wagner") == (
        "Ann Ravel",
        "Jared Demarinis",
        "Hyla Wagner",
    )
    assert parse_authors([{"name": "A"}, "B", 3]) == ("A", "B")
    assert parse_date("2012-05-31") == datetime(2012, 5, 31, tzinfo=UTC)
    assert parse_date("Thu, 31 May 2012 10:00:00 -0400") == datetime(2012, 5, 31, 14, tzinfo=UTC)
    assert parse_date("May 31, 2012") == datetime(2012, 5, 31, tzinfo=UTC)
    assert parse_date(1338422400) == datetime(2012, 5, 31, tzinfo=UTC)
    assert parse_date("soon") is None and parse_date(True) is None


def test_compressed_inputs_are_read_by_their_bytes_whatever_their_name(tmp_path):
    import bz2
    import gzip
    import lzma

    from pipeline.ingest import Article, Rejection, read_articles

    (tmp_path / "page.txt").write_bytes(gzip.compress(b"Zipped title\n\nA zipped body."))
    lines = b'{"id": "a", "text": "First."}\n{"id": "b", "text": "Second."}\n'
    (tmp_path / "crawl.jsonl.gz").write_bytes(gzip.compress(lines))
    (tmp_path / "quotes.json.bz2").write_bytes(bz2.compress(b'[{"id": "q", "text": "Q."}]'))
    (tmp_path / "x.txt.xz").write_bytes(lzma.compress(b"Xz title\n\nXz body."))
    (tmp_path / "bomb.jsonl.gz").write_bytes(gzip.compress(b" " * 30_000_000))
    (tmp_path / "corrupt.txt").write_bytes(b"\x1f\x8b\x08\x00" + b"not really gzip")
    got = {
        item.source_uri: item.body if isinstance(item, Article) else item.reason
        for item in read_articles([tmp_path], max_bytes=100_000)
        if isinstance(item, Article | Rejection)
    }
    folder = tmp_path.name
    assert got == {
        f"{folder}/bomb.jsonl.gz": "too_large",
        f"{folder}/corrupt.txt": "unreadable",
        f"{folder}/crawl.jsonl.gz#L1": "First.",
        f"{folder}/crawl.jsonl.gz#L2": "Second.",
        f"{folder}/page.txt": "A zipped body.",
        f"{folder}/quotes.json.bz2#0": "Q.",
        f"{folder}/x.txt.xz": "Xz body.",
    }


def test_an_html_entity_bomb_is_a_page_whose_entities_stay_unexpanded():
    from pipeline.ingest.html import extract_html

    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY a{n} "' + f"&a{'' if n == 1 else n - 1};" * 10 + '">' for n in range(1, 9)
    )
    paragraph = "<p>The council met on Tuesday to discuss the budget for next year. &a8;</p>"
    page = (
        f"<!DOCTYPE html [{entities}]><html><body><article>{paragraph * 5}</article></body></html>"
    )
    text = extract_html(page).text
    assert "The council met on Tuesday" in text
    assert "aaaaaaaaaaaaaaaaaaaa" not in text
