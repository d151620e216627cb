"""The dataset card: a release's README, generated from the contracts."""

from __future__ import annotations

from collections.abc import Mapping

from pipeline.release import ColumnDoc

TABLE_PURPOSE = {
    "articles": "One row per article: normalised body (all offsets index into it) and metadata.",
    "sources": "Who is cited, one canonical entity each (AP = The Associated Press).",
    "claims": "Attributed statements: speaker, cue verb, content, direct or reported, relay.",
    "figures": "Numbers in the text: value or range, unit, what is counted, qualifier.",
    "locations": "Place mentions resolved to GeoNames ids with coordinates and country.",
    "rejected": "Input records that could not become articles, with the reason.",
}

LOADING = """## Loading

```python
import polars as pl
claims = pl.scan_parquet("data/claims.parquet").collect()
```

```python
import pandas as pd
figures = pd.read_parquet("data/figures.parquet")
```

```python
import duckdb
duckdb.sql("SELECT count(*) FROM read_parquet('data/locations.parquet')").fetchall()
```
"""

ATTRIBUTION = """## Licenses and attribution

- Place data: GeoNames, geonames.org, licensed CC-BY 4.0.
- Article texts belong to their publishers; check the terms of each source before reuse.
"""

LIMITS = """## Known limits

- Extraction is rule-based over spaCy's small English model; see `newsledger eval` figures.
- Offsets are Unicode code points into `articles.body` (Python `str` indexing).
"""


def render_card(
    version: str,
    rows: Mapping[str, int],
    columns: Mapping[str, list[ColumnDoc]],
    contract_versions: Mapping[str, str],
) -> str:
    """Markdown describing every table and column of a release."""
    lines = [
        f"# newsledger release {version}",
        "",
        "A versioned dataset extracted from news articles. Every extracted row carries "
        "`article_id` and character offsets: `body[start:end]` equals its text.",
        "",
        "## Tables",
        "",
    ]
    for table, docs in columns.items():
        lines += [
            f"### `{table}` ({rows.get(table, 0)} rows, contract {contract_versions.get(table)})",
            "",
            TABLE_PURPOSE.get(table, ""),
            "",
            "| column | type | meaning |",
            "|---|---|---|",
            *(f"| `{c.name}` | {c.type} | {c.description} |" for c in docs),
            "",
        ]
    return "\n".join(lines) + "\n" + LOADING + "\n" + ATTRIBUTION + "\n" + LIMITS
