"""The per-doc caches of the extractors answer like spaCy and do not keep every doc alive."""

import gc
import weakref

import spacy

from pipeline.extract.doccache import doc_ents, doc_text, entity_at


def _nlp():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "GPE", "pattern": "Basra"}])
    return nlp


def test_cached_properties_match_the_doc():
    doc = _nlp()("Trucks reached Basra on Monday.")
    assert doc_text(doc) == doc.text
    assert doc_ents(doc) == tuple(doc.ents)
    assert entity_at(doc[2]) == doc.ents[0]
    assert entity_at(doc[0]) is None


def test_docs_are_released_after_use():
    nlp = _nlp()
    used = []
    for _ in range(50):
        doc = nlp("Trucks reached Basra on Monday. Basra again.")
        doc_ents(doc)
        doc_text(doc)
        used.append(weakref.ref(doc))
    del doc
    gc.collect()
    assert sum(ref() is not None for ref in used) <= 8  # only the last few stay cached
