"""Property-based and fuzz tests: no exception escapes ingest, normalisation or extraction.

Hypothesis draws random Unicode (lone surrogates, bidi controls and other format characters
included), random bytes, random and deeply nested HTML and JSON, huge lines and words, and
records whose fields have the wrong types. Every record must end as exactly one article or one
rejection with a reason, and every extracted row must point into its body. Examples are bounded
(CI has two cores) and derandomised, so a run is the same everywhere.
"""

from __future__ import annotations

import json
import string
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.ingest import Article, Rejection, convert, read_records
from pipeline.normalise import clean_text, normalise_body

pytestmark = pytest.mark.slow

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: Characters that break naive text handling: bidi controls and isolates, zero-width and other
#: format characters, lone surrogates, NUL and C0/C1 controls, line and paragraph separators.
HOSTILE_CHARS = (
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200c\u200d\u200e\u200f"
    "\ufeff\ud800\udbff\udc00\udfff\x00\x01\x1b\x7f\x85\x9f\u2028\u2029\ufffd\r\t\x0b\x0c"
)

hostile_text = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(HOSTILE_CHARS),
        st.sampled_from(string.printable),
    ),
    max_size=400,
)
#: Like :data:`hostile_text`, but with words and sentences enough to look like news at times.
newsy_text = st.lists(
    st.one_of(
        hostile_text,
        st.sampled_from(
            [
                '"We will cut 20 percent," the mayor said.',
                "About 5,000 people gathered in Paris on Sunday, police said.",
                "According to officials, $3.5 billion was spent.",
                "\n\n",
                "“Quoted” — na\u00efve caf\u00e9 in Kyiv",
            ]
        ),
    ),
    max_size=8,
).map(" ".join)

json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), hostile_text
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(hostile_text, children, max_size=4)
    ),
    max_leaves=20,
)
#: Records with the usual field names and anything at all as values.
records = st.fixed_dictionaries(
    {},
    optional={
        "id": json_values,
        "title": json_values,
        "text": st.one_of(newsy_text, json_values),
        "html": st.one_of(hostile_text, json_values),
        "date": json_values,
        "authors": json_values,
        "url": json_values,
        "source": json_values,
    },
)


def _nested_html(depth: int, tag: str, text: str) -> str:
    return f"<html><body>{f'<{tag}>' * depth}{text}{f'</{tag}>' * depth}</body></html>"


html_pages = st.one_of(
    hostile_text.map(lambda t: f"<html><body><article><p>{t}</p></article></body></html>"),
    st.builds(
        _nested_html,
        st.integers(min_value=1, max_value=6000),
        st.sampled_from(["div", "p", "span", "table", "b"]),
        newsy_text,
    ),
    hostile_text,
)


def _outcomes(paths: list[Path]) -> list[Article | Rejection]:
    """Read and convert every record, as ingest does; any exception fails the test."""
    out: list[Article | Rejection] = []
    for item in read_records(paths, max_bytes=200_000):
        out.append(item if isinstance(item, Rejection) else convert(item))
    return out


def _check_accounted(items: list[Article | Rejection], expected_records: int) -> None:
    assert len(items) == expected_records
    for item in items:
        if isinstance(item, Rejection):
            assert item.reason and item.detail
        else:
            assert item.body and item.body == item.body.strip()
            item.body.encode("utf-8")  # storable: no lone surrogate left


@FUZZ
@given(text=hostile_text, title=st.one_of(st.none(), hostile_text))
def test_normalisation_never_raises_and_returns_storable_text(text, title):
    body, removed = normalise_body(title, text)
    body.encode("utf-8")
    assert body == body.strip()
    for removal in removed:
        assert removal.kind and removal.reason
    clean_text(text).encode("utf-8")


@FUZZ
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".txt", ".html", ".jsonl", ".json"]))
def test_random_bytes_in_any_file_type_are_one_outcome_each(data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        items = _outcomes([path])
    if suffix in (".txt", ".html"):
        _check_accounted(items, 1)
    else:  # JSON: one outcome per record, at least one for the file
        assert items
        _check_accounted(items, len(items))


@FUZZ
@given(rows=st.lists(st.one_of(records, json_values), min_size=2, max_size=6))
def test_json_lines_with_wrong_types_are_one_outcome_per_line(rows):
    """Several lines: even when the first holds an array, every line is a record."""
    lines = [json.dumps(row, ensure_ascii=False) for row in rows]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "records.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
        items = _outcomes([path])
    _check_accounted(items, len(lines))


@FUZZ
@given(row=st.one_of(records, json_values))
def test_one_json_value_of_any_shape_is_accounted_for(row):
    """A lone value: an object is a record, an array holds records (none: one rejection)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "one.json"
        path.write_text(json.dumps(row), encoding="utf-8", errors="surrogatepass")
        items = _outcomes([path])
    _check_accounted(items, len(row) if isinstance(row, list) and row else 1)


@FUZZ
@given(page=html_pages)
def test_random_and_deeply_nested_html_is_one_outcome(page):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.html"
        path.write_text(page, encoding="utf-8", errors="surrogatepass")
        items = _outcomes([path])
    _check_accounted(items, 1)


@settings(FUZZ, max_examples=10)
@given(
    length=st.integers(min_value=50_000, max_value=150_000),
    char=st.sampled_from("x\u00e9\u4e2d"),
)
def test_huge_single_lines_and_words_are_read(length, char):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "word.txt"
        path.write_text("Title\n\n" + char * length, encoding="utf-8")
        items = _outcomes([path])
    _check_accounted(items, 1)


@pytest.fixture(scope="module")
def extractors(gazetteer_path):
    from pipeline import assemble, nlp
    from pipeline.link.gazetteer import load_gazetteer

    gazetteer = load_gazetteer(gazetteer_path)

    def extract(body: str) -> dict[str, list]:
        doc = nlp.annotate([body])[0]
        assert doc.text == body
        claims = assemble.claim_rows("a_fuzz", doc, outlet=None)
        spans = [
            assemble.ClaimSpan(row["claim_id"], row["content_start"], row["content_end"])
            for row in claims["claims"]
        ]
        return {
            **claims,
            "figures": assemble.figure_rows("a_fuzz", doc, spans),
            "locations": assemble.location_rows("a_fuzz", doc, gazetteer),
        }

    return extract


SPANS = {
    "claims": (("content_start", "content_end", "content"), ("cue_start", "cue_end", "cue")),
    "figures": (("start", "end", "text"),),
    "locations": (("start", "end", "text"),),
}


@settings(FUZZ, max_examples=40)
@given(text=newsy_text)
def test_extraction_never_raises_and_every_row_points_into_the_body(extractors, text):
    body, _ = normalise_body(None, text)
    if not body:
        return
    rows = extractors(body)
    for table, spans in SPANS.items():
        for row in rows[table]:
            for start, end, column in spans:
                assert body[row[start] : row[end]] == row[column], (table, row)
