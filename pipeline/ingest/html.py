"""Main text and metadata from an HTML page, with trafilatura.

Safe on hostile input: trafilatura parses with lxml's HTML parser (no DTDs, no external
entities, no network; it never fetches ``url``), a declared internal DTD subset is removed first
(so no entity bomb is ever expanded, see :func:`_prepare`), and lxml caps tree depth, so deeply
nested pages yield no text instead of a recursion error. Any exception is the caller's to turn
into a rejection.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from datetime import datetime

from trafilatura import bare_extraction
from trafilatura.settings import Document

from pipeline.ingest.fields import parse_authors, parse_date


@dataclass(frozen=True, slots=True)
class HtmlOptions:
    """trafilatura options for main-text extraction.

    The defaults are the ones measured best on the HTML gold files
    (``python -m pipeline.evaluate.html``); see that module's docstring for the numbers.

    Attributes:
        favor_precision: Prefer leaving out doubtful text.
        favor_recall: Prefer keeping doubtful text.
        include_tables: Keep text inside ``<table>`` elements.
        include_comments: Keep reader comments (never wanted in a body).
        fast: Skip trafilatura's fallback extractors (readability, jusText).
    """

    favor_precision: bool = False
    favor_recall: bool = True
    include_tables: bool = True
    include_comments: bool = False
    fast: bool = False


DEFAULT_OPTIONS = HtmlOptions()


@dataclass(frozen=True, slots=True)
class HtmlExtract:
    """What trafilatura found on a page.

    Attributes:
        text: Main text, one paragraph per line (not yet normalised); "" when none.
        title: Page title.
        authors: Authors, split.
        published_at: Publication date, UTC.
        outlet: Site name, else host name.
        url: Canonical URL found in the page, else the URL given.
    """

    text: str
    title: str | None
    authors: tuple[str, ...]
    published_at: datetime | None
    outlet: str | None
    url: str | None


#: A document type declaration with an internal subset (``<!DOCTYPE x [ ... ]>``): the only
#: place entities can be declared. HTML has no use for it; XML parsers expand what it declares
#: (the "billion laughs" bomb, external entities), and lxml's HTML parser gives up on the page.
_INTERNAL_SUBSET = re.compile(r"<!DOCTYPE[^>\[]*\[.*?\]\s*>", re.IGNORECASE | re.DOTALL)
_INTERNAL_SUBSET_BYTES = re.compile(_INTERNAL_SUBSET.pattern.encode(), re.IGNORECASE | re.DOTALL)


def _prepare(html: str | bytes) -> str | bytes:
    """Strip NUL bytes and any DTD internal subset; decode UTF-16 (trafilatura misses it).

    With the internal subset gone, no entity a page declares is ever expanded: a reference
    to one stays in the text as written (``&lol9;``), and the page's own text is extracted.
    """
    if isinstance(html, bytes):
        if html.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            html = html.decode("utf-16", errors="replace")
        else:
            return _INTERNAL_SUBSET_BYTES.sub(b"<!DOCTYPE html>", html.replace(b"\x00", b""))
    return _INTERNAL_SUBSET.sub("<!DOCTYPE html>", html.replace("\x00", ""))


def extract_html(
    html: str | bytes, *, url: str | None = None, options: HtmlOptions = DEFAULT_OPTIONS
) -> HtmlExtract:
    """Extract main text and metadata from an HTML page.

    Args:
        html: The page, as text or bytes (bytes let trafilatura honour the page's charset).
        url: Where the page came from, if known; used only as metadata, never fetched.
        options: trafilatura options.

    Returns:
        The extraction; ``text`` is "" when the page has no main text.
    """
    doc = bare_extraction(
        _prepare(html),
        url=url,
        with_metadata=True,
        include_comments=options.include_comments,
        include_tables=options.include_tables,
        favor_precision=options.favor_precision,
        favor_recall=options.favor_recall,
        fast=options.fast,
        deduplicate=False,
    )
    if not isinstance(doc, Document):  # None: nothing found (as_dict is off)
        return HtmlExtract("", None, (), None, None, url)
    return HtmlExtract(
        text=doc.text or "",
        title=doc.title or None,
        authors=parse_authors(doc.author) if doc.author else (),
        published_at=parse_date(doc.date) if doc.date else None,
        outlet=doc.sitename or doc.hostname or None,
        url=doc.url or url,
    )
