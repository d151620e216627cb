"""Long texts are cut into windows that cover them exactly, at the best boundary in reach."""

import pytest

from pipeline.windows import window_spans


def _covers(text: str, spans: list[tuple[int, int]]) -> bool:
    return "".join(text[a:b] for a, b in spans) == text and all(a < b for a, b in spans)


def test_a_short_text_is_one_window():
    assert window_spans("short text", 100) == [(0, 10)]
    assert window_spans("", 100) == [(0, 0)]


def test_paragraph_breaks_come_first():
    paragraph = "A sentence. Another one here.\nA line.\n\n"
    text = paragraph * 40
    spans = window_spans(text, 200)
    assert _covers(text, spans)
    assert all(b - a <= 200 for a, b in spans)
    assert all(text[:b].endswith("\n\n") for _, b in spans[:-1])


def test_inside_a_giant_paragraph_sentences_then_spaces_then_a_hard_cut():
    sentences = "This is one sentence of the paragraph. " * 50
    spans = window_spans(sentences, 300)
    assert _covers(sentences, spans)
    assert all(sentences[:b].endswith(". ") for _, b in spans[:-1])
    words = "word " * 200
    assert all(words[:b].endswith(" ") for _, b in window_spans(words, 64)[:-1])
    blob = "x" * 1000
    assert window_spans(blob, 300) == [(0, 300), (300, 600), (600, 900), (900, 1000)]


def test_a_boundary_too_near_the_start_is_not_used():
    text = "Title\n\n" + "x" * 990
    spans = window_spans(text, 400)
    assert spans[0] == (0, 400)  # not (0, 7): a window keeps at least a quarter of the limit


@pytest.mark.parametrize("limit", [0, -5])
def test_the_limit_must_be_positive(limit):
    with pytest.raises(ValueError):
        window_spans("text", limit)
