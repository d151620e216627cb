"""Inputs past what a model or a parser takes whole, with the outcome each must get.

``build(root)`` writes them under ``root/long`` and returns ``{source_uri: outcome}`` (an outcome
is "article" or a rejection reason). Deterministic: no randomness.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

QUOTE = (
    '"We will cut spending by {n} percent and hire {m} nurses in Ohio," Senator Jane Smith '
    "said on Tuesday."
)
REPORTED = "The agency said about {m} people were evacuated from Dayton after the storm."
#: A paragraph of the report; the text repeats it to about 5 MB.
REPORT_PARAGRAPH = (
    "The council met on Tuesday to discuss the budget for the coming year, and members agreed "
    "to publish the minutes next week after 1,200 residents asked for them."
)


def transcript(size: int) -> str:
    """A hearing transcript of short paragraphs: quotes, reported speech and figures."""
    paragraphs = ["Budget hearing transcript"]
    n = 0
    while sum(len(p) + 2 for p in paragraphs) < size:
        kind = n % 3
        if kind == 0:
            paragraphs.append(QUOTE.format(n=n % 40 + 1, m=100 + n % 900))
        elif kind == 1:
            paragraphs.append(REPORTED.format(m=f"{1000 + n % 9000:,}"))
        else:
            paragraphs.append(f"MODERATOR: Thank you. Next question, number {n}.")
        n += 1
    return "\n\n".join(paragraphs) + "\n"


def report(size: int) -> str:
    """A long plain-text report: a title and one paragraph repeated."""
    body = []
    total = 0
    n = 0
    while total < size:
        paragraph = f"{REPORT_PARAGRAPH} Section {n}."
        body.append(paragraph)
        total += len(paragraph) + 2
        n += 1
    return "Annual report\n\n" + "\n\n".join(body) + "\n"


def entity_bomb() -> str:
    """'Billion laughs': nine levels of ten references each (10**9 copies if expanded)."""
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{level} "' + f"&lol{'' if level == 1 else level - 1};" * 10 + '">'
        for level in range(1, 10)
    )
    paragraph = f"<p>{REPORT_PARAGRAPH} &lol9;</p>"
    return (
        f'<?xml version="1.0"?><!DOCTYPE html [{entities}]><html><head><title>Budget</title>'
        f"</head><body><article>{paragraph * 6}</article></body></html>"
    )


def build(root: Path) -> dict[str, str]:
    """Write the long corpus under ``root / "long"``; return the expected outcomes."""
    base = root / "long"
    base.mkdir(parents=True)
    expect: dict[str, str] = {}

    def put(name: str, data: bytes, outcome: str) -> None:
        (base / name).write_bytes(data)
        expect[f"long/{name}"] = outcome

    put("report.txt", report(5_000_000).encode(), "article")
    put("word.txt", b"One word\n\n" + b"x" * 2_000_000 + b"\n", "article")
    put("transcript.txt", transcript(2_000_000).encode(), "article")
    put("bomb.html", entity_bomb().encode(), "article")
    put("zipped.txt", gzip.compress(f"Zipped\n\n{REPORT_PARAGRAPH}\n".encode()), "article")
    put("zeros.txt", gzip.compress(b"\0" * 60_000_000, compresslevel=9), "too_large")
    lines = [
        ('{"a": ' * 20_000 + "1" + "}" * 20_000, "invalid_json"),
        (
            json.dumps(
                {"id": "surrogates", "text": f"Lone \ud800 and \udfff halves. {REPORT_PARAGRAPH}"}
            ),
            "article",
        ),
        (json.dumps({"id": "plain", "text": REPORT_PARAGRAPH}), "article"),
    ]
    (base / "records.jsonl").write_text("\n".join(line for line, _ in lines) + "\n")
    for number, (_, outcome) in enumerate(lines, start=1):
        expect[f"long/records.jsonl#L{number}"] = outcome
    compressed = "\n".join(json.dumps({"id": f"z{n}", "text": REPORT_PARAGRAPH}) for n in range(3))
    put("more.jsonl.gz", gzip.compress(compressed.encode()), "")
    del expect["long/more.jsonl.gz"]
    expect |= {f"long/more.jsonl.gz#L{n}": "article" for n in range(1, 4)}
    return expect
