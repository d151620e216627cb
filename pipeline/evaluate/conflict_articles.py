"""The judged pairs' sentences in their articles: the conflict eval with the article's context.

By default ``newsledger eval conflicts`` makes every judged sentence a text of its own, so a
frame is read from that one sentence. The product reads each figure in its whole article,
where a frame may take what its sentence leaves out from the sentences before it ("Clinton won
52 percent of the vote. Sanders took 47 percent": votes; "Smith won Nevada. He took 46
percent": Smith). ``--in-articles CORPUS`` scores the same pairs with each sentence found in
its article of the corpus the pairs were drawn from (the same outlet's article whose text
holds the sentence as written); a sentence found in no article stays a text of its own.

The labels were given by reading the two sentences only (the README beside the judged set):
a pair whose sentences do not say it is one quantity is labelled not a conflict even when the
articles would say so, so this mode can only understate the precision of a frame that reads
context; its recall is over pairs the sentences alone already tie.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pipeline.evaluate.conflict_pairs import sentence_id

__all__ = ["Located", "locate"]


@dataclass(frozen=True, slots=True)
class Located:
    """Where a judged sentence is read: a gold text, and the sentence's offset in it."""

    text_id: str
    text: str
    offset: int


def locate(sides: Iterable[dict], corpus: Path | None) -> dict[tuple[str, str], Located]:
    """Each judged side's sentence in a gold text, keyed by ``(outlet, sentence)``.

    Args:
        sides: The pairs' ``a`` and ``b`` records (``outlet``, ``sentence``).
        corpus: The corpus JSON lines (``ID``, ``source``, ``content_original``, as
            ``../shared/corpus/allsides-4k.jsonl``); None: every sentence is its own text.
    """
    wanted = {(side["outlet"], side["sentence"]) for side in sides}
    by_outlet: dict[str, list[dict]] = {}
    if corpus is not None:
        for line in corpus.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                by_outlet.setdefault(record.get("source") or "", []).append(record)
    out: dict[tuple[str, str], Located] = {}
    for outlet, sentence in sorted(wanted):
        core = sentence.strip()
        found = next(
            (
                (record, text.index(core))
                for record in by_outlet.get(outlet, [])
                if core and core in (text := record.get("content_original") or "")
            ),
            None,
        )
        if found is None:
            out[outlet, sentence] = Located(sentence_id(sentence), sentence, 0)
            continue
        record, at = found
        lead = len(sentence) - len(sentence.lstrip())  # the judged offsets count from here
        out[outlet, sentence] = Located(
            f"article-{record['ID']}", record["content_original"], at - lead
        )
    return out
