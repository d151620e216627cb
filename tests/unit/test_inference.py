"""The model's chain layers keep no backward pass for inference, and compute the same."""

from typing import Any

import numpy
import pytest
from thinc.api import Linear, Model, Relu, chain

from pipeline import inference, nlp


def _model() -> Model[Any, Any]:
    model: Model[Any, Any] = chain(Relu(nO=4, nI=3), Linear(nO=2, nI=4))
    model.initialize()
    return model


def test_loaded_model_chains_run_the_inference_pass():
    loaded = nlp.load_nlp()
    funcs = [
        node._func
        for _, component in loaded.pipeline
        if isinstance(getattr(component, "model", None), Model)
        for node in component.model.walk()
    ]
    assert inference.inference_chain_forward in funcs
    assert inference.CHAIN_FORWARD not in funcs
    assert inference.drop_backprop(loaded) == 0  # already done by the loader


def test_inference_pass_gives_the_same_output_and_no_backward_pass():
    X = numpy.random.default_rng(0).normal(size=(5, 3)).astype("float32")
    stock = _model()
    lean = _model()
    lean.from_bytes(stock.to_bytes())
    assert inference.drop_backprop_model(lean) == 1
    numpy.testing.assert_array_equal(stock.predict(X), lean.predict(X))
    _, backprop = lean(X, is_train=False)
    with pytest.raises(RuntimeError, match="inference"):
        backprop(numpy.zeros((5, 2), dtype="float32"))


def test_training_pass_is_thincs():
    X = numpy.random.default_rng(1).normal(size=(5, 3)).astype("float32")
    stock = _model()
    lean = _model()
    lean.from_bytes(stock.to_bytes())
    inference.drop_backprop_model(lean)
    dY = numpy.ones((5, 2), dtype="float32")
    Y1, back1 = stock(X, is_train=True)
    Y2, back2 = lean(X, is_train=True)
    numpy.testing.assert_array_equal(Y1, Y2)
    numpy.testing.assert_array_equal(back1(dY), back2(dY))
