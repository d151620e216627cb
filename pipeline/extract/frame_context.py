"""What a figure's own clause leaves out and its neighbours say: a bare share's counted thing.

A frame is read from the figure's clause (:func:`pipeline.extract.frames.figure_frame`); news
often names what a share is of once and gives the next shares bare: "McDaniel led with 49.6
percent of the vote, and Cochran had 48.9 percent", "Clinton won 52 percent of the vote in
Nevada. Sanders took 47 percent." The second share counts votes too, but its clause does not
say so, and a frame with nothing counted is never compared. Here a percentage with nothing
counted whose clause names whose share it is (a holder: "Cochran had") takes the counted
thing of the nearest percentage of its sentence that names one (before it first), else of
the last one in the :data:`SHARE_CONTEXT_SENTENCES` sentences before.

Only what is counted is inherited, with the place its phrase names when the figure's own
clause names none ("47% of likely voters in Michigan support the president, with 37%
backing Romney": Michigan's voters); never the holder, time or event: those still come from
the figure's own clause, and a match still needs them to tie the two figures
(:func:`pipeline.across.sameness.compare`).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from pipeline.extract.frames import FigureFrame

__all__ = ["SHARE_CONTEXT_SENTENCES", "with_context"]

#: How many sentences before a bare share's own one are read for what it counts.
SHARE_CONTEXT_SENTENCES = 1
#: Figure kinds whose bare values take what they count from their neighbours.
_INHERITING_KINDS = frozenset({"percent"})


def with_context(
    doc: Doc, figures: Sequence[tuple[int, int, str | None]], frames: Sequence[FigureFrame]
) -> list[FigureFrame]:
    """The frames of one article's figures, a bare share's counted thing filled from context.

    Args:
        doc: The parsed article.
        figures: Each figure's ``(start, end, kind)`` in ``doc`` offsets, in the order of
            ``frames``.
        frames: Each figure's own frame (:func:`~pipeline.extract.frames.figure_frame`).

    Returns:
        The frames, in the same order; a frame is replaced only when it is a percentage with
        nothing counted and a neighbouring percentage names what it counts.
    """
    starts = [sent.start for sent in doc.sents]
    sentence_of = [_sentence_index(doc, starts, start) for start, _, _ in figures]
    out = list(frames)
    for i, ((start, _, kind), frame) in enumerate(zip(figures, frames, strict=True)):
        own = sentence_of[i]
        if kind not in _INHERITING_KINDS or frame.counted is not None or own < 0:
            continue
        if not _names_someone(frame.holder):
            continue  # "with 99.5 percent of the precincts reporting": not a share of anyone
        named = [
            j
            for j, ((_, _, other_kind), other) in enumerate(zip(figures, frames, strict=True))
            if j != i and other_kind == kind and other.counted is not None
        ]
        same = [j for j in named if sentence_of[j] == own]
        before = [j for j in same if figures[j][0] < start]
        after = [j for j in same if figures[j][0] > start]
        earlier = [j for j in named if own - SHARE_CONTEXT_SENTENCES <= sentence_of[j] < own]
        source = (
            max(before, key=lambda j: figures[j][0])
            if before
            else min(after, key=lambda j: figures[j][0])
            if after
            else max(earlier, key=lambda j: figures[j][0])
            if earlier
            else None
        )
        if source is not None:
            # "47% of likely voters in Michigan ..., with 37% backing Romney": the place
            # named in the counted thing's phrase is the population's, and so the share's
            place = frame.place or frames[source].place
            out[i] = replace(frame, counted=frames[source].counted, place=place)
    return out


def _names_someone(holder: str | None) -> bool:
    """A holder that names someone (words, no number): the share is someone's share."""
    return bool(holder) and not any(ch.isdigit() for ch in holder or "")


def _sentence_index(doc: Doc, starts: Sequence[int], start: int) -> int:
    """The index of the sentence holding character ``start``, -1 when no token is there.

    Args:
        doc: The parsed article.
        starts: The first token of each sentence of ``doc``, in order.
        start: A character offset in ``doc.text``.
    """
    span = doc.char_span(start, start + 1, alignment_mode="expand")
    if span is None or len(span) == 0:
        return -1
    return bisect.bisect_right(starts, span[0].i) - 1
