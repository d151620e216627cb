"""A label-free check of the same-quantity decision over a whole warehouse (distant labels).

The judged set (:mod:`pipeline.evaluate.conflicts`) is small: a rule tuned on its read half's
few misses may not carry over (issue 30: read recall 0.75, check 0.38). A warehouse holds far
more pairs, and two kinds of them carry a label for free:

* **equal**: two outlets in one story give the *same distinctive value* (``2,342``, ``7.8``,
  not ``3`` or ``100``, :func:`distinctive`) for one counted head: nearly always one quantity
  told twice, so a check that turns many of them down is too strict;
* **far**: two values of one head more than :data:`FAR_RATIO` apart: nearly never one
  quantity, so a check that lets many of them through is too loose.

:func:`outcome_table` counts, for each kind, which check of
:func:`pipeline.across.sameness.compare` decides the pair (``match`` or the failed check). A
check that rejects equal pairs as often as far ones tells nothing apart; a relaxation that
moves equal pairs to ``match`` without moving far ones generalises beyond the judged set. It
is a proxy (equal values are mostly agreements, the pairs a conflict decision never reports),
so it complements the judged set and never replaces it.

Run: ``uv run --frozen python -m pipeline.evaluate.conflict_distant data/allsides.duckdb``
"""

from __future__ import annotations

import itertools
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from pipeline.across.conflicts import FigureView, is_vague
from pipeline.across.sameness import Match, compare, counted_key

#: Two values further apart than this ratio are never one quantity.
FAR_RATIO = 3.0
#: A head mentioned more often than this in one story is skipped (a results table, a live
#: blog: quadratic and uninformative), as the conflict stage skips it.
MAX_MENTIONS = 150


def distinctive(value: float) -> bool:
    """A value two outlets rarely give by chance for two quantities.

    A fraction (``7.8``), or an integer of two or more digits that is not round
    (``2,342``, ``58``); not ``3``, ``20`` or ``1,000``, which many counts of one story share.
    """
    if value != int(value):
        return True
    number = abs(int(value))
    return (number >= 10 and number % 10 != 0) or (number >= 1000 and number % 1000 != 0)


def distant_pairs(
    views_by_story: Mapping[str, Sequence[FigureView]],
) -> Iterator[tuple[str, FigureView, FigureView]]:
    """``("equal" | "far", a, b)`` for pairs of one story, two outlets, one counted head."""
    for views in views_by_story.values():
        by_head: dict[str, list[FigureView]] = {}
        for view in views:
            key = counted_key(view.counted)
            if key is None or view.value is None or view.kind == "duration" or is_vague(view):
                continue
            by_head.setdefault(key.head, []).append(view)
        for head in sorted(by_head):
            mentions = by_head[head]
            if len(mentions) > MAX_MENTIONS:
                continue
            for a, b in itertools.combinations(mentions, 2):
                label = distant_label(a, b)
                if label is not None:
                    yield label, a, b


def distant_label(a: FigureView, b: FigureView) -> str | None:
    """``equal``, ``far`` or None (same outlet, or values neither equal nor far apart)."""
    if a.outlet == b.outlet or a.value is None or b.value is None:
        return None
    if a.value == b.value and distinctive(a.value):
        return "equal"
    low, high = sorted((abs(a.value), abs(b.value)))
    if low > 0 and high / low > FAR_RATIO:
        return "far"
    return None


def outcome_table(pairs: Iterable[tuple[str, FigureView, FigureView]]) -> dict[str, Counter]:
    """For each distant label, how many pairs each check decides (``match`` or its name)."""
    table: dict[str, Counter] = {"equal": Counter(), "far": Counter()}
    for label, a, b in pairs:
        result = compare(a, b)
        table[label]["match" if isinstance(result, Match) else result.check] += 1
    return table


def warehouse_views(path: Path) -> dict[str, list[FigureView]]:
    """The figures of every story of a warehouse (copies left out), by story id."""
    from pipeline.warehouse import Warehouse, connect

    warehouse = Warehouse(connect(path, read_only=True))
    frame = warehouse.frame(
        """
        SELECT f.*, a.story_id, a.outlet, a.published_at
        FROM figures f JOIN articles a USING (article_id)
        WHERE a.story_id IS NOT NULL AND a.duplicate_of IS NULL
        ORDER BY a.story_id, f.article_id, f."start"
        """
    )
    out: dict[str, list[FigureView]] = {}
    for row in frame.iter_rows(named=True):
        view = FigureView.from_row(row, row["outlet"], row["published_at"])
        out.setdefault(row["story_id"], []).append(view)
    return out


def format_table(table: Mapping[str, Counter]) -> str:
    """The table as text: each outcome's count and share among equal and far pairs."""
    totals = {label: sum(counts.values()) or 1 for label, counts in table.items()}
    lines = [
        f"equal-value pairs {sum(table['equal'].values())}, far pairs {sum(table['far'].values())}"
    ]
    outcomes = sorted(set(table["equal"]) | set(table["far"]), key=lambda o: -table["equal"][o])
    for outcome in outcomes:
        equal, far = table["equal"][outcome], table["far"][outcome]
        lines.append(
            f"  {outcome:10} equal {equal:6} ({equal / totals['equal']:.3f})"
            f"   far {far:6} ({far / totals['far']:.3f})"
        )
    return "\n".join(lines)


def main(argv: Sequence[str]) -> int:
    """Print the outcome table of the warehouse named on the command line."""
    if len(argv) != 1:
        print("usage: python -m pipeline.evaluate.conflict_distant WAREHOUSE", file=sys.stderr)
        return 2
    print(format_table(outcome_table(distant_pairs(warehouse_views(Path(argv[0]))))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
