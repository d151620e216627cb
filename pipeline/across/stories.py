"""Stories: articles about the same event, across outlets.

Two articles are linked when they were published close together (:attr:`StorySettings.window`;
an unknown date is compatible with any) and their similarity reaches
:attr:`StorySettings.threshold`. Similarity is the TF-IDF cosine of title plus lead (the title
counts twice: headlines name the event), plus a bonus for shared entities (canonical sources,
resolved places, counted things) when the caller has them.

Linked articles form candidate groups (connected components); each group is then cut with
average linkage at the same threshold, so one strong bridge cannot chain two events into one
story. Only groups of two or more articles are stories. A story's id derives from its earliest
article, so it stays put when later articles join.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
import polars as pl

from pipeline import ids
from pipeline.across.duplicates import publication_order

_WORD = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class StorySettings:
    """Tuning of story clustering.

    Attributes:
        lead_words: Words of the body used besides the title: leads say what happened.
        threshold: Minimum similarity to link two articles, and the average-linkage cut. Low,
            because outlets word one event differently and TF-IDF cosine of distinct articles is
            small; the time window and average linkage keep precision (chosen on AllSides-4k:
            see ``pipeline/evaluate/stories.py``).
        window: Maximum gap between two linked articles' publication times.
        entity_weight: Weight of the Jaccard of shared entities, added to the cosine.
        max_df: Terms in more than this share of articles carry no event signal (applied from
            ``min_corpus`` articles on: in a handful of articles a shared term is the signal).
        min_corpus: Corpus size from which ``max_df`` applies.
    """

    lead_words: int = 300
    threshold: float = 0.08
    window: timedelta = timedelta(days=1)
    entity_weight: float = 0.15
    max_df: float = 0.5
    min_corpus: int = 50


def story_text(title: str | None, body: str, lead_words: int) -> str:
    """Title twice plus the first ``lead_words`` words of the body."""
    lead = " ".join(_WORD.findall(body)[:lead_words])
    return f"{title or ''}\n{title or ''}\n{lead}"


def cluster_stories(
    articles: pl.DataFrame,
    entities: Mapping[str, frozenset[str]] | None = None,
    settings: StorySettings = StorySettings(),
) -> pl.DataFrame:
    """Assign articles to stories.

    Args:
        articles: ``article_id``, ``published_at``, ``title`` and ``body``; pass originals only
            (copies would make every syndicated piece its own story).
        entities: Optional entity keys per ``article_id`` (e.g. ``source:<id>``,
            ``place:<geonameid>``); shared ones raise the similarity.
        settings: Thresholds and window.

    Returns:
        ``article_id`` and ``story_id`` (null when the article has no companion), sorted by id.
    """
    rows = sorted(
        articles.select("article_id", "published_at", "title", "body").iter_rows(),
        key=lambda row: publication_order(row[1], row[0]),
    )
    n = len(rows)
    story: dict[str, str | None] = {row[0]: None for row in rows}
    if n >= 2:
        # Imported here: scikit-learn and SciPy take about 0.6 s to import, which a run with
        # nothing new (the build seal skips this step) and the UI's code server need not pay.
        from sklearn.feature_extraction.text import TfidfVectorizer

        texts = [story_text(title, body, settings.lead_words) for _, _, title, body in rows]
        matrix = TfidfVectorizer(
            sublinear_tf=True,
            stop_words="english",
            max_df=settings.max_df if n >= settings.min_corpus else 1.0,
            dtype=np.float64,
        ).fit_transform(texts)
        keys = [entities.get(row[0], frozenset()) if entities else frozenset() for row in rows]
        times = [row[1] for row in rows]
        pairs = _linked_pairs(matrix, times, keys, settings)
        for members in _groups(n, pairs):
            for cluster in _cut(members, matrix, times, keys, settings):
                if len(cluster) < 2:
                    continue
                first = min(cluster)  # rows are in publication order
                story_id = "st_" + ids.stable_id(rows[first][0])
                for member in cluster:
                    story[rows[member][0]] = story_id
    out = sorted(story.items())
    return pl.DataFrame(
        {"article_id": [a for a, _ in out], "story_id": [s for _, s in out]},
        schema={"article_id": pl.String, "story_id": pl.String},
    )


def _similarity(block: np.ndarray, keys_a: list, keys_b: list, weight: float) -> np.ndarray:
    """Cosine block plus the entity bonus where both sides have entities."""
    if weight and any(keys_a) and any(keys_b):
        bonus = np.zeros_like(block)
        for i, a in enumerate(keys_a):
            if not a:
                continue
            for j, b in enumerate(keys_b):
                if b:
                    bonus[i, j] = len(a & b) / len(a | b)
        block = block + weight * bonus
    return block


def _within(times: list, i: int, j: int, window: timedelta) -> bool:
    if times[i] is None or times[j] is None:
        return True
    return abs(times[i] - times[j]) <= window


def _linked_pairs(matrix, times: list, keys: list, settings: StorySettings) -> list[tuple]:
    """Pairs ``(i, j)``, ``i < j``, within the window and at or above the threshold.

    Rows are in publication order, so for a dated row only the following rows up to the end of
    its window are compared (a sliding block, not the full square); undated rows are compared
    with everything.
    """
    dated = [i for i, t in enumerate(times) if t is not None]
    undated = [i for i, t in enumerate(times) if t is None]
    pairs: list[tuple[int, int]] = []
    step = 256
    for start in range(0, len(dated), step):
        block = dated[start : start + step]
        last_time = times[block[-1]] + settings.window
        end = start + len(block)
        while end < len(dated) and times[dated[end]] <= last_time:
            end += 1
        columns = dated[start:end]
        sims = (matrix[block] @ matrix[columns].T).toarray()
        sims = _similarity(
            sims, [keys[i] for i in block], [keys[j] for j in columns], settings.entity_weight
        )
        for bi, ci in zip(*np.nonzero(sims >= settings.threshold), strict=True):
            i, j = block[bi], columns[ci]
            if i < j and _within(times, i, j, settings.window):
                pairs.append((i, j))
    if undated:
        sims = (matrix[undated] @ matrix.T).toarray()
        sims = _similarity(sims, [keys[i] for i in undated], keys, settings.entity_weight)
        for bi, j in zip(*np.nonzero(sims >= settings.threshold), strict=True):
            i = undated[bi]
            if i != j:
                pairs.append((min(i, j), max(i, j)))
    return sorted(set(pairs))


def _groups(n: int, pairs: list[tuple[int, int]]) -> list[list[int]]:
    """Connected components of the link graph with two or more members."""
    if not pairs:
        return []
    from scipy.sparse import csr_matrix  # imported when used, as in stories()
    from scipy.sparse.csgraph import connected_components

    rows, cols = zip(*pairs, strict=True)
    graph = csr_matrix((np.ones(len(pairs)), (rows, cols)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    members: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        members.setdefault(int(label), []).append(index)
    return sorted((m for m in members.values() if len(m) >= 2), key=lambda m: m[0])


def _cut(members: list[int], matrix, times: list, keys: list, settings: StorySettings):
    """Split a candidate group with average linkage (out-of-window pairs count as unrelated)."""
    if len(members) == 2:
        return [members]
    from scipy.cluster.hierarchy import fcluster, linkage  # imported when used, as in stories()

    sims = (matrix[members] @ matrix[members].T).toarray()
    sims = _similarity(
        sims, [keys[i] for i in members], [keys[i] for i in members], settings.entity_weight
    )
    for a in range(len(members)):
        for b in range(len(members)):
            if not _within(times, members[a], members[b], settings.window):
                sims[a, b] = 0.0
    distance = np.clip(1.0 - sims, 0.0, None)
    condensed = distance[np.triu_indices(len(members), k=1)]
    labels = fcluster(
        linkage(condensed, method="average"), t=1.0 - settings.threshold, criterion="distance"
    )
    clusters: dict[int, list[int]] = {}
    for member, label in zip(members, labels, strict=True):
        clusters.setdefault(int(label), []).append(member)
    return sorted(clusters.values(), key=lambda c: c[0])


def story_rows(articles: pl.DataFrame, assignment: pl.DataFrame) -> pl.DataFrame:
    """The ``stories`` table from the articles and their ``story_id`` (copies included).

    Args:
        articles: ``article_id``, ``outlet``, ``title``, ``published_at``.
        assignment: ``article_id`` and ``story_id`` of every article (copies inherit theirs).

    Returns:
        One row per story: ``story_id``, ``label`` (the earliest titled article's title),
        ``first_published``, ``last_published``, ``article_count``, ``outlet_count``,
        ``outlets``.
    """
    from pipeline.tables import SCHEMAS

    joined = articles.join(assignment, on="article_id").filter(pl.col("story_id").is_not_null())
    records = []
    for (story_id,), group in joined.group_by(["story_id"], maintain_order=False):
        ordered = sorted(
            group.iter_rows(named=True),
            key=lambda r: publication_order(r["published_at"], r["article_id"]),
        )
        titled = [r["title"] for r in ordered if r["title"]]
        outlets = sorted({r["outlet"] for r in ordered if r["outlet"]})
        dates = [r["published_at"] for r in ordered if r["published_at"] is not None]
        records.append(
            {
                "story_id": story_id,
                "label": titled[0] if titled else None,
                "first_published": min(dates) if dates else None,
                "last_published": max(dates) if dates else None,
                "article_count": len(ordered),
                "outlet_count": len(outlets),
                "outlets": outlets,
            }
        )
    schema = SCHEMAS["stories"]
    return (
        pl.DataFrame(records, schema=schema).sort("story_id")
        if records
        else pl.DataFrame(schema=schema)
    )
