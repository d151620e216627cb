"""Recognise the fields of a JSON record and parse authors and dates.

Exports name their fields differently (``text``, ``body``, ``content``, ``maintext``,
``content_original``...). ``pick_fields`` maps a record onto our canonical names using an
explicit mapping first and common names after.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

# Canonical field -> names recognised in records, in order of preference (case-insensitive).
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "id": ("id", "_id", "article_id", "doc_id", "docid", "uuid", "guid"),
    "title": ("title", "headline"),
    "text": (
        "text",
        "body",
        "content",
        "maintext",
        "main_text",
        "article",
        "article_text",
        "content_original",
        "full_text",
        "fulltext",
        "story",
    ),
    "html": ("html", "raw_html", "page_html", "content_html"),
    "url": ("url", "link", "article_url", "canonical_url", "uri"),
    "date": (
        "date",
        "published",
        "date_publish",
        "published_at",
        "publish_date",
        "pubdate",
        "date_published",
        "datetime",
        "timestamp",
        "created_at",
    ),
    "outlet": ("source", "outlet", "sitename", "site_name", "source_domain", "publisher", "domain"),
    "authors": ("authors", "author", "byline", "creator", "creators"),
    "language": ("language", "lang"),
}
# Aliases accepted as keys of an explicit mapping (``--field body=content_original``).
_MAP_ALIASES = {
    "body": "text",
    "content": "text",
    "maintext": "text",
    "published": "date",
    "published_at": "date",
    "source": "outlet",
    "sitename": "outlet",
    "author": "authors",
    "external_id": "id",
    "lang": "language",
}


def canonical_field_map(field_map: Mapping[str, str] | None) -> dict[str, str]:
    """Normalise the keys of an explicit field mapping to canonical names.

    Raises:
        ValueError: When a key is not a known field (a caller bug, reported up front).
    """
    out: dict[str, str] = {}
    for key, value in (field_map or {}).items():
        canon = _MAP_ALIASES.get(key.lower(), key.lower())
        if canon not in FIELD_NAMES:
            known = ", ".join(sorted(FIELD_NAMES))
            raise ValueError(f"unknown field {key!r} in field map; known fields: {known}")
        out[canon] = value
    return out


def parse_field_spec(specs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """Parse CLI ``--field text=content_original`` options into a mapping."""
    out: dict[str, str] = {}
    for spec in specs:
        key, sep, value = spec.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ValueError(f"--field expects NAME=SOURCE_FIELD, got {spec!r}")
        out[key.strip()] = value.strip()
    return canonical_field_map(out)


@dataclass(frozen=True, slots=True)
class Picked:
    """A canonical field found in a record.

    Attributes:
        name: The record's own key that held it.
        value: Its raw value.
    """

    name: str
    value: Any


def pick_fields(record: Mapping[str, Any], field_map: Mapping[str, str]) -> dict[str, Picked]:
    """Find each canonical field in ``record``.

    Args:
        record: A JSON object.
        field_map: Canonical name -> the record's key (from ``canonical_field_map``); these
            win over the common names. A mapped key missing from the record falls back to
            the common names.

    Returns:
        Canonical name -> the picked key and value, for fields present and not null/empty.
    """
    lowered: dict[str, str] = {}
    for key in record:
        if isinstance(key, str):
            lowered.setdefault(key.lower(), key)
    out: dict[str, Picked] = {}
    for canon, names in FIELD_NAMES.items():
        candidates = ([field_map[canon]] if canon in field_map else []) + list(names)
        for cand in candidates:
            key = cand if cand in record else lowered.get(cand.lower())
            if key is None:
                continue
            value = record[key]
            if value is None or (isinstance(value, str | list | dict) and not value):
                continue
            out[canon] = Picked(key, value)
            break
    return out


def as_text(value: Any) -> str | None:
    """A text value: a string, or a list of strings joined as paragraphs; else None."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return "\n\n".join(value)
    return None


def as_scalar_text(value: Any) -> str | None:
    """A short scalar as text (ids, urls, titles): str, int; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    return None


_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|\||\band\b|&|\n)\s*", re.IGNORECASE)
_BY_PREFIX = re.compile(r"^\s*by\s+", re.IGNORECASE)


def parse_authors(value: Any) -> tuple[str, ...]:
    """Authors from a string ("A, B and C"), a list of strings, or a list of {"name": ...}."""
    raw: list[str] = []
    if isinstance(value, str):
        raw = _AUTHOR_SPLIT.split(_BY_PREFIX.sub("", value))
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, str):
                raw.append(_BY_PREFIX.sub("", item))
            elif isinstance(item, Mapping) and isinstance(item.get("name"), str):
                raw.append(item["name"])
    out: list[str] = []
    for name in raw:
        name = " ".join(name.split()).strip(" .,;")
        if name and len(name) <= 100 and name not in out:
            out.append(name)
    return tuple(out)


_DATE_FORMATS = (
    "%B %d, %Y",
    "%b %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%Y/%m/%d",
    "%m/%d/%Y",
    "%Y%m%d",
)


def parse_date(value: Any) -> datetime | None:
    """A timezone-aware UTC datetime from ISO 8601, RFC 2822, common formats or epoch seconds.

    Naive values are taken as UTC; a date alone is midnight UTC. Unparseable → None.
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        seconds = value / 1000 if value > 1e11 else value  # milliseconds since the epoch
        try:
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 64:
        return None
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(text.replace(" UTC", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            for fmt in _DATE_FORMATS:
                try:
                    parsed = datetime.strptime(text, fmt)
                    break
                except ValueError:
                    continue
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input record that did not become an article (one row of the `rejected` table).

    Attributes:
        source_uri: Where it came from, relative (``"seeds/x.txt"``, ``"a.jsonl#L12"``).
        external_id: The record's own id when one could be read.
        reason: Short machine code: "empty", "binary", "no_body", "too_large",
            "invalid_json", "not_an_object", "missing_text_field", "non_text_field",
            "no_main_text", "duplicate_id", "unsupported_type", "unreadable".
        detail: A human-readable explanation.
    """

    source_uri: str
    external_id: str | None
    reason: str
    detail: str


@dataclass(frozen=True, slots=True)
class RawRecord:
    """A record as a reader found it, before extraction and normalisation.

    Attributes:
        namespace: Id namespace: the file name for JSON records, "file" for documents.
        external_id: The record's own id, else the file name (or ``name#Ln`` for records).
        source_uri: Where it came from, relative.
        title: Title as found.
        text: Body text as found; None when the body must be extracted from ``html``.
        html: The page, when there is no text.
        url: URL.
        outlet: Outlet name.
        authors: Authors.
        published_at: Publication time, UTC.
        language: Language code given by the record.
    """

    namespace: str
    external_id: str
    source_uri: str
    title: str | None = None
    text: str | None = None
    html: str | bytes | None = None
    url: str | None = None
    outlet: str | None = None
    authors: tuple[str, ...] = ()
    published_at: datetime | None = None
    language: str | None = None
