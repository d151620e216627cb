"""Candidate pairs of figures to judge for the conflicts eval, drawn without the conflict logic.

The judged set (``tests/fixtures/conflicts/``) is a stratified sample of pairs of figures in one
story from different outlets. The strata are defined by things a reader can check on the two
sentences, never by frames or by :func:`pipeline.across.conflicts.decide`, so the eval measures
the decision rather than echoing it:

* :func:`sample_pairs` (the first 300 pairs): counted things of one head noun, split by whether
  the plain values overlap and whether the sentences share their words
  (``agreeing``, ``similar``, ``distant``);
* :func:`sample_governed_pairs` (stratum ``governed``): counted things of one head lemma, the
  figures governed by the same verb lemma or by verbs whose subjects have the same head noun,
  values different but within a factor of three: where real disagreements are, and the hard
  negatives that look like them.

Each draw is deterministic for a warehouse and a seed; a larger ``size`` extends a smaller one
(the same seeded order, read further).
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.across.conflicts import ConflictSettings, FigureView, counted_key, figure_interval
from pipeline.across.sameness import singular

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from pipeline.warehouse import Warehouse

#: The strata of the judged set, in the order the README describes them.
STRATA = ("initial", "governed", "worded", "loose")

_Candidate = tuple[str, dict, dict]


def sentence_id(text: str) -> str:
    """The gold-text id of a sentence (one text per distinct sentence)."""
    return "s_" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def pair_id(a: Mapping[str, object], b: Mapping[str, object]) -> str:
    """A stable id for a pair, from both sentences and spans (order-insensitive)."""
    keys = sorted(f"{side['sentence']}\x1f{side['start']}\x1f{side['end']}" for side in (a, b))
    return "cp_" + hashlib.sha1("\x1e".join(keys).encode("utf-8")).hexdigest()[:16]


def _story_articles(warehouse: Warehouse) -> dict[str, tuple]:
    """``article_id`` -> (outlet, published_at, story_id) of story articles that are not copies."""
    articles = warehouse.frame(
        "SELECT article_id, outlet, published_at, story_id FROM articles"
        " WHERE story_id IS NOT NULL AND duplicate_of IS NULL"
    )
    return {r[0]: r[1:] for r in articles.iter_rows()}


def sample_pairs(
    warehouse: Warehouse,
    *,
    size: int = 240,
    seed: int = 30,
    per_story: int = 3,
    agreeing_share: float = 0.2,
    similar_share: float = 0.4,
    min_overlap: float = 0.2,
) -> list[dict]:
    """Candidate pairs to judge: one story, different outlets, counted things of one head.

    Deterministic for a given warehouse and seed. Three strata, because true conflicts are
    rare among candidates: ``agreeing_share`` of the sample from pairs whose plain intervals
    (qualifier only, no frame) overlap (never conflicts, whatever the frames); of the pairs
    whose intervals do not overlap, ``similar_share`` from those whose sentences share at least
    ``min_overlap`` of their content words (Jaccard; more often one quantity) and the rest from
    the others (``distant``). At most ``per_story`` pairs come from one story, so big stories do
    not fill it. The strata use neither frames nor the conflict decision.

    Args:
        warehouse: A warehouse built by ``newsledger run`` (stories and figures).
        size: Pairs to draw.
        seed: Seed of the draw.
        per_story: Most pairs from one story.
        agreeing_share: Share of pairs whose values agree.
        similar_share: Share of pairs from the stratum of similar sentences.
        min_overlap: Content-word Jaccard of two sentences that makes them similar.
    """
    meta = _story_articles(warehouse)
    figures = warehouse.frame(
        'SELECT * FROM figures WHERE counted IS NOT NULL ORDER BY article_id, "start"'
    )
    groups: dict[tuple[str, str, str], list[dict]] = {}
    for row in figures.iter_rows(named=True):
        if row["article_id"] not in meta:
            continue
        key = counted_key(row["counted"])
        if key is None or row["change"] in ("up", "down"):
            continue
        groups.setdefault((meta[row["article_id"]][2], row["kind"], key.head), []).append(row)
    bodies = dict(
        warehouse.frame(
            "SELECT article_id, body FROM articles WHERE story_id IS NOT NULL"
        ).iter_rows()
    )
    plain = ConflictSettings(rounding=0.0)
    buckets: dict[str, list[_Candidate]] = {"similar": [], "distant": [], "agreeing": []}
    for (story, _, _), rows in sorted(groups.items()):
        for i, a in enumerate(rows):
            for b in rows[i + 1 :]:
                if meta[a["article_id"]][0] == meta[b["article_id"]][0]:
                    continue
                view_a = FigureView.from_row(
                    {**a, "frame_role": "total", "frame_counted": None}, "a", None
                )
                view_b = FigureView.from_row(
                    {**b, "frame_role": "total", "frame_counted": None}, "b", None
                )
                span_a, span_b = figure_interval(view_a, plain), figure_interval(view_b, plain)
                if span_a is None or span_b is None:
                    continue
                if span_a.intersects(span_b):
                    buckets["agreeing"].append((story, a, b))
                elif _overlap(bodies, a, b) >= min_overlap:
                    buckets["similar"].append((story, a, b))
                else:
                    buckets["distant"].append((story, a, b))
    rng = random.Random(seed)
    taken: dict[str, int] = {}
    n_agreeing = round(size * agreeing_share)
    n_similar = round(size * similar_share)
    chosen: list[tuple[str, _Candidate]] = []
    for name, count in (
        ("similar", n_similar),
        ("distant", size - n_agreeing - n_similar),
        ("agreeing", n_agreeing),
    ):
        order = list(buckets[name])
        rng.shuffle(order)
        chosen.extend((name, c) for c in _capped(order, count, per_story, taken))
    return _records(warehouse, meta, chosen)


def _capped(
    order: Iterable[_Candidate], count: int, per_story: int, taken: dict[str, int]
) -> list[_Candidate]:
    """The first ``count`` candidates of ``order`` with at most ``per_story`` from one story."""
    picked: list[_Candidate] = []
    for story, a, b in order:
        if len(picked) == count:
            break
        if taken.get(story, 0) >= per_story:
            continue
        taken[story] = taken.get(story, 0) + 1
        picked.append((story, a, b))
    return picked


def sample_governed_pairs(
    warehouse: Warehouse,
    *,
    size: int | None = None,
    seed: int = 3030,
    per_story: int | None = None,
    max_ratio: float = 3.0,
    exclude: Iterable[str] = (),
) -> list[dict]:
    """Pairs likely to be one quantity, by the two sentences' grammar (stratum ``governed``).

    Two figures of one story from different outlets (neither article a copy) whose counted
    things (``figures.counted``, the figure extractor's, not the frame's) have the same head
    lemma, and whose governing verbs (the nearest verb above the figure in the parse) have the
    same lemma or subjects with the same head noun; their values differ, by less than
    ``max_ratio``. A value is the figure's number, or the geometric middle of its range.
    Neither frames nor the conflict decision are used.

    Deterministic: the candidates are ordered by pair id, shuffled with ``seed`` and read in
    that order, at most ``per_story`` per story, skipping ids in ``exclude`` (pairs already
    judged); a larger ``size`` extends a smaller draw. By default every candidate is drawn.

    Args:
        warehouse: A warehouse built by ``newsledger run`` (stories, figures, cached parses).
        size: Pairs to draw (None: all).
        seed: Seed of the draw.
        per_story: Most pairs from one story (None: no cap).
        max_ratio: Values at least this far apart are not drawn.
        exclude: Pair ids not to draw again.
    """
    meta = _story_articles(warehouse)
    close = _close_pairs(warehouse, meta, max_ratio=max_ratio, counted_only=True)
    docs = _docs(warehouse, sorted({r["article_id"] for _, a, b in close for r in (a, b)}))
    governed = [(s, a, b) for s, a, b in close if _is_governed(docs, a, b)]
    chosen = _records(warehouse, meta, [("governed", c) for c in governed], docs=docs)
    return _draw(chosen, size=size, seed=seed, per_story=per_story, exclude=exclude)


def sample_worded_pairs(
    warehouse: Warehouse,
    *,
    size: int | None = None,
    seed: int = 3031,
    per_story: int | None = None,
    max_ratio: float = 3.0,
    min_overlap: float = 0.3,
    exclude: Iterable[str] = (),
) -> list[dict]:
    """Pairs whose sentences say much the same thing in other numbers (stratum ``worded``).

    Two figures of one story from different outlets (neither article a copy), of one kind (and
    one unit, unless counts), any kind but durations, whose values differ by less than
    ``max_ratio``, whose sentences share at least ``min_overlap`` of their content words
    (Jaccard over words of four or more letters of the regex sentence around each figure),
    and that are not in the ``governed`` stratum (:func:`sample_governed_pairs`). Percentages
    and amounts of money, which have no counted noun, come in here. Neither frames nor the
    conflict decision are used; drawn as :func:`sample_governed_pairs` draws.

    Args:
        warehouse: A warehouse built by ``newsledger run`` (stories, figures, cached parses).
        size: Pairs to draw (None: all).
        seed: Seed of the draw.
        per_story: Most pairs from one story (None: no cap).
        max_ratio: Values at least this far apart are not drawn.
        min_overlap: Content-word Jaccard of the two sentences.
        exclude: Pair ids not to draw again.
    """
    meta = _story_articles(warehouse)
    bodies = dict(
        warehouse.frame(
            "SELECT article_id, body FROM articles WHERE story_id IS NOT NULL"
        ).iter_rows()
    )
    close = [
        (story, a, b)
        for story, a, b in _close_pairs(warehouse, meta, max_ratio=max_ratio, counted_only=False)
        if _overlap(bodies, a, b) >= min_overlap
    ]
    docs = _docs(warehouse, sorted({r["article_id"] for _, a, b in close for r in (a, b)}))
    worded = [(s, a, b) for s, a, b in close if not _is_governed(docs, a, b)]
    chosen = _records(warehouse, meta, [("worded", c) for c in worded], docs=docs)
    return _draw(chosen, size=size, seed=seed, per_story=per_story, exclude=exclude)


def sample_loose_pairs(
    warehouse: Warehouse,
    *,
    size: int | None = None,
    seed: int = 3032,
    per_story: int | None = None,
    max_ratio: float = 3.0,
    min_overlap: float = 0.15,
    max_overlap: float = 0.3,
    exclude: Iterable[str] = (),
) -> list[dict]:
    """Counted things of one head in loosely alike sentences (stratum ``loose``).

    The pairs of :func:`sample_governed_pairs`'s base (one story, different outlets, counted
    things of one head lemma, values different but within ``max_ratio``) that are not governed
    alike but whose sentences share between ``min_overlap`` and ``max_overlap`` of their
    content words (at ``max_overlap`` and above they are in the ``worded`` stratum): "killed
    275 people" and "278 people died". Neither frames nor the conflict decision are used.

    Args:
        warehouse: A warehouse built by ``newsledger run`` (stories, figures, cached parses).
        size: Pairs to draw (None: all).
        seed: Seed of the draw.
        per_story: Most pairs from one story (None: no cap).
        max_ratio: Values at least this far apart are not drawn.
        min_overlap: Least content-word Jaccard of the two sentences.
        max_overlap: Content-word Jaccard from which pairs belong to ``worded``.
        exclude: Pair ids not to draw again.
    """
    meta = _story_articles(warehouse)
    bodies = dict(
        warehouse.frame(
            "SELECT article_id, body FROM articles WHERE story_id IS NOT NULL"
        ).iter_rows()
    )
    close = [
        (story, a, b)
        for story, a, b in _close_pairs(warehouse, meta, max_ratio=max_ratio, counted_only=True)
        if min_overlap <= _overlap(bodies, a, b) < max_overlap
    ]
    docs = _docs(warehouse, sorted({r["article_id"] for _, a, b in close for r in (a, b)}))
    loose = [(s, a, b) for s, a, b in close if not _is_governed(docs, a, b)]
    chosen = _records(warehouse, meta, [("loose", c) for c in loose], docs=docs)
    return _draw(chosen, size=size, seed=seed, per_story=per_story, exclude=exclude)


def _close_pairs(
    warehouse: Warehouse, meta: Mapping[str, tuple], *, max_ratio: float, counted_only: bool
) -> list[_Candidate]:
    """Pairs of one story, different outlets, one kind, values different but within a ratio.

    With ``counted_only`` the figures need a counted thing and pair on its head lemma;
    otherwise any figure but a duration pairs on its kind and (but for counts) its unit.
    """
    where = "counted IS NOT NULL" if counted_only else "kind <> 'duration'"
    figures = warehouse.frame(f'SELECT * FROM figures WHERE {where} ORDER BY article_id, "start"')
    groups: dict[tuple[str, str, str], list[tuple[dict, float]]] = {}
    for row in figures.iter_rows(named=True):
        value = _representative(row)
        if row["article_id"] not in meta or value is None:
            continue
        if counted_only:
            words = row["counted"].lower().split()
            key = singular(words[-1]) if words else ""
        else:
            key = "" if row["kind"] == "count" else (row["unit"] or "")
        if counted_only and not key:
            continue
        groups.setdefault((meta[row["article_id"]][2], row["kind"], key), []).append((row, value))
    close: list[_Candidate] = []
    for (story, _, _), rows in sorted(groups.items()):
        for i, (a, value_a) in enumerate(rows):
            for b, value_b in rows[i + 1 :]:
                if meta[a["article_id"]][0] == meta[b["article_id"]][0] or value_a == value_b:
                    continue
                if max(value_a, value_b) / min(value_a, value_b) < max_ratio:
                    close.append((story, a, b))
    return close


def _is_governed(docs: Mapping[str, Doc], a: Mapping, b: Mapping) -> bool:
    """Both counted, the same head lemma, and the same governing verb or subject noun."""
    if not a["counted"] or not b["counted"]:
        return False
    heads = [singular(r["counted"].lower().split()[-1]) for r in (a, b) if r["counted"].split()]
    if len(heads) < 2 or heads[0] != heads[1]:
        return False
    return _same_governor(_governor(docs[a["article_id"]], a), _governor(docs[b["article_id"]], b))


def _draw(
    chosen: Sequence[dict],
    *,
    size: int | None,
    seed: int,
    per_story: int | None,
    exclude: Iterable[str],
) -> list[dict]:
    """Records in a seeded order of their ids, at most ``per_story`` a story, ``size`` in all."""
    skip = set(exclude)
    unique = {r["id"]: r for r in chosen if r["id"] not in skip}
    order = sorted(unique)
    random.Random(seed).shuffle(order)
    taken: dict[str, int] = {}
    picked = []
    for key in order:
        story = unique[key]["story"]
        if size is not None and len(picked) == size:
            break
        if per_story is not None and taken.get(story, 0) >= per_story:
            continue
        taken[story] = taken.get(story, 0) + 1
        picked.append(unique[key])
    return picked


def _representative(row: Mapping) -> float | None:
    """The figure's number, or the geometric middle of its range; None when not positive."""
    value = row["value"]
    if value is None and row["value_low"] and row["value_high"]:
        value = math.sqrt(row["value_low"] * row["value_high"])
    return value if value is not None and value > 0 else None


def _governor(doc: Doc, row: Mapping) -> tuple[str | None, str | None]:
    """The lemma of the nearest verb above the figure and its subject's head noun lemma."""
    span = doc.char_span(row["start"], row["end"], alignment_mode="expand")
    if span is None or len(span) == 0:
        return None, None
    inside = {t.i for t in span}
    token: Token = span.root
    for _ in range(8):
        if token.i not in inside and token.pos_ in ("VERB", "AUX"):
            break
        if token.head.i == token.i:
            return None, None
        token = token.head
    else:
        return None, None
    subject = next((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    noun = None
    # not the figure's own noun phrase ("4,000 troops remain")
    if subject is not None and subject.pos_ in ("NOUN", "PROPN"):
        noun = None if {t.i for t in subject.subtree} & inside else subject.lemma_.lower()
    return token.lemma_.lower(), noun


def _same_governor(a: tuple[str | None, str | None], b: tuple[str | None, str | None]) -> bool:
    return (a[0] is not None and a[0] == b[0]) or (a[1] is not None and a[1] == b[1])


def _docs(warehouse: Warehouse, article_ids: Sequence[str]) -> dict[str, Doc]:
    from pipeline.evaluate.gold import cached_docs

    return dict(zip(article_ids, cached_docs(warehouse, article_ids), strict=True))


def _records(
    warehouse: Warehouse,
    meta: Mapping[str, tuple],
    chosen: Sequence[tuple[str, _Candidate]],
    *,
    docs: Mapping[str, Doc] | None = None,
) -> list[dict]:
    """Fixture records (unlabelled) of chosen pairs: each side's outlet, date, sentence, span."""
    if docs is None:
        needed = sorted({r["article_id"] for _, (_, a, b) in chosen for r in (a, b)})
        docs = _docs(warehouse, needed)
    records = []
    for stratum, (story, a, b) in chosen:
        sides = {}
        for tag, row in (("a", a), ("b", b)):
            doc = docs[row["article_id"]]
            figure = doc.char_span(row["start"], row["end"], alignment_mode="expand")
            sent = figure.sent if figure is not None else doc[:0]
            outlet, published_at, _ = meta[row["article_id"]]
            sides[tag] = {
                "outlet": outlet,
                "published_at": published_at.isoformat() if published_at else None,
                "sentence": sent.text,
                "start": row["start"] - sent.start_char,
                "end": row["end"] - sent.start_char,
                "text": row["text"],
            }
        records.append(
            {
                "id": pair_id(sides["a"], sides["b"]),
                "story": story,
                "stratum": stratum,
                "a": sides["a"],
                "b": sides["b"],
                "same_quantity": None,
                "disagree": None,
                "conflict": None,
                "note": "",
            }
        )
    return records


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n")
_CONTENT_WORD = re.compile(r"[a-z][a-z'-]{3,}")


def _sentence_words(body: str, start: int) -> set[str]:
    """Content words (4+ letters) of the regex sentence around ``start``."""
    begin = 0
    for match in _SENTENCE_END.finditer(body):
        if match.end() > start:
            return set(_CONTENT_WORD.findall(body[begin : match.start()].lower()))
        begin = match.end()
    return set(_CONTENT_WORD.findall(body[begin:].lower()))


def _overlap(bodies: Mapping[str, str], a: Mapping, b: Mapping) -> float:
    words_a = _sentence_words(bodies.get(a["article_id"], ""), a["start"])
    words_b = _sentence_words(bodies.get(b["article_id"], ""), b["start"])
    union = words_a | words_b
    return len(words_a & words_b) / len(union) if union else 0.0


def write_sample(
    warehouse_path: Path,
    out: Path,
    *,
    sampler: Callable[..., list[dict]] = sample_pairs,
    **options: object,
) -> int:
    """Write ``sampler``'s pairs of the warehouse at ``warehouse_path`` to ``out`` (JSON lines)."""
    from pipeline.warehouse import Warehouse, connect

    con = connect(warehouse_path, read_only=True)
    try:
        records = sampler(Warehouse(con), **options)
    finally:
        con.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return len(records)
