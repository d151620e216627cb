"""The same claim across articles: one statement by one source, carried by several outlets.

Claims are compared only within one canonical source (``claims.source_id``; a claim without a
resolved speaker is never grouped: "the same source" cannot be shown) and within a time window
(unknown dates are compatible with any). Two claims match when their normalised contents are
identical or a close paraphrase: rapidfuzz ``token_sort_ratio`` at least
:attr:`ClaimGroupSettings.min_ratio`, or, for quotes one outlet trimmed, one content contained
in the other (``partial_ratio``) when the shorter has enough words to be specific. Matches are
joined transitively (single link) and a group needs claims from two or more articles.

Who relayed each copy stays on the claim (``via_source_id``), so a group answers "how many
outlets carried this, and through whom".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
import polars as pl
from rapidfuzz import fuzz, process

from pipeline import ids
from pipeline.across.duplicates import publication_order

_ALIASES = (
    (re.compile(r"\b(u\.s\.a\.?|usa|u\.s\.|united states)(?=\W|$)"), "us"),
    (re.compile(r"\b(u\.k\.|united kingdom)(?=\W|$)"), "uk"),
)
_NON_WORD = re.compile(r"[^\w\s]+")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class ClaimGroupSettings:
    """Tuning of claim matching.

    Attributes:
        min_ratio: Minimum ``token_sort_ratio`` (0-100) of two normalised contents.
        min_words: Contents shorter than this are too generic to match ("No", "we will see").
        contained_ratio: Minimum ``partial_ratio`` for a trimmed quote inside a longer one.
        contained_words: The shorter content needs this many words to count as contained.
        window: Maximum gap between the two articles' publication times.
    """

    min_ratio: float = 85.0
    min_words: int = 5
    contained_ratio: float = 95.0
    contained_words: int = 10
    window: timedelta = timedelta(days=3)


def normalise(content: str) -> str:
    """Lowercase, country spellings unified, punctuation removed, spaces collapsed."""
    text = content.lower().replace("’", "'")
    for pattern, replacement in _ALIASES:
        text = pattern.sub(replacement, text)
    return _SPACE.sub(" ", _NON_WORD.sub(" ", text)).strip()


def group_claims(
    claims: pl.DataFrame,
    articles: pl.DataFrame,
    settings: ClaimGroupSettings = ClaimGroupSettings(),
) -> pl.DataFrame:
    """Group repeated claims.

    Args:
        claims: ``claim_id``, ``article_id``, ``source_id``, ``via_source_id``, ``content``.
        articles: ``article_id``, ``published_at``, ``duplicate_of`` of the claims' articles.
        settings: Thresholds and window.

    Returns:
        The ``claim_groups`` rows (see :data:`pipeline.tables.SCHEMAS`), one per grouped claim.
    """
    from pipeline.tables import SCHEMAS

    meta = {
        row[0]: (row[1], row[2])
        for row in articles.select("article_id", "published_at", "duplicate_of").iter_rows()
    }
    usable = claims.filter(pl.col("source_id").is_not_null()).with_columns(
        norm=pl.col("content").map_elements(normalise, return_dtype=pl.String)
    )
    usable = usable.filter(pl.col("norm").str.count_matches(" ") + 1 >= settings.min_words)
    records: list[dict[str, object]] = []
    for (source_id,), block in usable.sort("claim_id").group_by(["source_id"], maintain_order=True):
        if block["article_id"].n_unique() < 2:
            continue
        records.extend(_group_block(str(source_id), block, meta, settings))
    schema = SCHEMAS["claim_groups"]
    if not records:
        return pl.DataFrame(schema=schema)
    return pl.DataFrame(records, schema=schema).sort("claim_group_id", "claim_id")


def _group_block(source_id, block: pl.DataFrame, meta: dict, settings: ClaimGroupSettings):
    """Groups of one source's claims."""
    rows = sorted(
        block.iter_rows(named=True),
        key=lambda r: (
            *publication_order(meta.get(r["article_id"], (None,))[0], r["article_id"]),
            r["claim_id"],
        ),
    )
    texts = [r["norm"] for r in rows]
    words = np.array([t.count(" ") + 1 for t in texts])
    specific = words >= settings.contained_words
    parent = list(range(len(rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for left, right in _candidate_blocks(rows, meta, settings.window):
        for a, b in _similar_pairs(rows, texts, left, right, specific, settings):
            # Either order: an undated claim (sorted last) meets dated ones only as ``a``.
            i, j = min(a, b), max(a, b)
            if not _within(meta, rows[i], rows[j], settings.window):
                continue
            root_i, root_j = find(i), find(j)
            if root_i != root_j:
                parent[max(root_i, root_j)] = min(root_i, root_j)
    groups: dict[int, list[int]] = {}
    for i in range(len(rows)):
        groups.setdefault(find(i), []).append(i)
    out = []
    for root, members in sorted(groups.items()):
        if len({rows[m]["article_id"] for m in members}) < 2:
            continue
        representative = rows[root]  # the earliest claim (rows are in publication order)
        group_id = "g_" + ids.stable_id(representative["claim_id"])
        for m in members:
            row = rows[m]
            out.append(
                {
                    "claim_group_id": group_id,
                    "claim_id": row["claim_id"],
                    "article_id": row["article_id"],
                    "source_id": source_id,
                    "via_source_id": row["via_source_id"],
                    "is_representative": m == root,
                    "similarity": round(fuzz.token_sort_ratio(texts[root], texts[m]) / 100.0, 4),
                    "from_duplicate": meta.get(row["article_id"], (None, None))[1] is not None,
                }
            )
    return out


def _candidate_blocks(
    rows: list[dict], meta: dict, window: timedelta
) -> list[tuple[list[int], list[int]]]:
    """Pairs of row-index blocks that can hold two claims within ``window`` of each other.

    Dated claims fall into buckets one window wide; two claims within the window are in the same
    or adjacent buckets, so only those blocks are compared (all pairs of one prolific source
    were millions of comparisons). Undated claims are compared with every claim, as
    :func:`_within` allows.
    """
    times = [meta.get(r["article_id"], (None,))[0] for r in rows]
    undated = [i for i, t in enumerate(times) if t is None]
    dated = [i for i, t in enumerate(times) if t is not None]
    blocks: list[tuple[list[int], list[int]]] = []
    if undated:
        blocks.append((undated, list(range(len(rows)))))
    if dated:
        origin = min(times[i] for i in dated)
        buckets: dict[int, list[int]] = {}
        for i in dated:
            buckets.setdefault(int((times[i] - origin) / window), []).append(i)
        for key in sorted(buckets):
            blocks.append((buckets[key], buckets[key] + buckets.get(key + 1, [])))
    return blocks


#: Claims per side of one similarity matrix: bounds its memory (a prolific source's undated
#: claims were compared all at once: 50,000 of them made a 20 GB matrix).
TILE = 2048


def _similar_pairs(
    rows: list[dict],
    texts: list[str],
    left: list[int],
    right: list[int],
    specific: np.ndarray,
    settings: ClaimGroupSettings,
) -> Iterator[tuple[int, int]]:
    """Similar ``(i, j)`` row pairs of two blocks, from different articles only.

    Each block is split by article and the articles' claims compared article by article, in
    tiles of at most :data:`TILE` claims a side: claims of one article are never compared
    (a group spans articles), and memory stays bounded however many claims a source has.
    """
    left_by_article = _by_article(rows, left)
    right_by_article = _by_article(rows, right)
    for article_a, left_rows in left_by_article.items():
        for article_b, right_rows in right_by_article.items():
            if article_a == article_b:
                continue
            for l0 in range(0, len(left_rows), TILE):
                lchunk = left_rows[l0 : l0 + TILE]
                for r0 in range(0, len(right_rows), TILE):
                    rchunk = right_rows[r0 : r0 + TILE]
                    similar = _similar(texts, lchunk, rchunk, specific, settings)
                    for a, b in zip(*np.nonzero(similar), strict=True):
                        yield lchunk[a], rchunk[b]


def _by_article(rows: list[dict], indices: list[int]) -> dict[str, list[int]]:
    grouped: dict[str, list[int]] = {}
    for i in indices:
        grouped.setdefault(rows[i]["article_id"], []).append(i)
    return grouped


def _similar(
    texts: list[str],
    left: list[int],
    right: list[int],
    specific: np.ndarray,
    settings: ClaimGroupSettings,
) -> np.ndarray:
    """Which (left, right) pairs say the same thing: near-equal, or one contained in the other.

    Both scorers get the threshold as ``score_cutoff``, so rapidfuzz stops on a pair as soon as
    it cannot reach it (a score below is returned as 0: the same verdict, computed sooner), and
    the costly ``partial_ratio`` runs only on the rows and columns with specific texts.
    """
    left_texts = [texts[i] for i in left]
    right_texts = [texts[j] for j in right]
    score = process.cdist(
        left_texts,
        right_texts,
        scorer=fuzz.token_sort_ratio,
        score_cutoff=settings.min_ratio,
        workers=1,
    )
    similar = np.asarray(score, dtype=np.float64) >= settings.min_ratio
    both_specific = np.outer(specific[left], specific[right])
    if both_specific.any():
        rows = np.flatnonzero(both_specific.any(axis=1))
        columns = np.flatnonzero(both_specific.any(axis=0))
        partial = process.cdist(
            [left_texts[i] for i in rows],
            [right_texts[j] for j in columns],
            scorer=fuzz.partial_ratio,
            score_cutoff=settings.contained_ratio,
            workers=1,
        )
        within = np.ix_(rows, columns)
        similar[within] |= (np.asarray(partial, dtype=np.float64) >= settings.contained_ratio) & (
            both_specific[within]
        )
    return similar


def _within(meta: dict, a: dict, b: dict, window: timedelta) -> bool:
    time_a = meta.get(a["article_id"], (None,))[0]
    time_b = meta.get(b["article_id"], (None,))[0]
    if time_a is None or time_b is None:
        return True
    return abs(time_a - time_b) <= window
