"""The warehouse's tables as DuckDB DDL, and the migrations that bring an older file up to it.

Kept apart from :mod:`pipeline.warehouse` (the SQL that reads and writes the tables): a new
column touches this module, the DDL and one migration line, and nothing else here. The names
of the tables live here too: SQL interpolates only names that pass :func:`checked_table`.
"""

from __future__ import annotations

import duckdb

#: Bumped when the DDL changes in a way that needs a rebuild.
SCHEMA_VERSION = 1

DDL = """
CREATE TABLE IF NOT EXISTS articles (
    article_id    VARCHAR PRIMARY KEY,
    external_id   VARCHAR NOT NULL,
    source_uri    VARCHAR NOT NULL,
    outlet        VARCHAR,
    url           VARCHAR,
    title         VARCHAR,
    authors       VARCHAR[] NOT NULL,
    published_at  TIMESTAMPTZ,
    language      VARCHAR,
    body          VARCHAR NOT NULL,
    word_count    INTEGER NOT NULL,
    content_hash  VARCHAR NOT NULL,
    duplicate_of  VARCHAR,
    story_id      VARCHAR
);
CREATE TABLE IF NOT EXISTS rejected (
    rejection_id  VARCHAR PRIMARY KEY,
    source_uri    VARCHAR NOT NULL,
    external_id   VARCHAR,
    reason        VARCHAR NOT NULL,
    detail        VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS boilerplate (
    article_id    VARCHAR NOT NULL REFERENCES articles (article_id),
    position      INTEGER NOT NULL,
    kind          VARCHAR NOT NULL,
    text          VARCHAR NOT NULL,
    reason        VARCHAR NOT NULL,
    PRIMARY KEY (article_id, position)
);
CREATE TABLE IF NOT EXISTS ingest_runs (
    run_key       VARCHAR PRIMARY KEY,
    inputs        VARCHAR[] NOT NULL,
    records       INTEGER NOT NULL,
    articles      INTEGER NOT NULL,
    duplicates    INTEGER NOT NULL,
    rejected      INTEGER NOT NULL,
    new_or_changed INTEGER NOT NULL
);
-- Per article: the digest of the input record (and ingest code) it was last read from, and of
-- its stored row then. Both unchanged: the record need not be converted again.
CREATE TABLE IF NOT EXISTS ingest_state (
    article_id    VARCHAR PRIMARY KEY,
    record_digest VARCHAR NOT NULL,
    row_digest    VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS nlp_docs (
    content_hash  VARCHAR PRIMARY KEY,
    model         VARCHAR NOT NULL,
    doc           BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS stage_state (
    stage         VARCHAR NOT NULL,
    article_id    VARCHAR NOT NULL,
    content_hash  VARCHAR NOT NULL,
    code_version  VARCHAR NOT NULL,
    PRIMARY KEY (stage, article_id)
);
-- Per article and per-article stage (nlp, claims, figures, locations): the error that stopped
-- the stage on this article, with the body and code it failed on. The run goes on without the
-- article's rows of that stage; it is retried only when its body or the stage's code changes.
CREATE TABLE IF NOT EXISTS quarantine (
    article_id    VARCHAR NOT NULL,
    stage         VARCHAR NOT NULL,
    content_hash  VARCHAR NOT NULL,
    code_version  VARCHAR NOT NULL,
    error_class   VARCHAR NOT NULL,
    message       VARCHAR NOT NULL,
    PRIMARY KEY (article_id, stage)
);
CREATE TABLE IF NOT EXISTS claims (
    claim_id      VARCHAR PRIMARY KEY,
    article_id    VARCHAR NOT NULL REFERENCES articles (article_id),
    source_id     VARCHAR,
    speaker       VARCHAR,
    speaker_start INTEGER,
    speaker_end   INTEGER,
    cue           VARCHAR NOT NULL,
    cue_start     INTEGER NOT NULL,
    cue_end       INTEGER NOT NULL,
    content       VARCHAR NOT NULL,
    content_start INTEGER NOT NULL,
    content_end   INTEGER NOT NULL,
    is_direct     BOOLEAN NOT NULL,
    via_source_id VARCHAR,
    method        VARCHAR
);
CREATE TABLE IF NOT EXISTS source_mentions (
    claim_id      VARCHAR NOT NULL,
    role          VARCHAR NOT NULL,
    article_id    VARCHAR NOT NULL REFERENCES articles (article_id),
    source_id     VARCHAR NOT NULL,
    name          VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL,
    description   VARCHAR,
    surface       VARCHAR NOT NULL,
    PRIMARY KEY (claim_id, role)
);
CREATE TABLE IF NOT EXISTS sources (
    source_id     VARCHAR PRIMARY KEY,
    name          VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL,
    description   VARCHAR,
    aliases       VARCHAR[] NOT NULL,
    same_as       VARCHAR
);
CREATE TABLE IF NOT EXISTS figures (
    figure_id     VARCHAR PRIMARY KEY,
    article_id    VARCHAR NOT NULL REFERENCES articles (article_id),
    claim_id      VARCHAR,
    text          VARCHAR NOT NULL,
    "start"       INTEGER NOT NULL,
    "end"         INTEGER NOT NULL,
    value         DOUBLE,
    value_low     DOUBLE,
    value_high    DOUBLE,
    change        VARCHAR NOT NULL,
    unit          VARCHAR,
    kind          VARCHAR NOT NULL,
    counted       VARCHAR,
    frame_counted VARCHAR,
    frame_event   VARCHAR,
    frame_holder  VARCHAR,
    frame_place   VARCHAR,
    frame_time    VARCHAR,
    frame_role    VARCHAR
);
CREATE TABLE IF NOT EXISTS locations (
    location_id   VARCHAR PRIMARY KEY,
    article_id    VARCHAR NOT NULL REFERENCES articles (article_id),
    text          VARCHAR NOT NULL,
    "start"       INTEGER NOT NULL,
    "end"         INTEGER NOT NULL,
    geonameid     BIGINT,
    name          VARCHAR,
    feature_code  VARCHAR,
    country_code  VARCHAR,
    admin1        VARCHAR,
    latitude      DOUBLE,
    longitude     DOUBLE,
    confidence    DOUBLE NOT NULL,
    mention       VARCHAR
);
-- One row per corpus-wide stage: the fingerprint of what it read and wrote, taken in the
-- transaction of its last write, and what that run reported.
CREATE TABLE IF NOT EXISTS stage_runs (
    stage         VARCHAR PRIMARY KEY,
    fingerprint   VARCHAR NOT NULL,
    report        VARCHAR NOT NULL
);
-- One row per table: the digest of the data (and code) its contract last passed on, so an
-- unchanged table is not validated again (contracts.checks.check_warehouse_table).
CREATE TABLE IF NOT EXISTS contract_passes (
    table_name    VARCHAR PRIMARY KEY,
    digest        VARCHAR NOT NULL,
    row_count     BIGINT NOT NULL
);
-- Corpus-wide tables (pipeline.across): rebuilt whole on every run, so no foreign keys (they
-- would block the per-article replacement of claims and figures); the contracts check keys.
CREATE TABLE IF NOT EXISTS stories (
    story_id        VARCHAR PRIMARY KEY,
    label           VARCHAR,
    first_published TIMESTAMPTZ,
    last_published  TIMESTAMPTZ,
    article_count   INTEGER NOT NULL,
    outlet_count    INTEGER NOT NULL,
    outlets         VARCHAR[] NOT NULL
);
CREATE TABLE IF NOT EXISTS claim_groups (
    claim_group_id    VARCHAR NOT NULL,
    claim_id          VARCHAR PRIMARY KEY,
    article_id        VARCHAR NOT NULL,
    source_id         VARCHAR NOT NULL,
    via_source_id     VARCHAR,
    is_representative BOOLEAN NOT NULL,
    similarity        DOUBLE NOT NULL,
    from_duplicate    BOOLEAN NOT NULL
);
CREATE TABLE IF NOT EXISTS figure_conflicts (
    conflict_id   VARCHAR PRIMARY KEY,
    story_id      VARCHAR NOT NULL,
    counted       VARCHAR NOT NULL,
    figure_id_a   VARCHAR NOT NULL,
    article_id_a  VARCHAR NOT NULL,
    source_id_a   VARCHAR,
    text_a        VARCHAR NOT NULL,
    value_a       DOUBLE,
    low_a         DOUBLE,
    high_a        DOUBLE,
    figure_id_b   VARCHAR NOT NULL,
    article_id_b  VARCHAR NOT NULL,
    source_id_b   VARCHAR,
    text_b        VARCHAR NOT NULL,
    value_b       DOUBLE,
    low_b         DOUBLE,
    high_b        DOUBLE,
    frame_a       VARCHAR,
    frame_b       VARCHAR,
    frame_match   VARCHAR,
    reason        VARCHAR NOT NULL
);
-- At most one row: what the last complete build left (pipeline.seal). A run whose first step
-- finds the same tables, code and settings has nothing to do after it.
CREATE TABLE IF NOT EXISTS build_seal (
    one           BOOLEAN PRIMARY KEY DEFAULT true CHECK (one),
    build_key     VARCHAR NOT NULL,
    tables_digest VARCHAR NOT NULL,
    release       VARCHAR NOT NULL,
    run_id        VARCHAR NOT NULL
);
"""

#: Columns added to existing tables after their first release: warehouses built before them
#: gain them in place (nullable, so no rebuild is needed).
MIGRATIONS = (
    "ALTER TABLE articles ADD COLUMN IF NOT EXISTS story_id VARCHAR",
    *(
        f"ALTER TABLE figures ADD COLUMN IF NOT EXISTS {column} VARCHAR"
        for column in (
            "frame_counted",
            "frame_event",
            "frame_holder",
            "frame_place",
            "frame_time",
            "frame_role",
        )
    ),
    *(
        f"ALTER TABLE figure_conflicts ADD COLUMN IF NOT EXISTS {column} VARCHAR"
        for column in ("frame_a", "frame_b", "frame_match")
    ),
    # How a place is mentioned (name, demonym, ...); the locations stage's new version
    # re-extracts every article, so no row keeps the null.
    "ALTER TABLE locations ADD COLUMN IF NOT EXISTS mention VARCHAR",
    # Which part found a claim's cue (rules, judged, tagged); the claims stage's new version
    # re-extracts every article, so no row keeps the null.
    "ALTER TABLE claims ADD COLUMN IF NOT EXISTS method VARCHAR",
    # The full-name source a surname-only person stands for; the sources stage's new version
    # rebuilds the table.
    "ALTER TABLE sources ADD COLUMN IF NOT EXISTS same_as VARCHAR",
)


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create missing tables and apply the migrations (idempotent)."""
    con.execute(DDL)
    for statement in MIGRATIONS:
        con.execute(statement)


#: Every table of the warehouse; names interpolated into SQL must be one of them.
TABLES = frozenset(
    {
        "articles",
        "rejected",
        "boilerplate",
        "ingest_runs",
        "ingest_state",
        "nlp_docs",
        "stage_state",
        "quarantine",
        "stage_runs",
        "contract_passes",
        "claims",
        "source_mentions",
        "sources",
        "figures",
        "locations",
        "stories",
        "claim_groups",
        "figure_conflicts",
        "build_seal",
    }
)


def checked_table(name: str) -> str:
    """Table names are interpolated into SQL, so only known names pass."""
    if name not in TABLES:
        raise ValueError(f"unknown warehouse table: {name!r}")
    return name


def quoted_column(name: str) -> str:
    """Column names are interpolated into SQL, so only plain identifiers pass (quoted)."""
    if not (name.isascii() and name.replace("_", "").isalnum()):
        raise ValueError(f"not a plain column name: {name!r}")
    return f'"{name}"'
