"""Intervals of values a figure allows, and how precisely a value is stated.

:func:`pipeline.across.conflicts.figure_interval` turns a figure into an :class:`Interval`
(its qualifier, its role, the rounding a round value may hide); :func:`stated_precision`
widens the less precisely stated of two exact values, and :func:`gap` says how far apart two
disjoint intervals are. Kept apart from the conflict decision so that each reads on its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pipeline.across.sameness_records import FigureView

__all__ = ["Interval", "gap", "interval", "stated_precision", "stated_unit"]


@dataclass(frozen=True, slots=True)
class Interval:
    """A set of values; ``low``/``high`` may be infinite; ``*_open`` excludes the end."""

    low: float
    high: float
    low_open: bool = False
    high_open: bool = False

    def intersects(self, other: Interval) -> bool:
        """True when some value belongs to both."""
        low = max(self.low, other.low)
        high = min(self.high, other.high)
        if low < high:
            return True
        if low > high:
            return False
        low_open = (self.low_open and self.low == low) or (other.low_open and other.low == low)
        high_open = (self.high_open and self.high == high) or (
            other.high_open and other.high == high
        )
        return not (low_open or high_open)

    def describe(self) -> str:
        """Interval notation, e.g. ``(5000, inf)``."""
        left = "(" if self.low_open or math.isinf(self.low) else "["
        right = ")" if self.high_open or math.isinf(self.high) else "]"
        return f"{left}{_number(self.low)}, {_number(self.high)}{right}"


def _number(value: float) -> str:
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return f"{value:g}" if abs(value) < 1e6 else f"{value:.6g}"


def interval(
    value: float | None,
    low: float | None,
    high: float | None,
    change: str,
    tolerance: float,
    *,
    role: str = "total",
    rounding: float = 0.0,
) -> Interval | None:
    """The values a figure allows, from its qualifier and role.

    None for empty figures and for ``up``/``down`` (a change's amount is compared by
    :func:`figure_interval`, only with other changes).
    """
    if change in ("up", "down"):
        return None
    if value is not None:
        low = high = value
    if low is None or high is None:
        return None
    low, high = min(low, high), max(low, high)
    if role == "limit":
        return Interval(high, high)
    if change == "~":
        return Interval(low - abs(low) * tolerance, high + abs(high) * tolerance)
    if change == ">":
        return Interval(low, math.inf, low_open=True)
    if change == "<":
        return Interval(-math.inf, high, high_open=True)
    if rounding and low == high:
        slack = _rounding_slack(low, rounding)
        if slack:  # 1,900 stands for [1,850, 1,950): rounding up starts at the half
            return Interval(low - slack, high + slack, high_open=True)
    return Interval(low, high)


def _rounding_slack(value: float, share: float) -> float:
    """How much a round value may have been rounded: half its last digit, at most ``share``."""
    magnitude = abs(value)
    if magnitude < 100 or magnitude != int(magnitude):
        return 0.0
    unit = _last_digit(magnitude)
    if unit < 100:
        return 0.0
    return min(unit / 2, magnitude * share)


def stated_unit(figure: FigureView) -> float:
    """The last digit an exact value is stated to: 0.1 for 8.6, 1e5 for "$8.6 million".

    1 for a whole percentage or an unround count ("1,907"), 10 for "30"; 0 for a range, a
    bound, an approximate value or a limit, which state no single value to a digit.
    """
    value = figure.value
    if value is None or figure.change not in ("=", "up", "down") or figure.role == "limit":
        return 0.0
    if value == 0:
        return 0.0
    if value != int(value):
        digits = f"{abs(value):.10f}".rstrip("0").split(".")[1]
        return 10.0 ** -len(digits)
    return float(_last_digit(abs(value)))


def _last_digit(magnitude: float) -> int:
    """The place of a whole non-zero number's last significant digit: 100 for 1,900."""
    unit = 1
    while int(magnitude) % (unit * 10) == 0:
        unit *= 10
    return unit


def _may_be_cut(figure: FigureView, unit: float) -> bool:
    """Whether a value stated to ``unit`` may be a more precise one rounded or cut short.

    A decimal or a percentage, or a round count or amount (to a hundred or more, as
    :func:`_rounding_slack`): "30" people and "1,907" votes are exact as written.
    """
    value = figure.value or 0.0
    return unit < 1 or figure.kind == "percent" or (abs(value) >= 100 and unit >= 100)


def stated_precision(
    a: FigureView, span_a: Interval, b: FigureView, span_b: Interval, share: float
) -> tuple[Interval, Interval]:
    """The two intervals, the less precisely stated value widened to cover truncation.

    A value stated with fewer digits than the other may be the other rounded or cut short:
    "$8.6 million" is as true of $8.67 million as "46 percent" is of 46.7 percent. When both
    are exact values stated to different digits (:func:`stated_unit`), the coarser stands for
    ``[v - unit/2, v + unit)`` (rounded from the half below, or cut from anything up to the
    next unit), each side at most ``share`` of the value as a round value's rounding is
    (:attr:`ConflictSettings.rounding`, twice that above). Values stated alike keep their
    intervals ("44 percent" and "43%" still disagree), and so does a value beside an
    approximate one ("300" and "nearly 400").
    """
    unit_a, unit_b = stated_unit(a), stated_unit(b)
    if not unit_a or not unit_b or unit_a == unit_b:
        return span_a, span_b
    if unit_a > unit_b and a.value is not None and _may_be_cut(a, unit_a):
        return _truncated(a.value, unit_a, span_a, share), span_b
    if unit_b > unit_a and b.value is not None and _may_be_cut(b, unit_b):
        return span_a, _truncated(b.value, unit_b, span_b, share)
    return span_a, span_b


def _truncated(value: float, unit: float, span: Interval, share: float) -> Interval:
    """``span`` widened to ``[value - unit/2, value + unit)``, each side capped by ``share``."""
    cap = abs(value) * share
    low = min(span.low, value - min(unit / 2, cap))
    high = max(span.high, value + min(unit, 2 * cap))
    return Interval(low, high, low_open=span.low_open and span.low == low, high_open=True)


def gap(a: Interval, b: Interval) -> float:
    """How far apart two disjoint intervals are, as the ratio of the nearer ends."""
    lower, upper = (a, b) if a.high < b.low else (b, a)
    if lower.high <= 0 or math.isinf(upper.low):
        return math.inf
    return upper.low / lower.high
