r"""Evaluate claim extraction on PolNeAR-style gold, beside textacy's ``direct_quotations``.

Protocol (eval README): a predicted claim matches a gold attribution when their content spans
overlap by at least half of the longer one. Gold spans may be discontinuous; we use the gold
**covering span** (first piece start to last piece end), which is also what our extractor
returns for a quote split by an interposed "he said". Precision is the share of predictions
that match some gold attribution, recall the share of gold attributions matched by some
prediction (not one-to-one). A gold attribution is *direct* when its content (covering span,
stripped) opens with a double quotation mark and closes with one (closing punctuation after
the mark allowed). Speaker accuracy is measured over matched pairs (each gold attribution with
its best-overlapping prediction): correct when the predicted speaker span overlaps a gold
source piece, or when both are empty.

Usage::

    uv run --frozen newsledger eval claims --gold ../shared/eval/claims/polnear-dev.jsonl [--json]

The predictions are the ``claims`` rows of a warehouse that ``newsledger run``'s job built from
the gold texts (:mod:`pipeline.evaluate.gold`), offsets mapped back into the gold text.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from pipeline.evaluate.claims_speed import extraction_speed
from pipeline.evaluate.gold import (
    HALVES,
    GoldArticle,
    GoldText,
    WarehouseFor,
    by_half,
    cached_docs,
    gold_articles,
)
from pipeline.extract.claim_method import METHODS
from pipeline.nlp import parse

if TYPE_CHECKING:
    from pipeline.warehouse import Warehouse

_OPEN = '"“'
_CLOSE = '"”'


@dataclass(frozen=True, slots=True)
class Pred:
    """A prediction reduced to what the protocol needs."""

    content: tuple[int, int]
    speaker: tuple[int, int] | None
    method: str | None = None  # the claims row's ``method``; None for a baseline's


@dataclass(frozen=True, slots=True)
class Gold:
    """A gold attribution reduced to its covering content span and source pieces."""

    content: tuple[int, int]
    sources: tuple[tuple[int, int], ...]
    direct: bool


def load_gold(path: Path, *, limit: int | None = None) -> list[dict]:
    """Read the gold JSONL file (first ``limit`` articles)."""
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                rows.append(json.loads(line))
            if limit is not None and len(rows) >= limit:
                break
    return rows


def gold_attributions(row: dict) -> list[Gold]:
    """Gold attributions with content, as covering spans, flagged direct or not."""
    text = row["text"]
    out = []
    for attr in row["attributions"]:
        pieces = sorted(tuple(p) for p in attr["content"])
        if not pieces:
            continue
        start, end = pieces[0][0], pieces[-1][1]
        body = text[start:end].strip()
        direct = bool(body) and body[0] in _OPEN and body.rstrip(".,;:!?)")[-1:] in _CLOSE
        sources = tuple(tuple(p) for p in attr["source"])
        out.append(Gold((start, end), sources, direct))  # type: ignore[arg-type]
    return out


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def matches(pred: tuple[int, int], gold: tuple[int, int]) -> bool:
    """True when the spans overlap by at least half of the longer one."""
    longer = max(pred[1] - pred[0], gold[1] - gold[0])
    return longer > 0 and _overlap(pred, gold) * 2 >= longer


def speaker_right(pred: Pred, gold: Gold) -> bool:
    """Whether a matched claim names the gold speaker: overlaps a source piece, or both none."""
    if pred.speaker is None or not gold.sources:
        return pred.speaker is None and not gold.sources
    return any(_overlap(pred.speaker, s) > 0 for s in gold.sources)


def score(golds: Sequence[Sequence[Gold]], preds: Sequence[Sequence[Pred]]) -> dict:
    """Content P/R/F1, direct-quote recall and speaker accuracy over matched claims."""
    n_pred = n_pred_ok = n_gold = n_gold_ok = n_direct = n_direct_ok = 0
    n_speaker = n_speaker_ok = 0
    for gold, pred in zip(golds, preds, strict=True):
        n_pred += len(pred)
        n_pred_ok += sum(any(matches(p.content, g.content) for g in gold) for p in pred)
        for g in gold:
            n_gold += 1
            n_direct += g.direct
            hits = [p for p in pred if matches(p.content, g.content)]
            if not hits:
                continue
            n_gold_ok += 1
            n_direct_ok += g.direct
            best = max(hits, key=lambda p: _overlap(p.content, g.content))
            n_speaker += 1
            n_speaker_ok += speaker_right(best, g)
    precision = n_pred_ok / n_pred if n_pred else 0.0
    recall = n_gold_ok / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "content": {"p": round(precision, 4), "r": round(recall, 4), "f1": round(f1, 4)},
        "predicted": n_pred,
        "gold": n_gold,
        "gold_direct": n_direct,
        "direct_quote_recall": round(n_direct_ok / n_direct, 4) if n_direct else 0.0,
        "matched": n_speaker,
        "speaker_accuracy": round(n_speaker_ok / n_speaker, 4) if n_speaker else 0.0,
    }


_WORDS = re.compile(r"\w+")
_STRIP = " \t\r\n\"“”'‘’.,;:!?—–-()"


def by_method(golds: Sequence[Sequence[Gold]], preds: Sequence[Sequence[Pred]]) -> dict:
    """How often each ``method``'s claims match a gold attribution, and scores without the tagger's.

    What a user filtering on the ``method`` column gets (the README's "Claims" paragraph).
    """
    counts = {method: [0, 0] for method in METHODS}
    for gold, pred in zip(golds, preds, strict=True):
        for p in pred:
            if p.method in counts:
                counts[p.method][0] += 1
                counts[p.method][1] += any(matches(p.content, g.content) for g in gold)
    untagged = [[p for p in pred if p.method != "tagged"] for pred in preds]
    return {
        method: {"predicted": n, "right": right, "precision": round(right / n, 4) if n else 0.0}
        for method, (n, right) in counts.items()
    } | {"without_tagged": score(golds, untagged)["content"]}


def _trimmed(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """``span`` without surrounding spaces, quotation marks and punctuation."""
    start, end = span
    while start < end and text[start] in _STRIP:
        start += 1
    while end > start and text[end - 1] in _STRIP:
        end -= 1
    return start, end


def _words(text: str, spans: Iterable[tuple[int, int]]) -> set[int]:
    """Start offsets of the words (runs of word characters) inside any of ``spans``."""
    out: set[int] = set()
    for start, end in spans:
        out.update(m.start() for m in _WORDS.finditer(text, start, end))
    return out


def protocols(
    texts: Sequence[str], golds: Sequence[Sequence[Gold]], preds: Sequence[Sequence[Pred]]
) -> dict[str, dict[str, float]]:
    """Content scores by CofeNet's three protocols, beside the README's half-overlap one.

    - ``exact``: the content span equals the gold covering span, both trimmed of spaces,
      quotation marks and punctuation (CofeNet's and Citron's exact match).
    - ``start``: the trimmed spans start at the same character (the claim is found where it
      begins, whatever its extent).
    - ``overlap``: token overlap, as Citron's overlap metrics: precision is the share of the
      predicted content's words inside some gold content, recall the share of the gold
      content's words inside some prediction (words counted once per article).

    ``exact`` and ``start`` count like :func:`score` (a prediction is right when it matches
    some gold attribution; a gold attribution is found when some prediction matches it).
    """
    exact = [0, 0, 0, 0]  # predictions right, predictions, gold found, gold
    start = [0, 0, 0, 0]
    words = [0, 0, 0]  # overlap, predicted words, gold words
    for text, gold, pred in zip(texts, golds, preds, strict=True):
        g_spans = [_trimmed(text, g.content) for g in gold]
        p_spans = [_trimmed(text, p.content) for p in pred]
        for tally, key in ((exact, lambda s: s), (start, lambda s: s[0])):
            g_keys = {key(s) for s in g_spans}
            p_keys = {key(s) for s in p_spans}
            tally[0] += sum(key(s) in g_keys for s in p_spans)
            tally[1] += len(p_spans)
            tally[2] += sum(key(s) in p_keys for s in g_spans)
            tally[3] += len(g_spans)
        g_words, p_words = _words(text, g_spans), _words(text, p_spans)
        words[0] += len(g_words & p_words)
        words[1] += len(p_words)
        words[2] += len(g_words)

    def prf(hits_p: int, n_p: int, hits_g: int, n_g: int) -> dict[str, float]:
        p = hits_p / n_p if n_p else 0.0
        r = hits_g / n_g if n_g else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {"p": round(p, 4), "r": round(r, 4), "f1": round(f1, 4)}

    return {
        "exact": prf(*exact),
        "start": prf(*start),
        "overlap": prf(words[0], words[1], words[0], words[2]),
    }


def warehouse_predictions(
    warehouse: Warehouse, articles: dict[str, GoldArticle]
) -> dict[str, list[Pred]]:
    """The ``claims`` rows per gold id, offsets mapped back into the gold text."""
    frame = warehouse.frame(
        """
        SELECT article_id, content_start, content_end, speaker_start, speaker_end, method
        FROM claims ORDER BY article_id, content_start, content_end
        """
    )
    by_article: dict[str, list[tuple]] = {}
    for article_id, *spans in frame.iter_rows():
        by_article.setdefault(article_id, []).append(tuple(spans))
    out: dict[str, list[Pred]] = {}
    for gold_id, article in articles.items():
        mapped = article.offsets.span_to_gold
        out[gold_id] = [
            Pred(
                mapped(c_start, c_end),
                mapped(s_start, s_end) if s_start is not None and s_end is not None else None,
                method,
            )
            for c_start, c_end, s_start, s_end, method in by_article.get(article.article_id, [])
        ]
    return out


def _mapped(preds: list[Pred], article: GoldArticle) -> list[Pred]:
    mapped = article.offsets.span_to_gold
    return [
        Pred(mapped(*p.content), mapped(*p.speaker) if p.speaker is not None else None)
        for p in preds
    ]


def textacy_baseline(doc: Doc) -> list[Pred]:
    """Textacy's ``direct_quotations`` as predictions (speaker = first speaker token)."""
    from textacy.extract.triples import direct_quotations

    out = []
    try:
        triples = list(direct_quotations(doc))
    except Exception:  # textacy raises on some unbalanced quote layouts
        return out
    for triple in triples:
        content = triple.content
        if not content:
            continue
        start = content[0].idx
        end = content[-1].idx + len(content[-1])
        speaker = None
        if triple.speaker:
            tok = triple.speaker[0]
            speaker = (tok.idx, tok.idx + len(tok))
        out.append(Pred((start, end), speaker))
    return out


def candidate_outcomes(row: dict, doc: Doc) -> Iterator[tuple[str, str, bool, bool]]:
    """(frame, key, inside a quotation, matches gold) for every cue candidate of an article.

    The candidates come from the claim matcher with every (frame, lemma) admitted, so what is
    measured is exactly the content the extractor would produce for that cue. Quotations are
    found as :func:`pipeline.extract.claims.extract_claims` finds them.
    """
    from pipeline.extract.claims import LEXICON, _match_cues, find_quotes, in_quotation
    from pipeline.extract.doccache import doc_text

    golds = [g.content for g in gold_attributions(row)]
    quotes = find_quotes(doc_text(doc), min_chars=2)
    admit_all = replace(LEXICON, admit_all=True)
    for cue in _match_cues(doc, admit_all):
        if cue.content is None or (cue.seed and cue.frame in ("comp", "obj")):
            continue
        if cue.content[1] - cue.content[0] < 8:
            continue
        quoted = in_quotation(quotes, cue.cue[0])
        yield cue.frame, cue.key, quoted, any(matches(cue.content, g) for g in golds)


def _wilson_lower(hits: int, n: int, z: float = 1.645) -> float:
    """Lower end of the Wilson interval of ``hits / n`` (90% for the default ``z``)."""
    p = hits / n
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (p + z * z / (2 * n) - spread) / (1 + z * z / n)


def learn_lexicon(
    rows: Sequence[dict],
    docs: Sequence[Doc],
    *,
    min_count: int = 4,
    min_lower: float = 0.26,
    narration_lower: float = 0.35,
) -> dict[str, list[tuple[str, int, float]]]:
    """Cue tables from training data: (frame, key) pairs whose candidates are usually right.

    A pair is kept when it occurs at least ``min_count`` times and the lower end of the 90%
    Wilson interval of its precision is at least ``min_lower``. Why that bound: a claim
    added at precision p raises F1 whenever p > F1 / 2 (about 0.35 here), and the Wilson
    bound keeps rare lemmas from getting in on a lucky streak.

    A pair that fails on all its candidates but passes on those outside quotation marks, with
    the stricter bound ``narration_lower``, goes into the ``narration`` table (key "frame
    key"): "Democrats want ..." in the article's own words reports a position, while "I want
    ..." inside a quote rarely is an attribution. The stricter bound is that break-even
    precision itself: these pairs add rows of less certain worth (55 pairs at 0.26, 14 at
    0.35; dev F1 0.7034 against 0.7043, precision 0.780 against 0.793).

    Returns:
        frame (or "narration") -> [(key, count, precision)], best first.
    """
    counts: Counter[tuple[str, str]] = Counter()
    hits: Counter[tuple[str, str]] = Counter()
    outside: Counter[tuple[str, str]] = Counter()
    outside_hits: Counter[tuple[str, str]] = Counter()
    for row, doc in zip(rows, docs, strict=True):
        for frame, key, quoted, ok in candidate_outcomes(row, doc):
            counts[frame, key] += 1
            hits[frame, key] += ok
            if not quoted:
                outside[frame, key] += 1
                outside_hits[frame, key] += ok
    out: dict[str, list[tuple[str, int, float]]] = {}
    for (frame, key), n in counts.items():
        if n >= min_count and _wilson_lower(hits[frame, key], n) >= min_lower:
            out.setdefault(frame, []).append((key, n, round(hits[frame, key] / n, 3)))
            continue
        n_out, hits_out = outside[frame, key], outside_hits[frame, key]
        if n_out >= min_count and _wilson_lower(hits_out, n_out) >= narration_lower:
            row = (f"{frame} {key}", n_out, round(hits_out / n_out, 3))
            out.setdefault("narration", []).append(row)
    return {frame: sorted(rows_, key=lambda r: (-r[2], r[0])) for frame, rows_ in out.items()}


def _timed(fn: Callable[[Doc], list[Pred]], docs: Iterable[Doc]) -> tuple[list[list[Pred]], float]:
    t0 = time.perf_counter()
    preds = [fn(doc) for doc in docs]
    return preds, time.perf_counter() - t0


def errors(text: str, gold: Sequence[Gold], pred: Sequence[Pred]) -> Iterator[dict]:
    """One article's errors by the protocol of :func:`score`, each with the text it concerns.

    Missed gold content, spurious predicted content, and a matched claim's wrong speaker.
    """

    def cut(span: tuple[int, int] | None) -> str | None:
        return None if span is None else text[span[0] : span[1]]

    for g in gold:
        hits = [p for p in pred if matches(p.content, g.content)]
        if not hits:
            yield {"kind": "missed", "content": cut(g.content), "direct": g.direct}
            continue
        best = max(hits, key=lambda p: _overlap(p.content, g.content))
        if not speaker_right(best, g):
            yield {
                "kind": "speaker",
                "gold": " | ".join(text[a:b] for a, b in g.sources),
                "ours": cut(best.speaker),
                "content": cut(g.content),
            }
    for p in pred:
        if not any(matches(p.content, g.content) for g in gold):
            yield {"kind": "spurious", "speaker": cut(p.speaker), "content": cut(p.content)}


def run(
    gold: Path,
    *,
    warehouse_for: WarehouseFor,
    limit: int | None = None,
    show_errors: bool = False,
) -> dict:
    """Score the warehouse's claims and the textacy baseline on ``gold``; print and return.

    Args:
        gold: PolNeAR-format JSONL.
        warehouse_for: Builds the warehouse of ``newsledger run``'s job over the gold texts.
        limit: Only the first ``limit`` articles.
        show_errors: Print the read half's errors (:func:`errors`), never the check half's.

    Returns:
        The whole file's scores at the top level (``content``, ``direct_quote_recall``,
        ``speaker_accuracy``), each half's under ``read`` and ``check``, textacy's under
        ``textacy_direct_quotations``.
    """
    gold = Path(gold)
    rows = load_gold(gold, limit=limit)
    texts = {row["id"]: row["text"] for row in rows}
    with warehouse_for(gold.stem, [GoldText(r["id"], r["text"]) for r in rows]) as warehouse:
        articles = gold_articles(warehouse, texts)
        predicted = warehouse_predictions(warehouse, articles)
        ids = [r["id"] for r in rows if r["id"] in articles]
        docs = cached_docs(warehouse, [articles[i].article_id for i in ids])
    base_preds, base_seconds = _timed(textacy_baseline, docs)
    baseline = {
        gold_id: _mapped(preds, articles[gold_id])
        for gold_id, preds in zip(ids, base_preds, strict=True)
    }
    golds = {row["id"]: gold_attributions(row) for row in rows}

    def scored(system: dict[str, list[Pred]], subset: Sequence[str]) -> dict:
        gold_of = [golds[i] for i in subset]
        pred_of = [system.get(i, []) for i in subset]
        return score(gold_of, pred_of) | {
            "protocols": protocols([texts[i] for i in subset], gold_of, pred_of)
        }

    all_ids = [row["id"] for row in rows]
    halves = by_half(all_ids)
    result = {
        "gold_file": str(gold),
        "articles": len(rows),
        "rejected": len(rows) - len(articles),
        "protocol": "content overlap >= 1/2 of longer span; gold covering span; not one-to-one",
        **scored(predicted, all_ids),
        **{name: scored(predicted, halves[name]) for name in HALVES},
        "textacy_direct_quotations": scored(baseline, all_ids)
        | {"articles_per_second": round(len(docs) / max(base_seconds, 1e-9), 1)},
        "by_method": by_method(
            [golds[i] for i in all_ids], [predicted.get(i, []) for i in all_ids]
        ),
        "speed": extraction_speed(docs),
        "train_folds": _train_folds(),
    }
    _print(result)
    if show_errors:
        for gold_id in halves["read"]:
            for error in errors(texts[gold_id], golds[gold_id], predicted.get(gold_id, [])):
                print(json.dumps({"doc": gold_id, **error}, ensure_ascii=False))
    return result


def _train_folds() -> dict | None:
    """The cross-validated scores on the training articles, as the committed model records."""
    from pipeline.extract.attribution.model import default_model

    model = default_model()
    cv = model.meta.get("cv") if model is not None else None
    return dict(cv) if isinstance(cv, dict) else None


def _print(result: dict) -> None:
    print(f"{result['gold_file']}: {result['articles']} articles")
    for name in ("all", *HALVES, "textacy_direct_quotations"):
        scores = result if name == "all" else result[name]
        content = scores["content"]
        print(
            f"{name:>26}  content P {content['p']:.3f} R {content['r']:.3f}"
            f" F1 {content['f1']:.3f}  direct-quote recall {scores['direct_quote_recall']:.3f}"
            f"  speaker accuracy {scores['speaker_accuracy']:.3f}"
        )
        by_protocol = scores["protocols"]
        print(
            f"{'':>26}  F1 exact {by_protocol['exact']['f1']:.3f}"
            f"  start {by_protocol['start']['f1']:.3f}"
            f"  overlap {by_protocol['overlap']['f1']:.3f}  (CofeNet: 0.729 exact, 0.732 overlap)"
        )
    folds = result.get("train_folds")
    if folds:
        content = folds["content"]
        print(
            f"{'train folds':>26}  content P {content['p']:.3f} R {content['r']:.3f}"
            f" F1 {content['f1']:.3f}  direct-quote recall {folds['direct_quote_recall']:.3f}"
            f"  speaker accuracy {folds['speaker_accuracy']:.3f}"
            f"  ({folds['folds']}-fold, {folds['articles']} articles, from the model file)"
        )
    methods = result["by_method"]
    untagged = methods["without_tagged"]
    print(
        f"{'by method':>26}  "
        + "  ".join(
            f"{m} P {methods[m]['precision']:.3f} ({methods[m]['right']}/{methods[m]['predicted']})"
            for m in METHODS
        )
        + f"; without tagged P {untagged['p']:.3f} R {untagged['r']:.3f} F1 {untagged['f1']:.3f}"
    )
    speed = result["speed"]
    print(
        f"{'speed':>26}  {speed['words_per_second']:,} words/s over cached parses"
        f" ({speed['words']:,} words, median of {len(speed['passes'])} passes of"
        f" {speed['seconds']:.2f} s; passes {' / '.join(f'{r:,}' for r in speed['passes'])})"
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--gold", type=Path, required=True, help="PolNeAR-format JSONL file")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument(
        "--learn",
        action="store_true",
        help="print the learned cue tables instead (train on articles after --holdout)",
    )
    parser.add_argument("--holdout", type=int, default=200, help="first N articles kept out")
    args = parser.parse_args(argv)
    if args.learn:
        rows = load_gold(Path(args.gold), limit=args.limit)[args.holdout :]
        docs = list(parse([row["text"] for row in rows]))
        print(json.dumps(learn_lexicon(rows, docs, min_lower=0.26), indent=1))
        return
    from assets.cli import main as cli_main

    raise SystemExit(cli_main(["eval", "claims", "--gold", str(args.gold)]))


if __name__ == "__main__":
    main()
