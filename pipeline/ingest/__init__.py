"""Read raw news articles (plain text, HTML pages, JSON/JSONL exports) into articles.

``read_articles`` accounts for every input record: each yields exactly one :class:`Article`
or one :class:`Rejection`, and bad input never raises.

Size cap (``max_bytes``, default 20 MB): a .txt/.html/.htm file, a JSON array or a single
JSON object larger than the cap is rejected as "too_large" without being read; JSON lines
are streamed and the cap applies to each line.
"""

from __future__ import annotations

import dataclasses
import hashlib
import lzma
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pipeline.ids import article_id, content_hash
from pipeline.ingest.compressed import (
    COMPRESSED_SUFFIXES,
    MAX_LINES_FACTOR,
    TooLarge,
    compression_of,
    decompressed,
    inner_suffix,
)
from pipeline.ingest.decode import looks_binary
from pipeline.ingest.fields import (
    RawRecord,
    Rejection,
    canonical_field_map,
    parse_field_spec,
)
from pipeline.ingest.html import extract_html
from pipeline.ingest.jsonl import read_json_file
from pipeline.ingest.language import guess_language
from pipeline.ingest.txt import read_txt
from pipeline.normalise import Removal, clean_line, normalise_body, word_count

__all__ = [
    "DEFAULT_MAX_BYTES",
    "Article",
    "RawRecord",
    "Rejection",
    "Removal",
    "convert",
    "parse_field_spec",
    "read_articles",
    "read_records",
    "record_digest",
    "to_article",
]

DEFAULT_MAX_BYTES = 20_000_000
TXT_SUFFIXES = frozenset({".txt"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSON_SUFFIXES = frozenset({".jsonl", ".json"})
# An HTML page whose extracted text is shorter than this is navigation, not an article.
MIN_HTML_WORDS = 10
SUFFIXES = TXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES


@dataclass(frozen=True, slots=True)
class Article:
    r"""One row of the `articles` table.

    Attributes:
        article_id: ``ids.article_id(namespace, external_id)``; namespace is the input file
            name for JSON records and "file" for single-document files.
        external_id: The record's own id, else the file name (``name#L<n>`` for a JSON
            line without an id).
        source_uri: Where it came from, relative to the input root's parent.
        outlet: Outlet or site name.
        url: URL of the article.
        title: Title (never part of the body).
        authors: Authors.
        published_at: Publication time, timezone-aware UTC.
        language: ISO 639-1 code, given or guessed from stopwords.
        body: Normalised text; paragraphs separated by ``"\n\n"``.
        word_count: Whitespace-separated words in ``body``.
        content_hash: ``ids.content_hash(body)``.
        removed: Boilerplate removed from the body, and why.
    """

    article_id: str
    external_id: str
    source_uri: str
    outlet: str | None
    url: str | None
    title: str | None
    authors: tuple[str, ...]
    published_at: datetime | None
    language: str | None
    body: str
    word_count: int
    content_hash: str
    removed: tuple[Removal, ...]


def to_article(raw: RawRecord) -> Article | Rejection:
    """Extract (for HTML), normalise and check one record.

    Args:
        raw: A record from a reader.

    Returns:
        The article, or a rejection when there is no main text or no body left.
    """
    title, text, authors = raw.title, raw.text, raw.authors
    outlet, url, published_at = raw.outlet, raw.url, raw.published_at
    if text is None:
        if raw.html is None:
            return Rejection(
                raw.source_uri,
                raw.external_id,
                "missing_text_field",
                "the record has neither text nor HTML",
            )
        page = extract_html(raw.html, url=raw.url)
        words = len(page.text.split())
        if words < MIN_HTML_WORDS:
            return Rejection(
                raw.source_uri,
                raw.external_id,
                "no_main_text",
                f"the HTML page has no main text ({words} word(s) extracted; "
                f"fewer than {MIN_HTML_WORDS} is taken as navigation, not an article)",
            )
        text = page.text
        title = title or page.title
        authors = authors or page.authors
        outlet = outlet or page.outlet
        url = url or page.url
        published_at = published_at or page.published_at
    title = clean_line(title)
    body, removed = normalise_body(title, text)
    if not body:
        if removed:
            detail = f"nothing left after removing {len(removed)} piece(s) of boilerplate"
        elif title:
            detail = "a title but no body text"
        else:
            detail = "no body text"
        return Rejection(raw.source_uri, raw.external_id, "no_body", detail)
    language = clean_line(raw.language)
    return Article(
        article_id=article_id(raw.namespace, raw.external_id),
        external_id=raw.external_id,
        source_uri=raw.source_uri,
        outlet=clean_line(outlet),
        url=clean_line(url),
        title=title,
        authors=tuple(a for a in (clean_line(x) for x in authors) if a),
        published_at=published_at,
        language=language.lower() if language else guess_language(body),
        body=body,
        word_count=word_count(body),
        content_hash=content_hash(body),
        removed=removed,
    )


def _read_document(
    path: Path, uri: str, max_bytes: int, *, name: str | None = None, suffix: str | None = None
) -> RawRecord | Rejection:
    """One plain-text or HTML document (``name`` and ``suffix``: the file's, by default)."""
    name = name or path.name
    size = path.stat().st_size
    if size > max_bytes:
        return Rejection(
            uri,
            name,
            "too_large",
            f"{size:,} bytes is over the {max_bytes:,}-byte cap per file",
        )
    data = path.read_bytes()
    if (suffix or path.suffix.lower()) in TXT_SUFFIXES:
        return read_txt(data, name=name, source_uri=uri)
    if not data.replace(b"\x00", b"").strip():
        return Rejection(uri, name, "empty", "the file is empty or only whitespace")
    if looks_binary(data):
        return Rejection(uri, name, "binary", "not an HTML file (binary data)")
    return RawRecord(namespace="file", external_id=name, source_uri=uri, html=data)


def _read_file(
    path: Path, uri: str, field_map: Mapping[str, str], max_bytes: int
) -> Iterator[RawRecord | Rejection]:
    suffix = inner_suffix(path)
    if suffix not in SUFFIXES:
        yield Rejection(
            uri,
            path.name,
            "unsupported_type",
            f"unsupported file type {path.suffix.lower() or '(none)'!r}; expected one of "
            f"{', '.join(sorted(SUFFIXES))}, or one of those compressed "
            f"({', '.join(sorted(COMPRESSED_SUFFIXES))})",
        )
        return
    kind = compression_of(path)
    if kind is None:
        yield from _read_plain(path, uri, field_map, max_bytes, name=path.name, suffix=suffix)
        return
    limit = max_bytes * (MAX_LINES_FACTOR if suffix in JSON_SUFFIXES else 1)
    try:
        with decompressed(path, kind, limit) as plain:
            yield from _read_plain(plain, uri, field_map, max_bytes, name=path.name, suffix=suffix)
    except TooLarge as exc:
        yield Rejection(uri, path.name, "too_large", f"a {kind} file, but {exc}")
    except (OSError, EOFError, lzma.LZMAError) as exc:
        yield Rejection(uri, path.name, "unreadable", f"a corrupt {kind} file: {exc}")


def _read_plain(
    path: Path,
    uri: str,
    field_map: Mapping[str, str],
    max_bytes: int,
    *,
    name: str,
    suffix: str,
) -> Iterator[RawRecord | Rejection]:
    """Records of an uncompressed file (a temporary one for a compressed input)."""
    if suffix in JSON_SUFFIXES:
        yield from read_json_file(
            path, source_uri=uri, field_map=field_map, max_bytes=max_bytes, name=name
        )
    else:
        yield _read_document(path, uri, max_bytes, name=name, suffix=suffix)


def _walk(paths: Sequence[Path]) -> Iterator[tuple[Path, str] | Rejection]:
    """Input files with their relative URIs, folders walked recursively in sorted order.

    Inside folders, hidden files and files of other types (README, LICENSE) are skipped;
    an input named explicitly is always read (or rejected).
    """
    for given in paths:
        path = Path(given)
        resolved = Path(os.path.abspath(path))  # keeps the names given (no symlink resolution)
        if resolved.is_dir():
            found: list[Path] = []
            for folder, dirs, files in os.walk(resolved, followlinks=False):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                found.extend(
                    Path(folder, f)
                    for f in files
                    if not f.startswith(".") and inner_suffix(Path(f)) in SUFFIXES
                )
            for file in sorted(found, key=lambda p: p.relative_to(resolved).parts):
                yield file, file.relative_to(resolved.parent).as_posix()
        elif resolved.is_file():
            yield resolved, resolved.name
        else:
            yield Rejection(path.name, None, "unreadable", "no such file or folder")


def read_records(
    paths: Sequence[Path],
    *,
    field_map: Mapping[str, str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[RawRecord | Rejection]:
    """Read the records of files and folders, before extraction and normalisation.

    The first half of :func:`read_articles` (which see): each record yields a
    :class:`RawRecord` for :func:`convert`, or a rejection (unreadable file, bad JSON, a
    second record with an article id already seen, ...). Kept apart so that the ingest stage
    can recognise records it has already turned into stored articles, and skip converting them.
    """
    fmap = canonical_field_map(field_map)
    seen: dict[str, str] = {}
    for item in _walk(paths):
        if isinstance(item, Rejection):
            yield item
            continue
        path, uri = item
        count = 0
        try:
            for raw in _read_file(path, uri, fmap, max_bytes):
                count += 1
                if isinstance(raw, Rejection):
                    yield raw
                    continue
                aid = article_id(raw.namespace, raw.external_id)
                if aid in seen:
                    yield Rejection(
                        raw.source_uri,
                        raw.external_id,
                        "duplicate_id",
                        f"id {raw.external_id!r} already used by {seen[aid]}",
                    )
                    continue
                seen[aid] = raw.source_uri
                yield raw
        except Exception as exc:
            where = f" after {count} record(s)" if count else ""
            yield Rejection(
                uri, None, "unreadable", f"reading stopped{where}: {type(exc).__name__}: {exc}"
            )


def convert(raw: RawRecord) -> Article | Rejection:
    """:func:`to_article`, with a failure turned into an ``unreadable`` rejection."""
    try:
        return to_article(raw)
    except Exception as exc:
        return Rejection(
            raw.source_uri,
            raw.external_id,
            "unreadable",
            f"processing failed: {type(exc).__name__}: {exc}",
        )


def record_digest(raw: RawRecord, version: str) -> str:
    """SHA-256 of a record as read, and of the version of the code that converts it.

    Every field goes in, typed and length-prefixed, so equal digests mean the same record and
    the same code: :func:`convert` would return the same article.
    """
    digest = hashlib.sha256(version.encode())
    for item in dataclasses.fields(raw):  # (``fields`` here is the submodule)
        value = getattr(raw, item.name)
        if isinstance(value, bytes):
            kind, data = "b", value
        elif isinstance(value, str):
            kind, data = "s", value.encode("utf-8", "surrogatepass")
        else:  # None, a tuple of strings, a datetime: their repr is exact
            kind, data = "r", repr(value).encode("utf-8", "surrogatepass")
        digest.update(f"\x1e{item.name}:{kind}:{len(data)}:".encode())
        digest.update(data)
    return digest.hexdigest()


def read_articles(
    paths: Sequence[Path],
    *,
    field_map: Mapping[str, str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Article | Rejection]:
    """Read articles from files and folders.

    Every input record yields exactly one Article or one Rejection (nothing lost). Folders
    are walked recursively in sorted order (deterministic); files are read by extension:
    .txt, .html/.htm, .jsonl/.json (a JSON array, one object, or JSON lines). Bad input never
    raises: a bad record becomes a Rejection and the run goes on. The second record with an
    article id already seen in this run is rejected as "duplicate_id".

    Args:
        paths: Files and folders.
        field_map: Canonical field -> the records' key, e.g. ``{"text": "content_original"}``.
        max_bytes: Size cap per document file, JSON document, or JSON line.

    Yields:
        Articles and rejections, in input order.

    Raises:
        ValueError: When ``field_map`` names an unknown field (a caller error, not input).
    """
    for item in read_records(paths, field_map=field_map, max_bytes=max_bytes):
        yield item if isinstance(item, Rejection) else convert(item)
