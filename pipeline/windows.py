"""Cut a long text into windows the spaCy model can take, at the most natural boundaries.

spaCy refuses texts over ``nlp.max_length`` (1,000,000 characters) and its parser and NER need
memory in proportion to the tokens of a batch, while transcripts, reports and live blogs run to
a few megabytes. Such a body is parsed in windows and the window docs are joined back into one
doc over the whole body (:func:`pipeline.nlp.annotate`), so every offset is an offset into
``articles.body`` and rows from windows obey the same span contract as any other.

Windows are contiguous and cover the text exactly (their concatenation is the text). Each is
cut at the last boundary before the limit, trying in order:

1. a paragraph break (a blank line);
2. a line break;
3. the end of a sentence (``.``, ``!`` or ``?``, closing quotes or brackets, then a space);
4. any whitespace;
5. a hard cut at the limit, for a text without boundaries at all (a 2 MB "word").

A cut at a paragraph break is invisible to the model (paragraphs are parsed as separate
sentences anyway); a hard cut splits one overlong token into two.
"""

from __future__ import annotations

import re

#: Texts longer than this are parsed in windows. Far below spaCy's limit: a window is one task
#: for a worker, and the model's activations (and a worker's heap) grow with a task's tokens.
WINDOW_CHARS = 100_000

#: Where a window may end, best first: the end of the match is the cut.
_BOUNDARIES = (
    re.compile(r"\n[ \t]*\n\s*"),
    re.compile(r"\n\s*"),
    re.compile(r"[.!?][\"'”’)\]]*\s+"),
    re.compile(r"\s+"),
)


def window_spans(text: str, limit: int = WINDOW_CHARS) -> list[tuple[int, int]]:
    """``[(start, end), ...]`` windows of at most ``limit`` characters covering ``text``.

    A text within the limit is one window. Windows are cut at the best boundary of
    :data:`_BOUNDARIES` that leaves a window of at least a quarter of the limit (so a stray
    line break near the start does not make a tiny window), else at the limit.
    """
    if limit < 1:
        raise ValueError("limit must be positive")
    spans: list[tuple[int, int]] = []
    start = 0
    length = len(text)
    while length - start > limit:
        cut = _best_cut(text, start, start + limit, min_size=max(1, limit // 4))
        spans.append((start, cut))
        start = cut
    if start < length or not spans:
        spans.append((start, length))
    return spans


def _best_cut(text: str, start: int, stop: int, *, min_size: int) -> int:
    """The end of the last, best boundary in ``text[start + min_size:stop]``, else ``stop``."""
    for boundary in _BOUNDARIES:
        last = None
        for match in boundary.finditer(text, start + min_size - 1, stop):
            if match.end() <= stop:
                last = match.end()
        if last is not None and last > start:
            return last
    return stop
