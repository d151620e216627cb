"""JSON inputs: JSON lines, a JSON array of objects, or one JSON object.

JSON lines are streamed line by line, so the size cap applies to each line (record), not to
the file; a JSON array or single object is parsed whole and the cap applies to the file.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from pipeline.ingest.compressed import inner_suffix
from pipeline.ingest.decode import NotText, decode_bytes, looks_binary
from pipeline.ingest.fields import (
    FIELD_NAMES,
    RawRecord,
    Rejection,
    as_scalar_text,
    as_text,
    parse_authors,
    parse_date,
    pick_fields,
)

_CHUNK = 1 << 20


def _type_name(value: Any) -> str:
    return {
        dict: "an object",
        list: "a list",
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
    }.get(type(value), type(value).__name__)


def record_to_raw(
    obj: Any,
    *,
    namespace: str,
    source_uri: str,
    fallback_id: str,
    field_map: Mapping[str, str],
) -> RawRecord | Rejection:
    """Map one JSON value onto a :class:`RawRecord`.

    Args:
        obj: The parsed JSON value.
        namespace: The input file name.
        source_uri: Where the record came from, relative.
        fallback_id: External id to use when the record has none.
        field_map: Canonical name -> the record's key (explicit mapping).

    Returns:
        The record, or a rejection when it is not an object, has no usable id, or has no
        text (or HTML) field holding text.
    """
    if not isinstance(obj, dict):
        return Rejection(
            source_uri, None, "not_an_object", f"expected a JSON object, got {_type_name(obj)}"
        )
    picked = pick_fields(obj, field_map)
    external_id = fallback_id
    if "id" in picked:
        value = as_scalar_text(picked["id"].value)
        if value is None or not value.strip():
            return Rejection(
                source_uri,
                None,
                "non_text_field",
                f"id field {picked['id'].name!r} holds "
                f"{_type_name(picked['id'].value)}, not a string or integer",
            )
        external_id = value.strip()
    text = html = None
    if "text" in picked:
        text = as_text(picked["text"].value)
        if text is None:
            return Rejection(
                source_uri,
                external_id,
                "non_text_field",
                f"text field {picked['text'].name!r} holds "
                f"{_type_name(picked['text'].value)}, not text",
            )
    elif "html" in picked:
        html = as_text(picked["html"].value)
        if html is None:
            return Rejection(
                source_uri,
                external_id,
                "non_text_field",
                f"html field {picked['html'].name!r} holds "
                f"{_type_name(picked['html'].value)}, not text",
            )
    else:
        wanted = ([field_map["text"]] if "text" in field_map else []) + list(FIELD_NAMES["text"])
        keys = ", ".join(sorted(str(k) for k in obj)[:20]) or "none"
        return Rejection(
            source_uri,
            external_id,
            "missing_text_field",
            f"no non-empty text field (looked for {', '.join(wanted[:6])}, ... "
            f"or html); record has fields: {keys}. Map one with --field text=NAME",
        )

    def scalar(name: str) -> str | None:
        return as_scalar_text(picked[name].value) if name in picked else None

    return RawRecord(
        namespace=namespace,
        external_id=external_id,
        source_uri=source_uri,
        title=scalar("title"),
        text=text,
        html=html,
        url=scalar("url"),
        outlet=scalar("outlet"),
        authors=parse_authors(picked["authors"].value) if "authors" in picked else (),
        published_at=parse_date(picked["date"].value) if "date" in picked else None,
        language=scalar("language"),
    )


def _loads(data: bytes) -> Any:
    """Parse JSON bytes in any text encoding; raises ValueError (or NotText) when invalid."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = decode_bytes(data).text
    return json.loads(text.lstrip("\ufeff").replace("\x00", ""))


def _first_char(path: Path) -> tuple[bytes, str]:
    with path.open("rb") as fh:
        head = fh.read(4096)
    body = (head[3:] if head.startswith(codecs.BOM_UTF8) else head).lstrip()
    return head, body[:1].decode("latin-1")


def _lines(path: Path, max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) per non-blank line; bytes is None when the line exceeds the cap."""
    with path.open("rb") as fh:
        head = fh.read(2)
    if head in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):  # already size-checked as a whole
        text = path.read_bytes().decode("utf-16", errors="replace")
        for lineno, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                yield lineno, line.encode("utf-8")
        return
    with path.open("rb") as fh:
        lineno = 0
        while True:
            line = fh.readline(max_bytes + 1)
            if not line:
                return
            lineno += 1
            if len(line) > max_bytes and not line.endswith(b"\n"):
                while True:
                    chunk = fh.readline(_CHUNK)
                    if not chunk or chunk.endswith(b"\n"):
                        break
                yield lineno, None
                continue
            if lineno == 1 and line.startswith(codecs.BOM_UTF8):
                line = line[3:]
            if line.replace(b"\x00", b"").strip():
                yield lineno, line


def read_json_file(
    path: Path,
    *,
    source_uri: str,
    field_map: Mapping[str, str],
    max_bytes: int,
    name: str | None = None,
) -> Iterator[RawRecord | Rejection]:
    """Read every record of a .json or .jsonl file.

    Args:
        path: The file.
        source_uri: The file's relative URI; records get ``#L<line>`` (JSON lines) or
            ``#<index>`` (array elements) appended.
        field_map: Canonical name -> the records' key (explicit mapping).
        max_bytes: Cap per line for JSON lines, per file for a JSON array or object.
        name: The input's file name (the records' namespace), when ``path`` is a temporary
            copy (a decompressed input); default ``path.name``.

    Yields:
        One record or rejection per input record; one rejection for a whole file that
        is empty, binary, too large or not valid JSON.
    """
    name = name or path.name
    size = path.stat().st_size
    head, first = _first_char(path)
    if not head.replace(b"\x00", b"").strip():
        yield Rejection(source_uri, None, "empty", "the file is empty or only whitespace")
        return
    if looks_binary(head) and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        yield Rejection(source_uri, None, "binary", "not a text file (binary data)")
        return

    def convert(obj: Any, uri: str, fallback: str) -> RawRecord | Rejection:
        return record_to_raw(
            obj, namespace=name, source_uri=uri, fallback_id=fallback, field_map=field_map
        )

    whole_file = (
        head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        or first == "["
        or (first == "{" and inner_suffix(Path(name)) == ".json")
    )
    if whole_file and first == "{" and size > max_bytes:
        whole_file = False  # maybe JSON lines: stream them, capped per line
    if whole_file:
        if size > max_bytes:
            yield Rejection(
                source_uri,
                None,
                "too_large",
                f"{size:,} bytes is over the {max_bytes:,}-byte cap for a JSON "
                "document (JSON lines are capped per line instead)",
            )
            return
        try:
            doc = _loads(path.read_bytes())
        except (ValueError, NotText, RecursionError) as exc:
            # "Extra data": one complete value, then more; JSON lines whose first is an array.
            if first == "[" and not str(exc).startswith("Extra data"):
                yield Rejection(source_uri, None, "invalid_json", f"not valid JSON: {exc}")
                return
            doc = None  # a .json file of JSON lines: fall through to line mode
        if isinstance(doc, list):
            if not doc:
                yield Rejection(source_uri, None, "empty", "the JSON array holds no records")
                return
            for index, obj in enumerate(doc):
                yield convert(obj, f"{source_uri}#{index}", f"{name}#{index}")
            return
        if doc is not None:
            yield convert(doc, source_uri, name)
            return
    for lineno, line in _lines(path, max_bytes):
        uri = f"{source_uri}#L{lineno}"
        if line is None:
            yield Rejection(
                uri,
                None,
                "too_large",
                f"line {lineno} is over the {max_bytes:,}-byte cap per record",
            )
            continue
        try:
            obj = _loads(line)
        except NotText:
            yield Rejection(uri, None, "binary", f"line {lineno} is binary data, not JSON")
            continue
        except (ValueError, RecursionError) as exc:
            yield Rejection(uri, None, "invalid_json", f"line {lineno} is not valid JSON: {exc}")
            continue
        yield convert(obj, uri, f"{name}#L{lineno}")
