"""How fast the claims stage extracts, over cached parses (what ``newsledger eval claims`` reports).

Kept apart from :mod:`pipeline.evaluate.claims`, whose gold reading and match test decide
what the claims models learn and so sit in their code digest: how the eval times the stage
decides nothing learned, and a change to it should not make the committed model stale.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence

from spacy.tokens import Doc

__all__ = ["extraction_speed"]


def extraction_speed(docs: Sequence[Doc], *, passes: int = 3) -> dict:
    """Words per second of claim extraction (claims and source-mention rows) over ``docs``.

    Timed as the claims stage runs: over the pipeline's cached parses, one article at a time,
    speaker resolution and row assembly included; the models (the cue judge and the taggers)
    are loaded before the clock starts, as the stage loads them once per worker.

    Why several passes: PolNeAR dev takes about two seconds a pass, and a single pass read
    28,164 and 34,176 words/s on the same code in two CI runs on this machine. So ``passes``
    passes are timed; ``words_per_second`` and ``seconds`` are their median, ``passes`` each
    pass's rate.
    """
    from pipeline.assemble import claim_rows
    from pipeline.extract.attribution.crf import default_taggers
    from pipeline.extract.attribution.model import default_model

    default_model()
    default_taggers()
    words = sum(1 for doc in docs for tok in doc if not (tok.is_punct or tok.is_space))
    timings = []
    for _ in range(passes):
        started = time.perf_counter()
        for n, doc in enumerate(docs):
            claim_rows(f"a{n}", doc)
        timings.append(time.perf_counter() - started)
    seconds = statistics.median(timings)
    return {
        "words": words,
        "seconds": round(seconds, 3),
        "words_per_second": round(words / seconds),
        "passes": [round(words / t) for t in timings],
    }
