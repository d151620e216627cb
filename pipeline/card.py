"""The dataset card: a release's README, generated from its manifest.

Everything a data scientist needs before trusting the files is on the card: what each table
and column means (the descriptions come from the Pandera contracts through the manifest), how
the rows were made, licenses and attribution, known limits, and loading examples. The examples
use paths relative to the release folder and assert the row counts, so a test can run them
exactly as printed, from inside the release.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pipeline.release import CHANGELOG, MANIFEST, table_paths

TABLE_PURPOSE = {
    "articles": "One row per article: normalised body (all offsets index into it) and metadata.",
    "sources": "Who is cited, one canonical entity each (AP = The Associated Press).",
    "claims": "Attributed statements: speaker, cue verb, content, direct or reported, relay.",
    "figures": "Numbers in the text: value or range, unit, what is counted, qualifier.",
    "locations": "Place mentions resolved to GeoNames ids with coordinates and country.",
    "rejected": "Input records that could not become articles, with the reason.",
    "quarantine": "Articles a per-article stage failed on, with the stage and the error.",
}

#: How the rows of each table were made (provenance, not implementation detail).
TABLE_METHOD = {
    "articles": "Read from plain text, HTML (trafilatura main-text extraction) or JSONL "
    "records; Unicode NFC, boilerplate (repeated titles, captions, 'Related Articles', a 'Top "
    "stories' box run into the last paragraph, photo galleries and video teasers run into the "
    "story, comment prompts) removed. `article_id` hashes "
    "the input namespace and the record's own id, so an edited article keeps its id. Copies of "
    "an earlier article are kept and marked in `duplicate_of` (see the column for how copies "
    "are detected).",
    "sources": "Speakers and relays of the claims, canonicalised across the corpus (surname to "
    "the full name the article gives, a role before a name to the description ('House Speaker "
    "John Boehner'), 'the president' to the one person the article titles so, pronoun to "
    "antecedent, 'who' to the noun it follows, 'AP' to 'The Associated Press'); `source_id` "
    "hashes the canonical key, so the same entity has the same id in every article and release.",
    "claims": "Rule-based over spaCy `en_core_web_sm` 3.8: quotation spans paired on the raw "
    "text, reporting cues from dependency patterns ('said', 'according to', 'told AP') or a "
    "signature under the quotation ('-- Sen. Scott Brown, R-Mass.'), the speaker resolved to "
    "a source and a relaying source when there is one.",
    "figures": "Numbers, number words, ranges and scales ('1.5 million') parsed with their "
    "unit, qualifier ('about', 'more than', 'up') and the counted noun; linked to the claim "
    "whose content contains them. Each carries a frame read from the dependency parse of its "
    "sentence (`frame_*`): the counted noun with its modifiers, the predicate it is an "
    "argument of ('leave behind', 'kill'), the holder (subject, possessor or passive agent), "
    "a named place after a locative preposition, a date attached to the predicate (or in "
    "its subject, or in a clause leading in across a colon; 'ahead of Tuesday' keeps its "
    "relation), and a role (total, part, change, rate, margin, limit, forecast, revision, "
    "sum, previous: the level a change came from, from_to: 'fell from 8.1 to 7.8 percent', "
    "compared as the level it went to, or besides: 'the ambassador and three other "
    "Americans', at least four in all; or cell: a figure of a table flattened into text, "
    "never compared) from cue words and modals. An amount of "
    "money counts what it is in ('$850 billion in spending cuts'); a bare percentage or amount "
    "counts the noun it is the level of ('the unemployment rate fell to 5 percent').",
    "figure_conflicts": "Two figures of one story from different outlets (neither article a "
    "copy) are compared only when their frames say they are the same quantity: the same "
    "role (a total, change, rate, limit, forecast, sum or previous level; parts, margins and "
    "revisions never), the same counted noun and modifiers (the U.S. or Britain, or a word such "
    "as 'top', may be missing on one side; another modifier named on one side only counts as "
    "uncertain, unless it names a sector, party or other nationality: 'construction jobs' is "
    "not 'jobs'; lists of 'things' never), predicates of one class ('voted "
    "against' is not 'voted'), and no holder, place or date that differs (holders that mean "
    "the whole, 'businesses', 'employers', count as none; 'the Pentagon' is the U.S.; a level "
    "as of another weekday, or a total of a month neither article is from, is another "
    "quantity); at most two of those may be named on one side only or approximate "
    "(`frame_match` fuzzy), and something besides the counted noun must tie them (a part of "
    "a day, 'morning', names no day of its own); frames that agree but say nothing beyond the "
    "counted noun are compared only when they are counts within a tenth of each other. A "
    "change or "
    "rate attributed to a holder on one side only ('construction added 48,000') is not the "
    "unattributed one; a scene named on one side only ('the February attack') is another "
    "scene; requirements and plans compare only when every field matches. A figure whose own "
    "article gives another value for the same counted noun and predicate is compared only "
    "when a holder, place or date ties it to the other. Vague plurals ('hundreds') and "
    "durations are not compared. They conflict when their qualified intervals (about = "
    "+-10%, a round number may be rounded by half its last digit, at most 5%, a whole "
    "percentage by half a point; of two exact values stated to different digits, the coarser "
    "may be the other cut short: '$8.6 million' covers $8.67 million) do not overlap and are "
    "within a factor of two. A share whose place is named on one side only is another "
    "population (a Michigan poll is not a national one).",
    "locations": "Place mentions (spaCy GPE/LOC/FAC entities, proper nouns that are "
    "gazetteer names, datelines, demonyms such as 'Iraqi', names used as modifiers such as "
    "'U.S.-led', country names inside other names and seats of government such as 'the White "
    "House'; the `mention` column tells them apart) resolved "
    "offline against a GeoNames gazetteer (plus airports, air bases, seas and regions) by a "
    "learned ranker over name match, population, feature class, document context and "
    "distance to the other places of the article.",
    "rejected": "Every input record that did not become an article (empty body, unreadable "
    "file, undecodable bytes, ...): a bad record never stops a run, it lands here.",
    "quarantine": "When parsing (`nlp`) or an extractor (`claims`, `figures`, `locations`) "
    "raises on one article, the run goes on without that article's rows of that stage and "
    "records the stage, the error class and message, the body and the code it failed on here. "
    "The article stays in `articles` and keeps its other stages' rows; it is retried when its "
    "body or the stage's code changes. An empty table means every stage ran on every article.",
}

ATTRIBUTION = """## Licenses and attribution

- Place data (`locations.geonameid`, `name`, `feature_code`, `country_code`, `admin1`,
  coordinates): **GeoNames, geonames.org**, licensed CC-BY 4.0
  (<https://creativecommons.org/licenses/by/4.0/>). Keep this attribution in anything you
  derive from the `locations` table.
- Demonyms used to resolve countries: Wikipedia "Lists of people by nationality" (CC-BY-SA).
- Airports and air bases: the `airportsdata` package (MIT); their rows have no GeoNames id.
- Article texts belong to their publishers; check the terms of each source before reuse.
"""

LIMITS = """## Known limits

- Extraction is rule-based over spaCy's small English model: claims, figures and places are
  missed or mis-typed at the rates `newsledger eval` reports; treat counts as estimates.
- `claims.speaker` may be a pronoun ('he', 'who'); `source_id` is its resolved entity, null
  when the speaker could not be resolved. Anonymous sources ('officials said') have kind
  `anonymous`.
- Places resolve to the bundled GeoNames cities (500 inhabitants or more), countries,
  continents and admin divisions unless the release was built from a full GeoNames dump;
  smaller places have a null `geonameid`. Coordinates of countries and divisions are
  representative points, not centroids.
- `figure_conflicts` compares only what a figure's frame says; it misses disagreements whose
  frames differ in wording (another subject, a place on one side) and reports some that a
  reader would not (two incidents of one story with the same predicate). Precision and recall
  per stratum on 1,356 judged AllSides pairs are what `newsledger eval conflicts` prints;
  recall there is over the judged candidates, not over every disagreement.
- Offsets are Unicode code points into `articles.body` (Python `str` indexing), not bytes.
- `published_at` is midnight UTC when the source only gave a date; it is null when unknown.
- Copies are detected by text overlap (see `articles.duplicate_of`); a heavily edited reprint
  is a separate article, so its claims and figures count twice.
- With pandas and pyarrow, a script that calls `pd.read_parquet` can abort at exit
  ("terminate called without an active exception") after all its work is done, on a busy
  machine: Arrow's I/O threads outlive interpreter shutdown (apache/arrow#34314). The data read
  is complete; `pyarrow.parquet.read_table(path).to_pandas()` avoids it.
"""


def render_card(manifest: Mapping[str, Any]) -> str:
    """Markdown describing every table and column of a release.

    Args:
        manifest: The release's manifest (before its ``documents`` entry is added): version,
            tables with rows, layout, schema and contract versions.
    """
    version = manifest["version"]
    tables: Mapping[str, Any] = manifest["tables"]
    lines = [
        f"# newsledger release {version}",
        "",
        "A versioned dataset extracted from news articles. Every extracted row carries "
        "`article_id` and character offsets: `articles.body[start:end]` equals its text.",
        "",
        f"- Code version: `{manifest['code_version']}`",
        f"- Created: {manifest['created_at']}",
        f"- Input fingerprint (articles' source_uri + content_hash): "
        f"`{manifest['input_fingerprint']['sha256'][:16]}…` "
        f"({manifest['input_fingerprint']['articles']} articles)",
        f"- Data fingerprint: `{manifest['data_fingerprint'][:16]}…`",
        f"- Previous release: `{manifest.get('previous_version') or 'none'}` "
        f"(see [{CHANGELOG}]({CHANGELOG}))",
        "",
        "## Files",
        "",
        f"- `{MANIFEST}`: version, contract version per table, schema, row counts, and every "
        "file with its size and sha256. Check them with `newsledger verify <this folder>`, "
        "which also re-runs the expectations.",
        "- `data/`: Parquet (zstd), sorted by the primary key. A table with "
        f"{manifest['partition_min_rows']:,} rows or more is a folder with one file per month "
        "of publication (`data/<table>/<YYYY-MM>.parquet`, `unknown.parquet` when undated).",
        f"- `{CHANGELOG}`: rows added, removed and changed per table, and schema changes, "
        "against the previous release.",
    ]
    gate = manifest.get("expectations")
    if gate:
        lines.append(
            f"- `{gate['docs']}`: Great Expectations Data Docs of the {gate['evaluated']} "
            f"expectations ({gate['suites']} suites) this release passed before it was "
            "published (keys, nulls, ranges, allowed values, references between tables, "
            "offsets into bodies)."
        )
    lines += ["", "## Tables", ""]
    for table, entry in tables.items():
        location = table_paths(entry)["glob"]
        lines += [
            f"### `{table}`",
            "",
            f"{entry.get('description') or TABLE_PURPOSE.get(table, '')} {entry['rows']} rows "
            f"in `{location}`; primary key "
            f"`{', '.join(entry['primary_key'])}`; contract {entry['contract_version']}.",
            "",
            *(
                [f"How the rows were made: {TABLE_METHOD[table]}", ""]
                if table in TABLE_METHOD
                else []
            ),
            "| column | type | meaning |",
            "|---|---|---|",
            *(
                f"| `{c['column']}` | {c['type']} | {_cell(c['description'])} |"
                for c in entry["schema"]
            ),
            "",
        ]
    return "\n".join(lines) + "\n" + _loading(tables) + "\n" + ATTRIBUTION + "\n" + LIMITS


def _loading(tables: Mapping[str, Any]) -> str:
    """Loading examples that run from inside the release folder, as printed."""

    def path(table: str, kind: str) -> str:
        return table_paths(tables[table])[kind]

    def rows(table: str) -> int:
        return int(tables[table]["rows"])

    return f"""## Loading

Run these from inside the release folder (paths are relative to it).

Polars (lazy: only the columns and row groups a query needs are read):

```python
import polars as pl

claims = pl.scan_parquet("{path("claims", "glob")}")
sources = pl.scan_parquet("{path("sources", "glob")}")
who = (
    claims.join(sources, on="source_id", how="left")
    .group_by("name")
    .agg(pl.len().alias("claims"))
    .sort("claims", descending=True)
    .collect()
)
assert claims.select(pl.len()).collect().item() == {rows("claims")}
```

pandas:

```python
import pandas as pd

figures = pd.read_parquet("{path("figures", "folder")}")
articles = pd.read_parquet("{path("articles", "folder")}", columns=["article_id", "title", "body"])
assert len(figures) == {rows("figures")}
# Offsets index into the article body:
if len(figures):
    row = figures.merge(articles, on="article_id").iloc[0]
    assert row["body"][row["start"] : row["end"]] == row["text"]
```

DuckDB:

```python
import duckdb

places = duckdb.sql(
    \"\"\"
    SELECT l.name, l.country_code, count(*) AS mentions
    FROM read_parquet('{path("locations", "glob")}') l
    JOIN read_parquet('{path("articles", "glob")}') a USING (article_id)
    WHERE l.geonameid IS NOT NULL
    GROUP BY ALL ORDER BY mentions DESC
    \"\"\"
).fetchall()
total = duckdb.sql("SELECT count(*) FROM read_parquet('{path("locations", "glob")}')")
assert total.fetchone()[0] == {rows("locations")}
```
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
