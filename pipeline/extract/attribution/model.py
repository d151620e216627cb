"""The learned part of attribution: which cue candidates make a claim.

:func:`~pipeline.extract.attribution.cues.match_cues` with every (frame, lemma) admitted yields
about a hundred candidates per article, each with a speaker token and a content span; a
quarter of them match a PolNeAR attribution. A logistic regression over features of the
candidate and its parse (frame and lemma, the cue's tag and dependency, what the speaker is,
whether the cue stands inside a quotation, the content's length and side, the paragraph) scores
each, and a candidate whose content is not a quotation's makes a claim when its score reaches
the model's threshold. The model is learned by ``newsledger train claims``
(:mod:`pipeline.learn.claims`) and shipped as canonical JSON (feature -> weight, bias,
threshold, and the digests of what it was learned from), scored here by a dictionary lookup: no
library is needed at run time and a retrain on the same data writes the same bytes.

Quotations and their attachment stay rules (:mod:`.quotes`, :mod:`.attach`): they measured
better than any candidate score (direct-quote recall 0.945 on PolNeAR dev).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from spacy.tokens import Token

from pipeline.extract.attribution.cues import Cue
from pipeline.extract.attribution.quotes import Quote
from pipeline.extract.doccache import doc_text, entity_at
from pipeline.extract.tokens import para_ids

#: Where the committed model lives (``pipeline/models/``, with the project's other models).
MODEL_PATH = Path(__file__).resolve().parents[2] / "models" / "claims.json"

_PRONOUNS = frozenset({"i", "we", "he", "she", "they", "it", "you"})
_RELATIVES = frozenset({"who", "that", "which", "whom"})
_MODALS = frozenset({"would", "could", "will", "should", "may", "might", "can", "must"})


class CueJudge(Protocol):
    """Decides whether a cue candidate outside quotations makes a claim, and its content span.

    :class:`CueModel` is the one the pipeline uses; training passes others (a fold's model, or
    a recorder that sees every candidate).
    """

    def judge(self, cue: Cue, quotes: Sequence[Quote]) -> tuple[tuple[int, int], bool]:
        """The content span ``cue`` should have, and whether it makes a claim."""
        ...


@dataclass(frozen=True, slots=True)
class CueModel:
    """A logistic regression over candidate features, with its decision threshold.

    Attributes:
        weights: Feature -> weight (features never seen in training weigh nothing).
        bias: The intercept.
        threshold: A candidate makes a claim when its probability is at least this.
        meta: What the model was learned from and how it scored (digests, folds).
        lemmas: Lemmas of the candidates the model admitted in training.
    """

    weights: Mapping[str, float]
    bias: float
    threshold: float
    meta: Mapping[str, object] = field(default_factory=dict)
    #: Lemmas of the candidates the model admitted in training: the others are not searched
    #: (``None``: every word is).
    lemmas: frozenset[str] | None = None

    def probability(self, features: Iterable[str]) -> float:
        """The model's probability that a candidate with ``features`` matches an attribution."""
        return _sigmoid(self.bias + sum(self.weights.get(f, 0.0) for f in features))

    def judge(self, cue: Cue, quotes: Sequence[Quote]) -> tuple[tuple[int, int], bool]:
        """``cue``'s content as the rules read it, and whether it reaches the threshold."""
        assert cue.content is not None
        return cue.content, self.probability(cue_features(cue, quotes)) >= self.threshold

    @classmethod
    def from_json(cls, payload: Mapping[str, object]) -> CueModel:
        """The model from its JSON payload (as :mod:`pipeline.learn.claims` writes it)."""
        weights = payload["weights"]
        assert isinstance(weights, dict)
        return cls(
            weights={str(k): float(v) for k, v in weights.items()},
            bias=float(payload["bias"]),  # type: ignore[arg-type]
            threshold=float(payload["threshold"]),  # type: ignore[arg-type]
            meta=dict(payload.get("meta", {})),  # type: ignore[arg-type]
            lemmas=frozenset(payload["lemmas"]) if "lemmas" in payload else None,  # type: ignore[arg-type]
        )


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@lru_cache(maxsize=1)
def default_model() -> CueModel | None:
    """The committed model, or ``None`` before one was trained (the lexicon then decides)."""
    if not MODEL_PATH.exists():
        return None
    return CueModel.from_json(json.loads(MODEL_PATH.read_text(encoding="utf-8")))


def _bucket(n: int) -> int:
    """A coarse size class: 0, 1, 2-3, 4-7, 8-15, ... (the bit length)."""
    return max(0, n).bit_length()


def _speaker_kind(speaker: Token | None) -> str:
    if speaker is None:
        return "none"
    lower = speaker.lower_
    if lower in _RELATIVES:
        return "rel"
    if lower in _PRONOUNS:
        return f"pron:{lower}"
    ent = entity_at(speaker)
    if ent is not None:
        return f"ent:{ent.label_}"
    return f"pos:{speaker.pos_}"


def cue_features(cue: Cue, quotes: Sequence[Quote]) -> list[str]:
    """The features of one candidate (strings; the model weighs each present one).

    Args:
        cue: A candidate from :func:`~pipeline.extract.attribution.cues.match_cues`.
        quotes: The article's quotations (:func:`~.quotes.find_quotes`).
    """
    verb = cue.verb
    doc = verb.doc
    frame, key = cue.frame, cue.key
    lemma = key.split(" ", 1)[0]
    quoted = any(q.start <= cue.cue[0] < q.end for q in quotes)
    speaker = _speaker_kind(cue.speaker)
    feats = [
        f"f={frame}",
        f"k={frame}|{key}",
        f"l={lemma}",
        f"seed={cue.seed}|{frame}",
        f"tag={verb.tag_}|{frame}",
        f"dep={verb.dep_}|{frame}",
        f"spk={speaker}",
        f"spk={speaker}|{frame}",
        f"q={quoted}",
        f"q={quoted}|{frame}",
        f"qk={quoted}|{frame}|{key}",
        f"qs={quoted}|{speaker}",
    ]
    if cue.weak:
        feats.append("weak")
    if cue.via is not None:
        feats.append("via")
    children = list(verb.children)
    for child in children:
        dep = child.dep_
        if dep == "neg":
            feats.append("neg")
        elif dep == "aux" and child.lower_ in _MODALS:
            feats.append(f"modal={child.lower_}")
        elif dep == "mark":
            feats.append(f"mark={child.lower_}")
        elif dep in ("ccomp", "xcomp", "dobj", "prep", "advcl", "parataxis"):
            feats.append(f"child={dep}|{frame}")
    if verb.i > 0:
        feats.append(f"prev={doc[verb.i - 1].lower_}|{frame}")
    if verb.i + 1 < len(doc):
        nxt = doc[verb.i + 1]
        feats.append(
            f"next={nxt.lower_ if nxt.is_punct or nxt.pos_ in ('ADP', 'SCONJ') else nxt.pos_}"
        )
    paragraph = para_ids(doc)[verb.i]
    feats.append(f"para={min(paragraph, 3)}")
    if cue.content is None:
        feats.append("content=none")
        return feats
    start, end = cue.content
    text = doc_text(doc)
    words = len(text[start:end].split())
    side = "after" if start >= cue.cue[1] else "before" if end <= cue.cue[0] else "around"
    feats.extend(
        [
            f"len={_bucket(words)}",
            f"len={_bucket(words)}|{frame}",
            f"side={side}|{frame}",
            f"first={text[start:end].split(None, 1)[0].lower() if words else ''}",
        ]
    )
    overlaps = [q for q in quotes if q.open < end and start < q.close]
    if overlaps:
        inside = all(start <= q.open and q.close <= end + 1 for q in overlaps)
        feats.append(f"cq={'contains' if inside else 'partial'}")
    if "\n" in text[min(start, cue.cue[0]) : max(end, cue.cue[1])]:
        feats.append("crosses_paragraph")
    return feats
