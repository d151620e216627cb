"""A cheap guess of a body's language from its function words.

Records rarely say their language, and the extractors are tuned on English: ``articles.language``
lets a user find and filter the bodies in another language. The stopword lists live in
``data/stopwords.json``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache
from pathlib import Path

__all__ = ["STOPWORDS_PATH", "guess_language", "stopwords"]

STOPWORDS_PATH = Path(__file__).resolve().parent / "data" / "stopwords.json"
_WORD_RE = re.compile(r"[^\W\d_]+")


@cache
def stopwords() -> dict[str, frozenset[str]]:
    """Each language's most frequent function words, by ISO 639-1 code."""
    languages = json.loads(STOPWORDS_PATH.read_text(encoding="utf-8"))["languages"]
    return {lang: frozenset(words) for lang, words in languages.items()}


def guess_language(text: str, *, min_hits: int = 5) -> str | None:
    """Cheap stopword-based language guess ("en", "es", "fr", "de", "it", "pt", "nl").

    Args:
        text: Body text; only the first 3,000 words are looked at.
        min_hits: Fewest stopword hits needed before guessing at all.

    Returns:
        The ISO 639-1 code with the most stopword hits, or None when too little evidence.
    """
    words = [w.casefold() for w in _WORD_RE.findall(text[:30000])][:3000]
    if not words:
        return None
    counts = Counter(words)  # count each word once, then look up only the stopwords
    scores = {
        lang: sum(counts[w] for w in stops if w in counts) for lang, stops in stopwords().items()
    }
    best = max(scores, key=lambda lang: (scores[lang], lang == "en"))
    if scores[best] < min_hits or scores[best] < 0.1 * len(words):
        return None
    return best
