"""Per-doc caches of spaCy properties that are rebuilt on every access.

``Doc.text`` joins every token and ``Doc.ents`` walks every token each time they are read. An
extractor that reads them per mention is quadratic in the article's length (a 12,000-token
article took 18 s in claims). The extractors work on one doc at a time, so the caches keep only
the last few docs; the extractors stay pure functions of their doc.

The caches are bounded rather than keyed weakly by the doc: a cached entity is a ``Span``, which
holds its doc, so a weak-keyed entry never expired and every doc of a run stayed in memory (three
per article: claims, figures and locations each load their own).
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy is imported by whoever makes the docs; loading Dagster need not
    from spacy.tokens import Doc, Span, Token

#: Docs whose properties are kept (the current one, and a few an extractor may look back at).
_DOCS = 8


#: ``Doc.user_data`` key of the text a doc was parsed from (see :func:`remember_text`).
TEXT_KEY = "newsledger.text"


def remember_text(doc: Doc, text: str) -> None:
    """Note that ``doc``'s text is ``text`` (the body it was parsed from), for :func:`doc_text`.

    Building ``doc.text`` creates a ``Token`` per token; the caller that parsed the doc already
    holds its text.
    """
    doc.user_data[TEXT_KEY] = text


@lru_cache(maxsize=_DOCS)
def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per doc (or the text it was parsed from, if remembered)."""
    known = doc.user_data.get(TEXT_KEY)
    return known if isinstance(known, str) else doc.text


@lru_cache(maxsize=_DOCS)
def _entity_index(doc: Doc) -> tuple[tuple[Span, ...], dict[int, Span]]:
    ents = tuple(doc.ents)
    return ents, {i: ent for ent in ents for i in range(ent.start, ent.end)}


def doc_ents(doc: Doc) -> tuple[Span, ...]:
    """``doc.ents``, built once per doc."""
    return _entity_index(doc)[0]


def entity_at(token: Token) -> Span | None:
    """The entity that contains ``token``, if any, without scanning the doc's entities."""
    return _entity_index(token.doc)[1].get(token.i)
