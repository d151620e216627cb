"""The records of the frame comparison: a figure as it sees one, and its verdict.

:class:`FigureView` is what :func:`pipeline.across.sameness.compare` and the conflict decision
(:mod:`pipeline.across.conflicts`) read of a ``figures`` row; :class:`Match` and
:class:`Mismatch` are the two verdicts, the second naming the check that failed so that
``newsledger eval conflicts`` can count lost recall by check. Plain frozen records, apart from
the rules that make them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from pipeline.across.sameness_keys import Counted


@dataclass(frozen=True, slots=True)
class FigureView:
    """One figure as the conflict decision sees it: values, frame and article metadata."""

    figure_id: str
    article_id: str
    outlet: str
    published_at: datetime | None
    text: str
    value: float | None
    low: float | None
    high: float | None
    change: str
    kind: str
    unit: str | None
    counted: str | None
    event: str | None
    holder: str | None
    place: str | None
    time: str | None
    role: str

    @classmethod
    def from_row(
        cls, row: Mapping[str, object], outlet: str | None, published_at: datetime | None
    ) -> FigureView:
        """From a ``figures`` row (with its ``frame_*`` columns) and its article's metadata."""
        counted = row.get("frame_counted") or row.get("counted")
        return cls(
            figure_id=str(row["figure_id"]),
            article_id=str(row["article_id"]),
            outlet=(outlet or str(row["article_id"])).strip().lower(),
            published_at=published_at,
            text=str(row["text"]),
            value=row["value"],  # type: ignore[arg-type]
            low=row["value_low"],  # type: ignore[arg-type]
            high=row["value_high"],  # type: ignore[arg-type]
            change=str(row["change"]),
            kind=str(row["kind"]),
            unit=row["unit"],  # type: ignore[arg-type]
            counted=counted,  # type: ignore[arg-type]
            event=row.get("frame_event"),  # type: ignore[arg-type]
            holder=row.get("frame_holder"),  # type: ignore[arg-type]
            place=row.get("frame_place"),  # type: ignore[arg-type]
            time=row.get("frame_time"),  # type: ignore[arg-type]
            role=str(row.get("frame_role") or "total"),
        )

    def describe(self) -> str:
        """The frame in words: "u.s. troop · deploy · holder ... · in Iraq · now · total"."""
        parts = [self.counted or "?", self.event or "-"]
        if self.holder:
            parts.append(f"of {self.holder}")
        parts.append(f"in {self.place}" if self.place else "anywhere")
        parts.append(self.time or "at publication")
        parts.append(self.role)
        return " · ".join(parts)


#: The note of a match that nothing ties beyond the counted noun (:attr:`Mismatch.untied`).
UNTIED_NOTE = "nothing ties them beyond the counted noun"


@dataclass(frozen=True, slots=True)
class Mismatch:
    """Why two frames are not one quantity: the check that failed and what it saw."""

    #: ``role``, ``kind``, ``counted``, ``modifiers``, ``event``, ``holder``, ``place``,
    #: ``time``, ``tie`` (nothing beyond the counted noun) or ``uncertain`` (too many fuzzy
    #: fields).
    check: str
    detail: str
    #: For a ``tie`` failure whose frames are otherwise certain (the same modifiers, the same
    #: or no predicate, nothing named on one side only): the match they would make, which
    #: :func:`pipeline.across.conflicts.decide` accepts only for values close together.
    untied: Match | None = None

    def describe(self) -> str:
        """E.g. ``modifiers: undocumented / young``."""
        return f"{self.check}: {self.detail}"


@dataclass(frozen=True, slots=True)
class Match:
    """Why two frames are the same quantity."""

    counted: Counted
    exact: bool
    notes: tuple[str, ...]
    #: A holder, place or named time agrees on both sides.
    tied: bool = False
