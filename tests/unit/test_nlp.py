"""The pipeline's annotation is the stock spaCy pipeline's, token for token, only cheaper."""

import json

import numpy
import pytest

from pipeline import nlp

ATTRS = ["ORTH", "TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE", "SENT_START"]

#: The attribute ruler's multi-token patterns ("There *is*", "gon na", "y'all", "ai n't",
#: "let's"), its whitespace rules (space tokens get a tag, a POS and a label) and its
#: dependency-dependent ones (auxiliaries, "I" as subject or object).
TRICKY = (
    "There is a problem, and there were two more.  Y'all are gon na see it; I ain't "
    "lying, let's go.\n\nC'mon, they told me I had to do it.\n \nBut it was what it was."
)


@pytest.fixture(scope="module")
def stock():
    """A fresh copy of the model with every component, as ``spacy.load`` gives it."""
    return __import__(nlp.MODEL_PACKAGE).load()


def _texts(sample_dir) -> list[str]:
    lines = (sample_dir / "jsonl" / "allsides-slice.jsonl").read_text().splitlines()
    bodies = [json.loads(line)["content_original"] for line in lines if line.strip()]
    seeds = [path.read_text() for path in sorted((sample_dir / "seeds").glob("*.txt"))]
    return [TRICKY, *seeds, *bodies]


def test_annotation_equals_stock_pipeline(stock, sample_dir):
    texts = _texts(sample_dir)
    ours = nlp.annotate(texts)
    for reference, doc in zip(stock.pipe(texts), ours, strict=True):
        expected, got = reference.to_array(ATTRS), doc.to_array(ATTRS)
        assert expected.shape == got.shape
        differing = numpy.flatnonzero((expected != got).any(axis=1))
        assert not differing.size, [reference[int(i)].text for i in differing[:10]]


def test_token_attributes_follow_multi_token_patterns(stock):
    doc = nlp.annotate([TRICKY])[0]
    reference = stock(TRICKY)
    assert [t.pos_ for t in doc] == [t.pos_ for t in reference]
    assert [t.lemma_ for t in doc] == [t.lemma_ for t in reference]
    assert doc[1].pos_ == "VERB"  # "There is": the ruler's two-token pattern, not the tag map


@pytest.mark.parametrize("trans1, trans2", [(False, False), (True, False), (False, True)])
def test_openblas_gemm_matches_blis(trans1, trans2):
    from thinc.api import NumpyOps

    rng = numpy.random.default_rng(0)
    x = rng.random((7, 5) if not trans1 else (5, 7), dtype="float32")
    y = rng.random((5, 3) if not trans2 else (3, 5), dtype="float32")
    expected = NumpyOps().gemm(x, y, trans1=trans1, trans2=trans2)
    out = numpy.empty((7, 3), dtype="float32")
    got = nlp.OpenBlasOps().gemm(x, y, out=out, trans1=trans1, trans2=trans2)
    assert got is out
    numpy.testing.assert_allclose(got, expected, rtol=1e-5)
    numpy.testing.assert_allclose(
        nlp.OpenBlasOps().gemm(x, y, trans1=trans1, trans2=trans2), expected, rtol=1e-5
    )


def test_worker_batches_put_long_texts_first_and_alone_and_copies_together():
    from pipeline.articles import BATCH_ARTICLES, BATCH_CHARS, _batches
    from pipeline.work import ArticleWork

    bodies = ["a" * 10, "b" * (BATCH_CHARS + 5), "c" * 30, *(f"d{n}" for n in range(20))]
    items = [ArticleWork(f"id{i}", f"h{body}", body, None, ()) for i, body in enumerate(bodies)]
    copy = ArticleWork("copy", "h" + "c" * 30, "c" * 30, None, ())  # an exact copy of item 2
    items.insert(5, copy)
    batches = [[item.article_id for item in batch.items] for batch in _batches(items, (), None)]
    assert batches[0] == ["id1"]  # longer than a batch's budget: alone, and first
    assert sorted(i for batch in batches for i in batch) == sorted(i.article_id for i in items)
    assert all(len(batch) <= BATCH_ARTICLES for batch in batches)
    assert any({"id2", "copy"} <= set(batch) for batch in batches)


def test_minibatches_bound_characters_and_pieces_in_order():
    pieces = [(0, "a" * 8), (0, "b" * 8), (1, "c" * 30), (2, "d" * 4), (3, "e" * 4), (3, "f")]
    groups = list(nlp._minibatches(pieces, 3, 16))
    assert [piece for group in groups for piece in group] == pieces  # nothing lost, in order
    assert [len(group) for group in groups] == [2, 1, 3]  # a long piece alone; 3 at most
    assert [len(group) for group in nlp._minibatches(pieces, 2, 100)] == [2, 2, 2]


def test_annotations_do_not_depend_on_how_the_texts_are_split(sample_dir, monkeypatch):
    """The model's minibatches are cut by characters; the cached docs are the same bytes."""
    texts = _texts(sample_dir)
    assert sum(map(len, texts)) > nlp.PARSE_BATCH_CHARS  # the real split is taken, too
    whole = [nlp.docs_to_bytes(parts) for parts in nlp.annotate_many(texts)]
    monkeypatch.setattr(nlp, "PARSE_BATCH_CHARS", 500)  # every text alone
    assert [nlp.docs_to_bytes(parts) for parts in nlp.annotate_many(texts)] == whole
