"""Inference without the training graph: the model's ``chain`` layers keep no backward pass.

thinc's ``chain`` (``a >> b >> c``, most of the model: the CNN of the tok2vec and of NER's own
embedding, their embedding and mixing layers) keeps the backward callback of every sublayer
until the whole chain has run, even when it is not training (``is_train=False``), and each
callback holds the arrays of its sublayer's forward pass. Over one long text, a window of up to
:data:`~pipeline.windows.WINDOW_CHARS` annotated at once, every intermediate array of every
layer was alive at the same moment: about 20 KB a token. A worker parsing a 52,820-character
AllSides article (10,563 tokens, one window) took 205 MiB more for a moment, a 48,960-character
one 177, so a worker's peak, and the pass's, grew with the longest article of the corpus (the
first 1,000 AllSides articles are at most 32,278 characters long, the 4,004 at most 62,414).

:func:`drop_backprop` gives every ``chain`` of a loaded pipeline a forward pass that, when not
training, lets each sublayer's callback go as soon as the next sublayer has its input: 102 and
84 MiB on those two articles. The arithmetic and its order are unchanged, so are the docs
(byte-identical DocBins on 42 AllSides articles, and ``tests/unit/test_nlp.py`` checks the
annotations against the stock pipeline); training (``is_train=True``) runs thinc's own forward.

:func:`drop_backprop` also gives every ``Maxout`` layer (the tok2vec's and NER's CNN and their
mixing layers) a forward pass that, when not training, takes the maximum over the pieces with
numpy (two ``maximum`` calls over strided views) instead of thinc's ``ops.maxout``, whose C loop
also records which piece won, for a backward pass that inference never runs: on the model's
shapes that loop took ~4.5 ns a value, numpy's ``maximum`` ~0.6. A maximum picks one of its
inputs, so the output is the same bits (every cached doc byte-identical on 200 AllSides
articles); about 7% of the model's CPU saved (tagger, parser and NER, 5.77 -> 5.37 CPU s
on 60 articles).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import numpy
from spacy.language import Language
from thinc.api import Model

#: thinc's ``chain`` module (``thinc.layers.chain`` the attribute is the ``chain`` function).
_CHAIN = importlib.import_module("thinc.layers.chain")

#: thinc's own forward pass of ``chain``, which the inference pass replaces.
CHAIN_FORWARD: Callable[..., Any] = _CHAIN.forward

#: thinc's ``maxout`` module, and its own forward pass of ``Maxout`` (replaced likewise).
_MAXOUT = importlib.import_module("thinc.layers.maxout")
MAXOUT_FORWARD: Callable[..., Any] = _MAXOUT.forward


def _no_backprop(dY: Any) -> Any:
    raise RuntimeError("this chain ran for inference (is_train=False): it has no backward pass")


def inference_chain_forward(model: Model, X: Any, is_train: bool) -> tuple[Any, Callable]:
    """``chain``'s forward pass; for inference, each sublayer's callback is dropped at once."""
    if is_train:
        return CHAIN_FORWARD(model, X, is_train)
    for layer in model.layers:
        X = layer(X, is_train=False)[0]
    return X, _no_backprop


def inference_maxout_forward(model: Model, X: Any, is_train: bool) -> tuple[Any, Callable]:
    """``Maxout``'s forward pass; for inference, the maximum over pieces alone (no argmax).

    The same products and bias as thinc's (same order, so the same bits), then the largest
    of the ``nP`` pieces of each output, pairwise with ``numpy.maximum``.
    """
    if is_train:
        return MAXOUT_FORWARD(model, X, is_train)
    n_out, pieces, n_in = model.get_dim("nO"), model.get_dim("nP"), model.get_dim("nI")
    W = model.ops.reshape2f(model.get_param("W"), n_out * pieces, n_in)
    Y = numpy.asarray(model.ops.gemm(X, W, trans2=True))
    Y += numpy.asarray(model.get_param("b")).reshape(n_out * pieces)
    Z = Y.reshape(Y.shape[0], n_out, pieces)
    best = Z[:, :, 0].copy()
    for piece in range(1, pieces):
        numpy.maximum(best, Z[:, :, piece], out=best)
    return best, _no_backprop


def drop_backprop(nlp: Language) -> int:
    """Give every ``chain`` and ``Maxout`` layer of ``nlp``'s components the inference pass.

    Returns:
        How many layers were changed (none on a second call).
    """
    changed = 0
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if isinstance(model, Model):
            changed += drop_backprop_model(model)
    return changed


def drop_backprop_model(model: Model) -> int:
    """Give every ``chain`` and ``Maxout`` layer in ``model`` the inference forward pass.

    Returns:
        How many layers were changed.
    """
    replacements = {
        CHAIN_FORWARD: inference_chain_forward,
        MAXOUT_FORWARD: inference_maxout_forward,
    }
    changed = 0
    for node in model.walk():
        replacement = replacements.get(node._func)
        if replacement is not None:
            node._func = replacement
            changed += 1
    return changed
