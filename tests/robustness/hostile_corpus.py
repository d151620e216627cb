"""A generated corpus of hostile inputs, with the outcome every record must get.

``build(root)`` writes the files under ``root/hostile`` and returns ``{source_uri: outcome}``
where outcome is "article" or the rejection reason. Inputs are deterministic (no randomness).
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import json
from pathlib import Path

MAX_BYTES = 50_000  # the cap the tests read with
SECRET = "CANARY-SECRET-7f3a"  # must never reach a body (external entities, other files)

PARAGRAPH = (
    "The council met on Tuesday to discuss the budget for the coming year, "
    "and members agreed to publish the minutes next week."
)
HTML_ARTICLE = (
    "<html><head><meta charset='{charset}'><title>Council budget</title></head><body>"
    "<nav><a href='/'>Home</a></nav><article><h1>Council budget</h1>"
    + f"<p>{PARAGRAPH}</p>" * 6
    + "<p>{extra}</p></article><footer>Contact us</footer></body></html>"
)


def _noise(n: int) -> bytes:
    out = bytearray()
    seed = b"newsledger"
    while len(out) < n:
        seed = hashlib.sha256(seed).digest()
        out += seed
    return bytes(out[:n])


def build(root: Path) -> dict[str, str]:
    """Write the hostile corpus under ``root / "hostile"``; return the expected outcomes."""
    base = root / "hostile"
    (base / "sub" / "deeper").mkdir(parents=True)
    (root / "secret.txt").write_text(SECRET)
    expect: dict[str, str] = {}

    def put(name: str, data: bytes, outcome: str | None) -> None:
        (base / name).write_bytes(data)
        if outcome is not None:
            expect[f"hostile/{name}"] = outcome

    # Plain text.
    put("empty.txt", b"", "empty")
    put("blank.txt", b"  \n\n\t \n", "empty")
    put("nuls_only.txt", b"\x00" * 64, "empty")
    put("binary.txt", b"\x89PNG\r\n\x1a\n" + _noise(2000), "binary")
    put("noise.txt", _noise(4000), "binary")
    put(
        "cp1252.txt",
        "Caf\u00e9 news\n\n\u201cQuoted\u201d text \u2014 na\u00efve caf\u00e9.\n".encode("cp1252"),
        "article",
    )
    put("latin1.txt", b"Ol\xe9\n\nSe\xf1or M\xfcller paid \x81 5\xa3 today.\n", "article")
    put(
        "mojibake.txt",
        "Mojibake\n\nIt\u00e2\u20ac\u2122s broken \u00e2\u20ac\u201c fixed.\n".encode("utf-8"),
        "article",
    )
    put("nul.txt", b"Nul title\n\nBo\x00dy with a\x00 NUL.\n", "article")
    put(
        "utf16.txt",
        codecs.BOM_UTF16_LE + "UTF-16 title\n\nSixteen bits body.\n".encode("utf-16-le"),
        "article",
    )
    put("title_only.txt", b"Just a title\n\n\n", "no_body")
    put("boilerplate_only.txt", b"Title\n\nAdvertisement\n\nRelated Articles\n", "no_body")
    put("big.txt", b"Big\n\n" + (PARAGRAPH.encode() + b"\n\n") * 500, "too_large")
    put("weird name \u00fc ..x.txt".encode().decode(), b"Odd name\n\nBody.\n", "article")
    put("ignored.md", b"# not an input", None)
    put(".hidden.txt", b"Hidden\n\nNot read.\n", None)

    # HTML.
    put("good.html", HTML_ARTICLE.format(charset="utf-8", extra="Fin.").encode(), "article")
    put(
        "latin1.htm",
        HTML_ARTICLE.format(charset="iso-8859-1", extra="Caf\u00e9 cr\u00e8me.").encode("latin-1"),
        "article",
    )
    put("nomain.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no_main_text")
    put("empty.html", b"", "empty")
    # A gzip header on noise: compressed inputs are decompressed, and this one is corrupt.
    put("binary.html", b"\x1f\x8b" + _noise(500), "unreadable")
    # 4,000 levels: far past lxml's depth limit and Python's recursion limit, under the cap.
    deep = b"<html><body>" + b"<div>" * 4000 + PARAGRAPH.encode() * 3 + b"</div>" * 4000
    put("deep.html", deep, "no_main_text|article")
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{root}/secret.txt">]>'
        "<html><body><article>" + f"<p>{PARAGRAPH} &xxe;</p>" * 6 + "</article></body></html>"
    )
    put("xxe.html", xxe.encode(), "article")
    put(
        "sub/deeper/nested.htm",
        HTML_ARTICLE.format(charset="utf-8", extra="Nested.").encode(),
        "article",
    )

    # JSON lines: one outcome per line.
    good = {"id": "g1", "title": "Good", "text": PARAGRAPH}
    lines: list[tuple[bytes, str | None]] = [
        (json.dumps(good).encode(), "article"),
        (b'{"id": "broken", "text": ', "invalid_json"),
        (b"", None),
        (b"   ", None),
        (b"[1, 2]", "not_an_object"),
        (b'"just a string"', "not_an_object"),
        (json.dumps({"id": "m", "title": "No text"}).encode(), "missing_text_field"),
        (json.dumps({"id": "n", "text": None}).encode(), "missing_text_field"),
        (json.dumps({"id": "d", "text": {"a": 1}}).encode(), "non_text_field"),
        (json.dumps({"id": "num", "text": 42}).encode(), "non_text_field"),
        (json.dumps({"id": ["x"], "text": "list id"}).encode(), "non_text_field"),
        (json.dumps({"id": "g1", "text": "again"}).encode(), "duplicate_id"),
        (json.dumps({"id": "t", "title": "Title only", "text": "  \n "}).encode(), "no_body"),
        (json.dumps({"id": "nul", "text": "a\u0000b c"}).encode(), "article"),
        (b'{"id": "raw-nul", "text": "x\x00y"}', "article"),
        ('{"id": "cp", "text": "Caf\u00e9 \u201cok\u201d"}'.encode("cp1252"), "article"),
        (json.dumps({"id": "moj", "text": "It\u00e2\u20ac\u2122s"}).encode(), "article"),
        (json.dumps({"id": "big", "text": "x " * MAX_BYTES}).encode(), "too_large"),
        (b"[" * 100_000 + b"]" * 100_000, "too_large"),
        (b"[" * 20_000 + b"]" * 20_000, "invalid_json"),
        (json.dumps({"id": "h", "html": "<html><body></body></html>"}).encode(), "no_main_text"),
        (json.dumps({"text": "no id"}).encode(), "article"),
        (json.dumps({"id": 0, "text": "zero id"}).encode(), "article"),
        (_noise(300).replace(b"\n", b" "), "binary"),
    ]
    body = b"\n".join(line for line, _ in lines) + b"\n"
    put("records.jsonl", body, None)
    for n, (_, outcome) in enumerate(lines, start=1):
        if outcome is not None:
            expect[f"hostile/records.jsonl#L{n}"] = outcome
    # The last line holds raw noise: depending on its bytes it is "binary" or "invalid_json".
    expect[f"hostile/records.jsonl#L{len(lines)}"] = "binary|invalid_json"

    put("broken.json", b'[{"id": 1, "text": "a"},', "invalid_json")
    put(
        "mixed.json",
        json.dumps([{"id": 1, "text": "x"}, 5, "s", {"id": 1, "text": "y"}]).encode(),
        None,
    )
    expect |= {
        "hostile/mixed.json#0": "article",
        "hostile/mixed.json#1": "not_an_object",
        "hostile/mixed.json#2": "not_an_object",
        "hostile/mixed.json#3": "duplicate_id",
    }
    put("empty.jsonl", b"\n\n", "empty")
    # Compressed JSON lines are read; these hundred objects share one line: not valid JSON.
    put("binary.jsonl", gzip.compress(b'{"id": 1}' * 100), None)
    expect["hostile/binary.jsonl#L1"] = "invalid_json"
    put("bom.jsonl", codecs.BOM_UTF8 + json.dumps(good).encode() + b"\n", None)
    expect["hostile/bom.jsonl#L1"] = "article"
    put("lines.json", b'{"id": 1, "text": "a"}\n{"id": 2, "text": "b"}\n', None)
    expect |= {"hostile/lines.json#L1": "article", "hostile/lines.json#L2": "article"}
    put("huge_array.json", b"[" + b'{"text": "x"},' * 5000 + b'{"text": "x"}]', "too_large")
    return expect
