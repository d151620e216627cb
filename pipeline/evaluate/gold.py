"""What every ``newsledger eval`` shares: the read/check split, offsets back into gold text.

- **Halves.** Each dev file is split by id into a *read half*
  (``int(sha1(id).hexdigest(), 16) % 2 == 0``), whose misses a developer may read and fix, and a
  *check half*, which is only measured (``../shared/eval/README.md``); where that bit is the
  same for a whole file, the next bit splits it (:func:`split_bit`). Scores are reported for
  the whole file and both halves; a gap over 3 points means a change fits sentences, not news.
- **Offsets.** The eval scores the rows of a warehouse that ``newsledger run``'s job built from
  the gold texts, so the offsets are into ``articles.body``: the gold text after normalisation
  (repaired characters, collapsed whitespace, removed boilerplate). :class:`OffsetMap` maps
  body offsets back to the gold text by aligning the two word by word, which is exact wherever
  a word survived normalisation unchanged.
"""

from __future__ import annotations

import bisect
import difflib
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.warehouse import Warehouse

#: The two halves of a dev file, in the order they are reported.
HALVES = ("read", "check")

_WORD = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class GoldText:
    """One gold record as pipeline input: its id (the article's external id) and its text."""

    id: str
    text: str


#: Builds (or refreshes) the warehouse of ``newsledger run``'s job over gold texts, named after
#: the gold file, and opens it read-only. The CLI passes ``assets.goldrun.open_gold_warehouse``;
#: :mod:`pipeline` never imports Dagster, so the scorers receive it.
WarehouseFor = Callable[[str, Sequence[GoldText]], AbstractContextManager["Warehouse"]]


def read_jsonl(path: Path, limit: int | None = None) -> list[dict]:
    """Gold records of a JSON-lines file, in file order (the first ``limit`` only)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return rows[:limit] if limit else rows


def _hash(gold_id: str) -> int:
    return int(hashlib.sha1(gold_id.encode("utf-8")).hexdigest(), 16)


def split_bit(ids: Iterable[str]) -> int:
    """Which bit of ``sha1(id)`` splits a dev file into halves: 0, as the README says, or 1.

    Several dev files (NewsQuant, GeoWebNews, LGL, the article-extraction benchmark) are
    themselves the half of their corpus whose bit 0 is 0: by the README's rule every one of
    their ids is in the read half and the check half is empty. There the next bit splits them
    (the unseen half is the other value of bit 0, so it is still never read).
    """
    bits = {_hash(gold_id) & 1 for gold_id in ids}
    return 1 if len(bits) == 1 else 0


def half(gold_id: str, bit: int = 0) -> str:
    """``"read"`` or ``"check"``: the half of its dev file a gold record belongs to.

    Args:
        gold_id: The record's id.
        bit: The splitting bit of its file (:func:`split_bit`).
    """
    return "read" if (_hash(gold_id) >> bit) & 1 == 0 else "check"


def prf(true_positives: int, predicted: int, gold: int) -> dict[str, float]:
    """Precision, recall and F1 (0 where undefined), rounded to 4 places."""
    p = true_positives / predicted if predicted else 0.0
    r = true_positives / gold if gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f1, 4)}


def json_line(metrics: Mapping[str, object]) -> str:
    """The one-line JSON that ``eval --json`` prints last (keys sorted, so lines diff well)."""
    return json.dumps(metrics, sort_keys=True, ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Character offsets of a normalised body mapped back into the gold text it came from.

    Words (runs of non-space characters) of the body are aligned with the gold text's by
    :class:`difflib.SequenceMatcher` on the word sequences (fast on articles: words are far
    more distinct than characters). Inside a word that is equal on both sides the map is
    exact; an offset in a word that normalisation changed goes to the start of the nearest
    aligned word before it (or to the position it would have, counting from that word).
    """

    #: Start offsets of aligned words in the body, ascending, and of the same words in the gold.
    body_starts: tuple[int, ...]
    gold_starts: tuple[int, ...]
    identity: bool = False

    @classmethod
    def between(cls, gold_text: str, body: str) -> OffsetMap:
        """The map from ``body`` offsets to ``gold_text`` offsets."""
        if gold_text == body:
            return cls((), (), identity=True)
        body_words = [(m.start(), m.group()) for m in _WORD.finditer(body)]
        gold_words = [(m.start(), m.group()) for m in _WORD.finditer(gold_text)]
        matcher = difflib.SequenceMatcher(
            None, [w for _, w in body_words], [w for _, w in gold_words], autojunk=False
        )
        body_starts: list[int] = []
        gold_starts: list[int] = []
        for a, b, size in matcher.get_matching_blocks():
            for k in range(size):
                body_starts.append(body_words[a + k][0])
                gold_starts.append(gold_words[b + k][0])
        return cls(tuple(body_starts), tuple(gold_starts))

    def to_gold(self, offset: int) -> int:
        """The gold-text offset of body offset ``offset``."""
        if self.identity:
            return offset
        i = bisect.bisect_right(self.body_starts, offset) - 1
        if i < 0:
            return offset
        return self.gold_starts[i] + (offset - self.body_starts[i])

    def span_to_gold(self, start: int, end: int) -> tuple[int, int]:
        """A body span ``[start, end)`` as a gold-text span (end mapped from its last char)."""
        if end <= start:
            gold_start = self.to_gold(start)
            return gold_start, gold_start
        return self.to_gold(start), self.to_gold(end - 1) + 1


def by_half(ids: Iterable[str]) -> dict[str, list[str]]:
    """The ids of each half (see :func:`half`, :func:`split_bit`), in the given order."""
    ids = list(ids)
    bit = split_bit(ids)
    out: dict[str, list[str]] = {name: [] for name in HALVES}
    for gold_id in ids:
        out[half(gold_id, bit)].append(gold_id)
    return out


@dataclass(frozen=True, slots=True)
class GoldArticle:
    """A gold record as the warehouse holds it: its article id, body and body-to-gold map."""

    gold_id: str
    article_id: str
    body: str
    offsets: OffsetMap


def gold_articles(warehouse: Warehouse, texts: Mapping[str, str]) -> dict[str, GoldArticle]:
    """The articles of the gold warehouse by gold id (absent: the record was rejected).

    Args:
        warehouse: The gold warehouse.
        texts: Gold id -> gold text, to map body offsets back into.
    """
    frame = warehouse.frame("SELECT external_id, article_id, body FROM articles")
    return {
        gold_id: GoldArticle(gold_id, article_id, body, OffsetMap.between(texts[gold_id], body))
        for gold_id, article_id, body in frame.iter_rows()
        if gold_id in texts
    }


def cached_docs(warehouse: Warehouse, article_ids: Sequence[str]) -> list:
    """The spaCy docs the pipeline cached for ``article_ids``, in order (for baselines/timing).

    Baselines run on the same parse as our extractors, and extraction speed is timed over
    cached parses, as the pipeline's extraction stage runs: the stage hands each doc the body
    it was parsed from as its text (:func:`~pipeline.nlp.extraction_windows`), and so do these.
    """
    from pipeline.nlp import remember_body, restore_doc

    frame = warehouse.frame(
        """
        SELECT a.article_id, d.doc, a.body FROM articles a JOIN nlp_docs d USING (content_hash)
        WHERE a.article_id IN (SELECT unnest(?::VARCHAR[]))
        """,
        [list(article_ids)],
    )
    cached = {article_id: (blob, body) for article_id, blob, body in frame.iter_rows()}
    docs = []
    for article_id in article_ids:
        blob, body = cached[article_id]
        doc = restore_doc(blob)
        remember_body(doc, body)
        docs.append(doc)
    return docs
