"""Contract v1: one Pandera model per published table, on a shared strict base.

Downstream users rely on these column names, types and meanings; the dataset card and the
Dagster column schemas are generated from the descriptions here. A breaking change (a column
removed, renamed or retyped) bumps the table's major version in :data:`CONTRACT_VERSIONS`.
"""

from __future__ import annotations

from typing import Annotated

import pandera.polars as pa
import polars as pl

from pipeline.extract.claim_method import METHODS as CLAIM_METHODS
from pipeline.extract.figures import CHANGES, KINDS
from pipeline.extract.frames import ROLES as FRAME_ROLES
from pipeline.link.geocode import MENTION_FORMS
from pipeline.link.sources import SOURCE_KINDS
from pipeline.stages import QUARANTINE_STAGES

# The allowed values are defined once, where the rows are made.
FIGURE_CHANGES = CHANGES
FIGURE_KINDS = KINDS

CONTRACT_VERSIONS: dict[str, str] = {
    "articles": "1.1.0",
    "sources": "1.2.0",
    "claims": "1.1.0",
    "figures": "1.1.0",
    "locations": "1.1.0",
    "rejected": "1.0.0",
    "quarantine": "1.0.0",
    "stories": "1.0.0",
    "claim_groups": "1.0.0",
    "figure_conflicts": "1.1.0",
}

_TEXT = pl.String
_OFFSET = pl.Int32
# Parameterised polars dtypes go in ``Annotated`` metadata (Pandera passes it to the dtype
# positionally): a call such as ``pl.List(pl.String)`` is not a valid type annotation.
_TEXT_LIST = Annotated[pl.List, pl.String]
_UTC_TIME = Annotated[pl.Datetime, "us", "UTC"]


class StrictModel(pa.DataFrameModel):
    """Shared base: exact columns, exact types, nothing coerced silently."""

    class Config:
        strict = True
        coerce = False


class _Spanned(StrictModel):
    """A row that points at ``text`` inside an article body."""

    article_id: _TEXT = pa.Field(description="The article the row was extracted from.")
    text: _TEXT = pa.Field(description="The mention as written; equals body[start:end].")
    start: _OFFSET = pa.Field(ge=0, description="Start character offset into articles.body.")
    end: _OFFSET = pa.Field(ge=1, description="End character offset (exclusive).")

    @pa.dataframe_check
    def span_is_ordered(cls, data: pa.PolarsData) -> pl.LazyFrame:
        """``start < end``: an empty span points at nothing."""
        return data.lazyframe.select(pl.col("start") < pl.col("end"))


class Articles(StrictModel):
    """One row per article: parsed, normalised text and its metadata."""

    article_id: _TEXT = pa.Field(
        unique=True, description="Stable id: hash of the input namespace and external_id."
    )
    external_id: _TEXT = pa.Field(description="The record's own id, else its file name.")
    source_uri: _TEXT = pa.Field(description="Where the record was read (file, #line).")
    outlet: _TEXT = pa.Field(nullable=True, description="Publishing outlet, as given.")
    url: _TEXT = pa.Field(nullable=True, description="Canonical URL, when known.")
    title: _TEXT = pa.Field(nullable=True, description="Headline (not part of body).")
    authors: _TEXT_LIST = pa.Field(description="Bylines, in order; may be empty.")
    published_at: _UTC_TIME = pa.Field(
        nullable=True, description="Publication time in UTC (midnight when only a date)."
    )
    language: _TEXT = pa.Field(nullable=True, description="ISO 639-1 language guess.")
    body: _TEXT = pa.Field(
        str_length={"min_value": 1},
        description="Normalised main text (NFC, boilerplate removed, paragraphs split by a "
        "blank line). All offsets in other tables index into it.",
    )
    word_count: pl.Int32 = pa.Field(ge=0, description="Words in body.")
    content_hash: _TEXT = pa.Field(
        str_length={"min_value": 64, "max_value": 64}, description="sha256 of body."
    )
    duplicate_of: _TEXT = pa.Field(
        nullable=True,
        description="article_id of the earliest copy when this is an exact or near duplicate "
        "(syndicated or re-published; word-shingle Jaccard >= 0.7). Rows extracted from a "
        "duplicate are repeats: join claims/figures/locations on article_id and skip rows "
        "whose article has duplicate_of set to count each statement once.",
    )
    story_id: _TEXT = pa.Field(
        nullable=True,
        description="The story (same event across outlets) the article belongs to; null "
        "when no other article tells the same event. Copies share their original's story.",
    )


class Sources(StrictModel):
    """Who is cited: one canonical entity across the corpus."""

    source_id: _TEXT = pa.Field(unique=True, description="Stable id of the canonical entity.")
    name: _TEXT = pa.Field(description="Canonical name (AP -> The Associated Press).")
    kind: _TEXT = pa.Field(isin=list(SOURCE_KINDS), description="What sort of source it is.")
    description: _TEXT = pa.Field(
        nullable=True, description="Role as described in the text (apposition)."
    )
    aliases: _TEXT_LIST = pa.Field(description="Surface forms seen in the corpus.")
    same_as: _TEXT = pa.Field(
        nullable=True,
        description="For a person named by surname only ('Obama'), the full-name source the "
        "corpus shows it to be ('Barack Obama'), when one full name with that surname is cited "
        "far more than any other; for a name with a middle initial ('Donald J. Trump'), the "
        "same name without it; join on coalesce(same_as, source_id) for one id per person.",
    )


class Claims(StrictModel):
    """Attributed statements: who said what, with cue and relay."""

    claim_id: _TEXT = pa.Field(unique=True, description="Id from (article, content span).")
    article_id: _TEXT = pa.Field(description="The article the claim is in.")
    source_id: _TEXT = pa.Field(nullable=True, description="The speaker as a canonical source.")
    speaker: _TEXT = pa.Field(
        nullable=True, description="Speaker mention in the claim's sentence (may be 'he')."
    )
    speaker_start: _OFFSET = pa.Field(nullable=True, ge=0, description="Speaker mention start.")
    speaker_end: _OFFSET = pa.Field(nullable=True, ge=1, description="Speaker mention end.")
    cue: _TEXT = pa.Field(description="Reporting verb or phrase ('said', 'according to').")
    cue_start: _OFFSET = pa.Field(ge=0, description="Cue start offset.")
    cue_end: _OFFSET = pa.Field(ge=1, description="Cue end offset.")
    content: _TEXT = pa.Field(description="What was said (inside the quote marks if direct).")
    content_start: _OFFSET = pa.Field(ge=0, description="Content start offset.")
    content_end: _OFFSET = pa.Field(ge=1, description="Content end offset.")
    is_direct: bool = pa.Field(description="True for a direct quote, false for reported speech.")
    via_source_id: _TEXT = pa.Field(
        nullable=True, description="Source that relayed the claim ('told AP')."
    )
    method: _TEXT = pa.Field(
        isin=list(CLAIM_METHODS),
        description="Which part found the cue: 'rules' (a quotation or a listed reporting word), "
        "'judged' (a reporting word beyond the lists, admitted by the learned judge) or 'tagged' "
        "(the learned tagger's). 'tagged' claims reach further and are right less often "
        "(newsledger eval claims prints each method's precision): filter them out for precision.",
    )

    @pa.dataframe_check
    def speaker_span_complete(cls, data: pa.PolarsData) -> pl.LazyFrame:
        """Speaker offsets are both set or both null."""
        return data.lazyframe.select(
            pl.col("speaker_start").is_null() == pl.col("speaker_end").is_null()
        )


class Figures(_Spanned):
    """Numbers in the text: value or range, unit, what is counted, qualifier."""

    figure_id: _TEXT = pa.Field(unique=True, description="Id from (article, span).")
    claim_id: _TEXT = pa.Field(
        nullable=True, description="The claim whose content contains the figure."
    )
    value: pl.Float64 = pa.Field(nullable=True, description="The value; null for a range.")
    value_low: pl.Float64 = pa.Field(nullable=True, description="Range low end.")
    value_high: pl.Float64 = pa.Field(nullable=True, description="Range high end.")
    change: _TEXT = pa.Field(
        isin=list(FIGURE_CHANGES),
        description="Qualifier: = exact, ~ about, > more than, < less than, up/down a change.",
    )
    unit: _TEXT = pa.Field(
        nullable=True, description="Lowercase singular unit (percentage, dollar, kilometre)."
    )
    kind: _TEXT = pa.Field(isin=list(FIGURE_KINDS), description="What the figure measures.")
    counted: _TEXT = pa.Field(nullable=True, description="What is counted ('U.S. troops').")
    frame_counted: _TEXT = pa.Field(
        nullable=True,
        description="Frame: counted noun's lemma with its modifiers, lowercase ('u.s. troop').",
    )
    frame_event: _TEXT = pa.Field(
        nullable=True,
        description="Frame: the predicate the figure is an argument of ('leave behind', 'kill').",
    )
    frame_holder: _TEXT = pa.Field(
        nullable=True,
        description="Frame: whose quantity (subject, possessor, passive agent), as written.",
    )
    frame_place: _TEXT = pa.Field(
        nullable=True, description="Frame: named place the quantity is in ('Iraq'), as written."
    )
    frame_time: _TEXT = pa.Field(
        nullable=True,
        description="Frame: time expression the quantity is at; null means the article's date.",
    )
    frame_role: _TEXT = pa.Field(
        nullable=True,
        isin=list(FRAME_ROLES),
        description="Frame: total, part (of a whole), change, rate (an average, per period),"
        " margin (of error), limit (up to), forecast (expected, planned, a target), revision"
        " (a revised count or a first estimate), sum (in total, over several events), previous"
        " (the level a change came from: 'fell to 5 percent from 6 percent'), besides (others"
        " beside named ones: 'the ambassador and three other Americans') or cell (a figure of a"
        " table flattened into text; never compared).",
    )

    @pa.dataframe_check
    def value_or_range(cls, data: pa.PolarsData) -> pl.LazyFrame:
        """Exactly one of: a value, or both ends of a range."""
        single = pl.col("value").is_not_null() & pl.col("value_low").is_null()
        ranged = (
            pl.col("value").is_null()
            & pl.col("value_low").is_not_null()
            & pl.col("value_high").is_not_null()
        )
        return data.lazyframe.select(single | ranged)


class Locations(_Spanned):
    """Place mentions resolved to GeoNames."""

    location_id: _TEXT = pa.Field(unique=True, description="Id from (article, span).")
    geonameid: pl.Int64 = pa.Field(
        nullable=True, gt=0, description="GeoNames id; null when unresolvable."
    )
    name: _TEXT = pa.Field(nullable=True, description="GeoNames name of the resolved place.")
    feature_code: _TEXT = pa.Field(nullable=True, description="GeoNames feature code.")
    country_code: _TEXT = pa.Field(
        nullable=True, str_matches=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2."
    )
    admin1: _TEXT = pa.Field(nullable=True, description="First-level division name.")
    latitude: pl.Float64 = pa.Field(nullable=True, ge=-90, le=90, description="WGS84 latitude.")
    longitude: pl.Float64 = pa.Field(nullable=True, ge=-180, le=180, description="WGS84 longitude.")
    confidence: pl.Float64 = pa.Field(ge=0, le=1, description="Resolver confidence, 0 to 1.")
    mention: _TEXT = pa.Field(
        isin=list(MENTION_FORMS),
        description="How the text names the place: name ('Iraq'), demonym ('Iraqi', "
        "'Americans'), modifier ('U.S.-led'), embedded ('US Special Forces') or metonym ('the "
        "White House', resolved to its city). Filter on mention = 'name' for place names only.",
    )


class Rejected(StrictModel):
    """Input records that could not become articles, with the reason."""

    rejection_id: _TEXT = pa.Field(unique=True, description="Id from (source_uri, id, reason).")
    source_uri: _TEXT = pa.Field(description="Where the record was read.")
    external_id: _TEXT = pa.Field(nullable=True, description="The record's id, when it had one.")
    reason: _TEXT = pa.Field(description="Short machine-readable reason code.")
    detail: _TEXT = pa.Field(description="A clear human-readable explanation.")


class Quarantine(StrictModel):
    """Articles a per-article stage failed on: the run went on without their rows there."""

    article_id: _TEXT = pa.Field(description="The article (its other stages' rows are kept).")
    stage: _TEXT = pa.Field(
        isin=list(QUARANTINE_STAGES),
        description="The stage that failed: nlp (parsing), claims, figures or locations.",
    )
    content_hash: _TEXT = pa.Field(description="The body it failed on (articles.content_hash).")
    code_version: _TEXT = pa.Field(
        description="The stage's code it failed with; a new body or new code retries it."
    )
    error_class: _TEXT = pa.Field(description="The exception's class, e.g. ValueError.")
    message: _TEXT = pa.Field(description="The exception's message (at most 2,000 characters).")

    @pa.dataframe_check
    def one_row_per_article_and_stage(cls, data: pa.PolarsData) -> pl.LazyFrame:
        """``(article_id, stage)`` is the key."""
        return data.lazyframe.select(~pl.struct("article_id", "stage").is_duplicated())


class Stories(StrictModel):
    """Articles about one event across outlets (articles.story_id points here)."""

    story_id: _TEXT = pa.Field(
        unique=True, description="Stable id, derived from the story's earliest article."
    )
    label: _TEXT = pa.Field(nullable=True, description="Title of the earliest titled article.")
    first_published: _UTC_TIME = pa.Field(
        nullable=True, description="Earliest publication time among its articles (UTC)."
    )
    last_published: _UTC_TIME = pa.Field(
        nullable=True, description="Latest publication time among its articles (UTC)."
    )
    article_count: pl.Int32 = pa.Field(
        ge=2, description="Articles in the story, copies (duplicate_of) included."
    )
    outlet_count: pl.Int32 = pa.Field(ge=0, description="Distinct named outlets.")
    outlets: _TEXT_LIST = pa.Field(description="Distinct named outlets, sorted.")

    @pa.dataframe_check
    def published_in_order(cls, data: pa.PolarsData) -> pl.LazyFrame:
        """``first_published <= last_published`` when both are known."""
        return data.lazyframe.select(
            pl.col("first_published").is_null()
            | pl.col("last_published").is_null()
            | (pl.col("first_published") <= pl.col("last_published"))
        )


class ClaimGroups(StrictModel):
    """The same statement by the same source carried by several articles."""

    claim_group_id: _TEXT = pa.Field(
        description="Id of the group, derived from its earliest claim."
    )
    claim_id: _TEXT = pa.Field(unique=True, description="A claim of the group (claims.claim_id).")
    article_id: _TEXT = pa.Field(description="The claim's article.")
    source_id: _TEXT = pa.Field(description="The speaker, shared by every claim of the group.")
    via_source_id: _TEXT = pa.Field(
        nullable=True, description="Who relayed this copy of the statement ('told AP')."
    )
    is_representative: bool = pa.Field(
        description="True for the group's earliest claim, the one others are compared with."
    )
    similarity: pl.Float64 = pa.Field(
        ge=0, le=1, description="Normalised token-sort similarity to the representative, 0-1."
    )
    from_duplicate: bool = pa.Field(
        description="True when the claim's article is a copy (articles.duplicate_of is set)."
    )

    @pa.dataframe_check
    def one_representative(cls, data: pa.PolarsData) -> pl.LazyFrame:
        """Each group has exactly one representative claim."""
        return data.lazyframe.select(
            pl.col("is_representative").cast(pl.Int32).sum().over("claim_group_id") == 1
        )


class FigureConflicts(StrictModel):
    """Figures in one story about the same counted thing whose values cannot both hold."""

    conflict_id: _TEXT = pa.Field(unique=True, description="Id from the two figure ids.")
    story_id: _TEXT = pa.Field(description="The story both articles belong to.")
    counted: _TEXT = pa.Field(
        description="Normalised counted thing: modifiers and head lemma ('us troop')."
    )
    figure_id_a: _TEXT = pa.Field(description="First figure (earlier article).")
    article_id_a: _TEXT = pa.Field(description="Article of the first figure.")
    source_id_a: _TEXT = pa.Field(
        nullable=True, description="Speaker of the first figure's claim, when it is in one."
    )
    text_a: _TEXT = pa.Field(description="The first figure as written.")
    value_a: pl.Float64 = pa.Field(nullable=True, description="figures.value of the first.")
    low_a: pl.Float64 = pa.Field(
        nullable=True, description="Low end of the values it allows; null when unbounded."
    )
    high_a: pl.Float64 = pa.Field(
        nullable=True, description="High end of the values it allows; null when unbounded."
    )
    figure_id_b: _TEXT = pa.Field(description="Second figure (later article).")
    article_id_b: _TEXT = pa.Field(description="Article of the second figure.")
    source_id_b: _TEXT = pa.Field(
        nullable=True, description="Speaker of the second figure's claim, when it is in one."
    )
    text_b: _TEXT = pa.Field(description="The second figure as written.")
    value_b: pl.Float64 = pa.Field(nullable=True, description="figures.value of the second.")
    low_b: pl.Float64 = pa.Field(
        nullable=True, description="Low end of the values it allows; null when unbounded."
    )
    high_b: pl.Float64 = pa.Field(
        nullable=True, description="High end of the values it allows; null when unbounded."
    )
    frame_a: _TEXT = pa.Field(
        nullable=True,
        description="The first figure's frame in words: counted, event, holder, place, time, role.",
    )
    frame_b: _TEXT = pa.Field(
        nullable=True, description="The second figure's frame in words, as frame_a."
    )
    frame_match: _TEXT = pa.Field(
        nullable=True,
        isin=["exact", "fuzzy"],
        description="exact: every frame field named on one side is named and equal on the other;"
        " fuzzy: a field is missing on one side, or the events are of one class.",
    )
    reason: _TEXT = pa.Field(
        description="The shared frame, who says what with both intervals (about = +-10%, more"
        " than = open above), and whether the frames match exactly or fuzzily."
    )

    @pa.dataframe_check
    def two_articles(cls, data: pa.PolarsData) -> pl.LazyFrame:
        """A conflict is between two different articles."""
        return data.lazyframe.select(pl.col("article_id_a") != pl.col("article_id_b"))


MODELS: dict[str, type[StrictModel]] = {
    "articles": Articles,
    "sources": Sources,
    "claims": Claims,
    "figures": Figures,
    "locations": Locations,
    "rejected": Rejected,
    "quarantine": Quarantine,
    "stories": Stories,
    "claim_groups": ClaimGroups,
    "figure_conflicts": FigureConflicts,
}
