"""Every hostile record is accounted for, nothing crashes, nothing foreign leaks into bodies."""

import json
import re
import sys
from pathlib import Path

import ftfy
from hostile_corpus import MAX_BYTES, SECRET

from pipeline.ingest import Article, Rejection, read_articles
from pipeline.ingest.decode import decode_bytes


def _read(root: Path):
    return list(read_articles([root], max_bytes=MAX_BYTES))


def test_every_record_accounted_for(hostile):
    root, expect = hostile
    items = _read(root)
    got = {x.source_uri: "article" if isinstance(x, Article) else x.reason for x in items}
    assert len(got) == len(items), "one outcome per record, each under its own source_uri"
    assert set(got) == set(expect)
    wrong = {
        uri: (got[uri], want) for uri, want in expect.items() if got[uri] not in want.split("|")
    }
    assert wrong == {}


def test_rejections_are_explained(hostile):
    for item in _read(hostile[0]):
        if isinstance(item, Rejection):
            assert re.fullmatch(r"[a-z_]+", item.reason)
            assert item.detail and len(item.detail) < 1000


def test_source_uris_are_relative_and_deterministic(hostile):
    first, second = _read(hostile[0]), _read(hostile[0])
    assert first == second
    for item in first:
        assert item.source_uri.startswith("hostile/")
        assert str(hostile[0].parent) not in item.source_uri
        assert ".." not in Path(item.source_uri.split("#")[0]).parts


def test_bodies_are_clean_and_hold_only_input_text(hostile):
    root, _ = hostile
    arts = {a.source_uri: a for a in _read(root) if isinstance(a, Article)}
    for uri, art in arts.items():
        assert SECRET not in art.body
        assert "\x00" not in art.body and "\ufffd" not in art.body
        assert not re.search(r"[\x01-\x08\x0b-\x1f\x7f-\x9f]", art.body)
        assert "\n\n\n" not in art.body and art.body == art.body.strip()
        # Every body word occurs in the (decoded, repaired) input record.
        body_words = set(re.findall(r"\w+", art.body.lower()))
        source_words = set(re.findall(r"\w+", _source_text(root.parent, uri).lower()))
        assert body_words <= source_words, (uri, body_words - source_words)


def _strings(value) -> str:
    if isinstance(value, dict):
        return " ".join(_strings(v) for v in value.values())
    if isinstance(value, list):
        return " ".join(_strings(v) for v in value)
    return value if isinstance(value, str) else ""


def _source_text(base: Path, uri: str) -> str:
    """The input text of one record, decoded, repaired and with NULs joined up."""
    path, _, frag = uri.partition("#")
    raw = (base / path).read_bytes()
    if frag.startswith("L"):
        line = raw.split(b"\n")[int(frag[1:]) - 1].replace(b"\x00", b"")
        source = _strings(json.loads(decode_bytes(line).text.lstrip("\ufeff")))
    elif frag:
        source = _strings(json.loads(raw)[int(frag)])
    else:
        source = decode_bytes(raw).text
    source = source.replace("\x00", "")
    return source + " " + ftfy.fix_text(source)


def test_repairs(hostile):
    arts = {
        a.source_uri.removeprefix("hostile/"): a
        for a in _read(hostile[0])
        if isinstance(a, Article)
    }
    assert "“Quoted” text — naïve café." in arts["cp1252.txt"].body
    assert arts["cp1252.txt"].title == "Café news"
    assert "Señor Müller" in arts["latin1.txt"].body
    assert arts["mojibake.txt"].body == "It’s broken – fixed."
    assert arts["nul.txt"].body == "Body with a NUL."
    assert arts["utf16.txt"].body == "Sixteen bits body."
    assert "Café crème." in arts["latin1.htm"].body
    assert arts["records.jsonl#L14"].body == "ab c"
    assert arts["records.jsonl#L16"].body == "Café “ok”"
    assert arts["records.jsonl#L17"].body == "It’s"
    assert arts["records.jsonl#L22"].external_id == "records.jsonl#L22"


def test_deep_html_does_not_hit_the_recursion_limit(hostile):
    limit = sys.getrecursionlimit()
    items = list(read_articles([hostile[0] / "deep.html"], max_bytes=MAX_BYTES))
    assert len(items) == 1 and sys.getrecursionlimit() == limit
