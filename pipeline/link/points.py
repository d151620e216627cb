"""Points for what the gazetteer cannot place on its own, from the rest of the document.

A county's gazetteer point is only a guess (the median of the document's towns in its
division serves better); a recognised name with no candidate at all (a building, a street, a
township) takes the point of a town the document names: the one just before it, or the one it
names most. Kept apart from :mod:`pipeline.link.geocode`, which ranks candidates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from pipeline.link.gazetteer import Gazetteer, name_key
from pipeline.link.mention import ADMIN_WORDS, HINT_WORDS, POLITY_WORDS, TOWN, Mention

#: A choice: (row or None, its score, the best score of another place).
Choice = tuple[int | None, float, float]


def median_point(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """The per-axis median of ``points`` (robust to one far-off town)."""
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    mid = len(points) // 2
    if len(points) % 2:
        return lats[mid], lons[mid]
    return (lats[mid - 1] + lats[mid]) / 2, (lons[mid - 1] + lons[mid]) / 2


def located_row(
    gazetteer: Gazetteer, mention: Mention, choice: Choice, min_score: float
) -> int | None:
    """The chosen row when it truly locates the mention, else None.

    Resolved at ``min_score`` or better, not a demonym, and not an approximate point (a
    county's guess). What every point drawn from the document's other places starts from
    (:func:`located_towns`, :func:`focus_point`, :func:`town_mentions`).
    """
    row, score, _ = choice
    if row is None or score < min_score or mention.demonym or bool(gazetteer.approx[row]):
        return None
    return row


def located_towns(
    gazetteer: Gazetteer,
    keys: Sequence[str],
    mentions: Sequence[Mention],
    chosen: Sequence[Choice],
    min_score: float,
) -> list[tuple[str, str, float, float, str]]:
    """(country, "CC.A1", lat, lon, key) of the confidently resolved, truly located places."""
    out = []
    for key, m, choice in zip(keys, mentions, chosen, strict=True):
        row = located_row(gazetteer, m, choice, min_score)
        if row is None or not gazetteer.feature_code(row).startswith("PPL"):
            continue
        cc = gazetteer.country_code(row)
        out.append(
            (
                cc,
                f"{cc}.{gazetteer.admin1_code(row)}",
                float(gazetteer.latitude[row]),
                float(gazetteer.longitude[row]),
                key,
            )
        )
    return out


def is_town(gazetteer: Gazetteer, row: int) -> bool:
    """Whether ``row`` is a populated place or a point-like facility (airport, base)."""
    code = gazetteer.feature_code(row)
    return code.startswith("PPL") or code in ("AIRP", "AIRB", "AIRF", "MILB")


FOCUS_LEVEL = {"PCLI": 3, "CONT": 4, "RGN": 3, "ADM1": 2, "ADM2": 1}


def focus_point(
    gazetteer: Gazetteer,
    mentions: Sequence[Mention],
    chosen: Sequence[Choice],
    min_score: float,
    *,
    towns_first: bool = False,
) -> tuple[float, float] | None:
    """The document's focus: the point of its most often mentioned place.

    Ties go to the finer place (a town before its country), then to the earlier one.
    Approximate points (counties) and demonyms do not count. With ``towns_first``, the most
    often mentioned town (or airport, base) when the document resolved any: a name with no
    candidate is mostly a building, street or neighbourhood, which lies in a town, and a
    country's middle is rarely within 161 km of it (the Russian embassy of a story about
    Russia, London and Washington is not in Siberia).
    """
    counts: Counter = Counter()
    first: dict[int, int] = {}
    for i, (m, choice) in enumerate(zip(mentions, chosen, strict=True)):
        row = located_row(gazetteer, m, choice, min_score)
        if row is None:
            continue
        counts[row] += 1
        first.setdefault(row, i)
    if not counts:
        return None
    towns = {r: n for r, n in counts.items() if is_town(gazetteer, r)}
    if towns_first and towns:
        counts = Counter(towns)
    row = min(
        counts, key=lambda r: (-counts[r], FOCUS_LEVEL.get(gazetteer.feature_code(r), 0), first[r])
    )
    return float(gazetteer.latitude[row]), float(gazetteer.longitude[row])


#: How far before a name with no candidate a town is taken as its setting ("In Washington,
#: some of the diplomats ... leaving the Russian Embassy"), in characters.
SETTING_CHARS = 300


def town_mentions(
    gazetteer: Gazetteer,
    mentions: Sequence[Mention],
    chosen: Sequence[Choice],
    min_score: float,
) -> list[tuple[int, float, float]]:
    """Where the document names a town it resolved at ``min_score`` or better.

    Returns ``(end offset, lat, lon)`` in text order.
    """
    return [
        (m.end, float(gazetteer.latitude[row]), float(gazetteer.longitude[row]))
        for m, choice in zip(mentions, chosen, strict=True)
        if (row := located_row(gazetteer, m, choice, min_score)) is not None
        and is_town(gazetteer, row)
    ]


def town_before(
    towns: Sequence[tuple[int, float, float]], start: int
) -> tuple[float, float] | None:
    """The point of the last town named within :data:`SETTING_CHARS` before ``start``."""
    near = [(lat, lon) for end, lat, lon in towns if start - SETTING_CHARS <= end <= start]
    return near[-1] if near else None


def unmatched_point(
    mention: Mention,
    *,
    focus: tuple[float, float] | None,
    town_focus: tuple[float, float] | None,
    towns: Sequence[tuple[int, float, float]],
) -> tuple[float, float] | None:
    """Where a recognised name with no gazetteer candidate most likely lies.

    A polity ("the Russian Empire") stands where the document's main place does; a township,
    district or county is an area of its own, in the document's main town's light; anything
    else (a building, a street) lies in the town named just before it, else in the document's
    most-mentioned town.
    """
    last_word = name_key(mention.text).rsplit(" ", 1)[-1]
    if last_word in POLITY_WORDS:
        return focus
    area = last_word in ADMIN_WORDS or HINT_WORDS.get(last_word) == TOWN
    setting = None if area else town_before(towns, mention.start)
    return setting or town_focus
