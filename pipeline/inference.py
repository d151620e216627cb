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
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from spacy.language import Language
from thinc.api import Model

#: thinc's ``chain`` module (``thinc.layers.chain`` the attribute is the ``chain`` function).
_CHAIN = importlib.import_module("thinc.layers.chain")

#: thinc's own forward pass of ``chain``, which the inference pass replaces.
CHAIN_FORWARD: Callable[..., Any] = _CHAIN.forward


def _no_backprop(dY: Any) -> Any:
    raise RuntimeError("this chain ran for inference (is_train=False): it has no backward pass")


def inference_chain_forward(model: Model, X: Any, is_train: bool) -> tuple[Any, Callable]:
    """``chain``'s forward pass; for inference, each sublayer's callback is dropped at once."""
    if is_train:
        return CHAIN_FORWARD(model, X, is_train)
    for layer in model.layers:
        X = layer(X, is_train=False)[0]
    return X, _no_backprop


def drop_backprop(nlp: Language) -> int:
    """Give every ``chain`` layer of ``nlp``'s components the inference forward pass.

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
    """Give every ``chain`` layer in ``model`` the inference forward pass; how many changed."""
    changed = 0
    for node in model.walk():
        if node._func is CHAIN_FORWARD:
            node._func = inference_chain_forward
            changed += 1
    return changed
