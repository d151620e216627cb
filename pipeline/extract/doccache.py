"""Per-doc caches of spaCy properties that are rebuilt on every access.

``Doc.text`` joins every token and ``Doc.ents`` walks every token each time they are read. An
extractor that reads them per mention is quadratic in the article's length (a 12,000-token
article took 18 s in claims). The caches are keyed weakly by the doc, so they vanish with it and
the extractors stay pure functions of their doc.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from spacy.tokens import Doc, Span, Token

_TEXT: WeakKeyDictionary[Doc, str] = WeakKeyDictionary()
_ENTS: WeakKeyDictionary[Doc, tuple[tuple[Span, ...], dict[int, Span]]] = WeakKeyDictionary()


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per doc."""
    text = _TEXT.get(doc)
    if text is None:
        text = _TEXT[doc] = doc.text
    return text


def _entity_index(doc: Doc) -> tuple[tuple[Span, ...], dict[int, Span]]:
    cached = _ENTS.get(doc)
    if cached is None:
        ents = tuple(doc.ents)
        cached = _ENTS[doc] = (ents, {i: ent for ent in ents for i in range(ent.start, ent.end)})
    return cached


def doc_ents(doc: Doc) -> tuple[Span, ...]:
    """``doc.ents``, built once per doc."""
    return _entity_index(doc)[0]


def entity_at(token: Token) -> Span | None:
    """The entity that contains ``token``, if any, without scanning the doc's entities."""
    return _entity_index(token.doc)[1].get(token.i)
