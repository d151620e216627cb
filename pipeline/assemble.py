"""Turn extractor records into warehouse rows: ids, article keys and cross-table links.

Extractors know nothing of articles or ids; this module gives each record its ``article_id`` and
a content-derived id (article, kind, span), so rebuilding gives the same ids. A doc may be a
window of a long body (:func:`pipeline.nlp.extraction_windows`): its offset in the body is added
to every span here, so rows point into ``articles.body`` either way.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from spacy.tokens import Doc

from pipeline.ids import row_id

Row = Mapping[str, object]
T = TypeVar("T")


def claim_rows(article_id: str, doc: Doc, *, outlet: str | None = None) -> dict[str, list[Row]]:
    """Rows of ``claims`` and ``source_mentions`` for one article."""
    from pipeline.extract.claims import extract_claims

    claims: list[Row] = []
    mentions: list[Row] = []
    seen: set[str] = set()
    base = _body_offset(doc)
    for claim in extract_claims(doc, outlet=outlet):
        if base:
            claim = _shifted(claim, base, ("speaker_start", "speaker_end", "cue_start", "cue_end"))
            claim = _shifted(claim, base, ("content_start", "content_end"))
        claim_id = row_id("c", article_id, "claim", claim.content_start, claim.content_end)
        if claim_id in seen:  # two cues for one content span: keep the first
            continue
        seen.add(claim_id)
        claims.append(
            {
                "claim_id": claim_id,
                "article_id": article_id,
                "source_id": claim.source.source_id if claim.source else None,
                "speaker": claim.speaker,
                "speaker_start": claim.speaker_start,
                "speaker_end": claim.speaker_end,
                "cue": claim.cue,
                "cue_start": claim.cue_start,
                "cue_end": claim.cue_end,
                "content": claim.content,
                "content_start": claim.content_start,
                "content_end": claim.content_end,
                "is_direct": claim.is_direct,
                "via_source_id": claim.via.source_id if claim.via else None,
                "method": claim.method,
            }
        )
        for role, ref in (("speaker", claim.source), ("via", claim.via)):
            if ref is None:
                continue
            mentions.append(
                {
                    "claim_id": claim_id,
                    "role": role,
                    "article_id": article_id,
                    "source_id": ref.source_id,
                    "name": ref.name,
                    "kind": ref.kind,
                    "description": ref.description,
                    "surface": ref.surface,
                }
            )
    return {"claims": claims, "source_mentions": mentions}


@dataclass(frozen=True, slots=True)
class ClaimSpan:
    """Where a claim's content lies, to tell which figures it contains."""

    claim_id: str
    start: int
    end: int


def figure_rows(article_id: str, doc: Doc, claims: Sequence[ClaimSpan]) -> list[Row]:
    """Rows of ``figures`` for one article; a figure inside a claim carries its ``claim_id``."""
    from pipeline.extract.figures import extract_figures
    from pipeline.extract.frame_context import with_context
    from pipeline.extract.frames import figure_frame, frame_columns

    spans = sorted(claims, key=lambda span: (span.start, span.end))
    starts = [span.start for span in spans]
    rows: list[Row] = []
    seen: set[str] = set()
    base = _body_offset(doc)
    figures = list(extract_figures(doc))
    frames = with_context(  # doc offsets, before the shift to body offsets
        doc,
        [(figure.start, figure.end, figure.kind) for figure in figures],
        [
            figure_frame(doc, figure.start, figure.end, change=figure.change, kind=figure.kind)
            for figure in figures
        ],
    )
    for figure, frame in zip(figures, frames, strict=True):
        if base:
            figure = _shifted(figure, base, ("start", "end"))
        figure_id = row_id("f", article_id, "figure", figure.start, figure.end)
        if figure_id in seen:
            continue
        seen.add(figure_id)
        rows.append(
            {
                "figure_id": figure_id,
                "article_id": article_id,
                "claim_id": _containing_claim(spans, starts, figure.start, figure.end),
                "text": figure.text,
                "start": figure.start,
                "end": figure.end,
                "value": figure.value,
                "value_low": figure.value_low,
                "value_high": figure.value_high,
                "change": figure.change,
                "unit": figure.unit,
                "kind": figure.kind,
                "counted": figure.counted,
                **frame_columns(frame),
            }
        )
    return rows


def _containing_claim(
    spans: Sequence[ClaimSpan], starts: Sequence[int], start: int, end: int
) -> str | None:
    """The innermost claim whose content contains ``[start, end)``, if any."""
    best: ClaimSpan | None = None
    for span in spans[: bisect.bisect_right(starts, start)]:
        if (
            span.start <= start
            and end <= span.end
            and (best is None or span.end - span.start < best.end - best.start)
        ):
            best = span
    return best.claim_id if best else None


def location_rows(article_id: str, doc: Doc, gazetteer: object) -> list[Row]:
    """Rows of ``locations`` for one article: one per place mention."""
    from pipeline.extract.locations import extract_locations

    rows: list[Row] = []
    seen: set[str] = set()
    base = _body_offset(doc)
    for location in extract_locations(doc, gazetteer):  # type: ignore[arg-type]
        if base:
            location = _shifted(location, base, ("start", "end"))
        location_id = row_id("l", article_id, "location", location.start, location.end)
        if location_id in seen:
            continue
        seen.add(location_id)
        rows.append(
            {
                "location_id": location_id,
                "article_id": article_id,
                "text": location.text,
                "start": location.start,
                "end": location.end,
                "geonameid": location.geonameid,
                "name": location.name,
                "feature_code": location.feature_code,
                "country_code": location.country_code,
                "admin1": location.admin1,
                "latitude": location.latitude,
                "longitude": location.longitude,
                "confidence": location.confidence,
                "mention": location.mention,
            }
        )
    return rows


def _body_offset(doc: Doc) -> int:
    from pipeline.nlp import body_offset

    return body_offset(doc)


def _shifted(record: T, base: int, fields: Sequence[str]) -> T:
    """``record`` with ``base`` added to its offset ``fields`` (None stays None)."""
    changes = {
        name: getattr(record, name) + base for name in fields if getattr(record, name) is not None
    }
    return dataclasses.replace(record, **changes)  # type: ignore[type-var]


def source_rows(mentions: Iterable[Row]) -> Iterator[Row]:
    """Rows of ``sources``: one canonical entity per ``source_id`` across the corpus.

    A surname-only person's row also names the full-name source the corpus shows it to be
    (``same_as``, :mod:`pipeline.link.same_person`).
    """
    from pipeline.link.same_person import same_person
    from pipeline.link.sources import SourceRef, merge_sources

    rows = list(mentions)
    refs = [
        SourceRef(
            source_id=str(m["source_id"]),
            name=str(m["name"]),
            kind=str(m["kind"]),
            description=m["description"],  # type: ignore[arg-type]
            surface=str(m["surface"]),
        )
        for m in rows
    ]
    sources = merge_sources(refs)
    cited_in = {(str(m["source_id"]), str(m["article_id"])) for m in rows}
    citing = Counter(source_id for source_id, _ in cited_in)
    same_as = same_person(sources, Counter(ref.source_id for ref in refs), citing)
    for source in sources:
        yield {
            "source_id": source.source_id,
            "name": source.name,
            "kind": source.kind,
            "description": source.description,
            "aliases": list(source.aliases),
            "same_as": same_as.get(source.source_id),
        }
