"""What changed between two releases, and the ``CHANGELOG.md`` that says so.

Rows are added, removed or changed by primary key; schema changes are listed apart.

Kept apart from :mod:`pipeline.release` (which writes and verifies releases) because it is pure:
two frames in, a :class:`TableDiff` out, and a changelog rendered from diffs and a manifest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

__all__ = ["TableDiff", "diff_table", "render_changelog"]


@dataclass(frozen=True, slots=True)
class TableDiff:
    """How one table changed against the previous release (rows compared by primary key)."""

    table: str
    added: int
    removed: int
    changed: int
    unchanged: int
    columns_added: tuple[str, ...] = ()
    columns_removed: tuple[str, ...] = ()
    columns_retyped: tuple[tuple[str, str, str], ...] = ()
    contract_before: str | None = None
    contract_after: str | None = None
    examples: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def breaking(self) -> bool:
        """A column removed or retyped: users' code may break."""
        return bool(self.columns_removed or self.columns_retyped)

    @property
    def unbumped_break(self) -> bool:
        """A breaking schema change whose contract major version did not move."""
        if not self.breaking or self.contract_before is None or self.contract_after is None:
            return False
        return _major(self.contract_before) == _major(self.contract_after)


def diff_table(
    table: str,
    old: pl.DataFrame,
    new: pl.DataFrame,
    key: Sequence[str],
    *,
    contract_before: str | None = None,
    contract_after: str | None = None,
    examples: int = 5,
) -> TableDiff:
    """Rows added, removed and changed (same key, different row) between two versions.

    Rows are compared on the columns both versions have with the same type, so a schema change
    shows once as a schema change instead of marking every row changed.
    """
    key = list(key)
    old_types, new_types = dict(old.schema), dict(new.schema)
    added_cols = tuple(c for c in new_types if c not in old_types)
    removed_cols = tuple(c for c in old_types if c not in new_types)
    retyped = tuple(
        (c, str(old_types[c]), str(new_types[c]))
        for c in new_types
        if c in old_types and old_types[c] != new_types[c]
    )
    if not set(key) <= set(old_types) & set(new_types):
        return TableDiff(
            table,
            new.height,
            old.height,
            0,
            0,
            added_cols,
            removed_cols,
            retyped,
            contract_before,
            contract_after,
        )
    compared = [c for c in new_types if c in old_types and old_types[c] == new_types[c]]

    def hashed(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.select(
            *key, _row=frame.select(compared).hash_rows(seed=0, seed_1=1, seed_2=2, seed_3=3)
        )

    old_h, new_h = hashed(old), hashed(new)
    added = new_h.join(old_h, on=key, how="anti").sort(key)
    removed = old_h.join(new_h, on=key, how="anti").sort(key)
    both = new_h.join(old_h, on=key, how="inner", suffix="_old")
    changed = both.filter(pl.col("_row") != pl.col("_row_old")).sort(key)

    def sample(frame: pl.DataFrame) -> tuple[str, ...]:
        return tuple(
            "/".join(str(v) for v in row) for row in frame.select(key).head(examples).iter_rows()
        )

    return TableDiff(
        table=table,
        added=added.height,
        removed=removed.height,
        changed=changed.height,
        unchanged=both.height - changed.height,
        columns_added=added_cols,
        columns_removed=removed_cols,
        columns_retyped=retyped,
        contract_before=contract_before,
        contract_after=contract_after,
        examples={"added": sample(added), "removed": sample(removed), "changed": sample(changed)},
    )


def render_changelog(manifest: Mapping[str, Any], diff: Mapping[str, TableDiff] | None) -> str:
    """``CHANGELOG.md``: what changed against the release ``LATEST`` pointed to before."""
    version = manifest["version"]
    lines = [f"# Changelog of release {version}", ""]
    if diff is None:
        lines += [
            "First release in this folder: every row is new.",
            "",
            "| table | rows |",
            "|---|---:|",
            *(f"| `{name}` | {t['rows']} |" for name, t in manifest["tables"].items()),
        ]
        return "\n".join(lines) + "\n"
    lines += [
        f"Against release `{manifest['previous_version']}` (what `LATEST` pointed to before). "
        "Rows are matched by primary key; *changed* means same key, different row.",
        "",
        "| table | added | removed | changed | unchanged | contract |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, d in diff.items():
        if d.contract_before is None:
            contract = f"new table ({d.contract_after})"
        elif d.contract_before != d.contract_after:
            contract = f"{d.contract_before} → {d.contract_after}"
        else:
            contract = str(d.contract_after)
        lines.append(
            f"| `{name}` | {d.added} | {d.removed} | {d.changed} | {d.unchanged} | {contract} |"
        )
    lines += ["", "## Schema changes", ""]
    schema_lines = []
    for name, d in diff.items():
        schema_lines += [f"- `{name}`: column `{c}` added" for c in d.columns_added]
        schema_lines += [f"- `{name}`: column `{c}` removed (breaking)" for c in d.columns_removed]
        schema_lines += [
            f"- `{name}`: column `{c}` retyped {old} → {new} (breaking)"
            for c, old, new in d.columns_retyped
        ]
        if d.unbumped_break:
            schema_lines.append(
                f"- **`{name}`: breaking change without a major contract version bump "
                f"({d.contract_before} → {d.contract_after})**"
            )
    lines += schema_lines or ["None."]
    examples = [
        f"- `{name}` {kind}: " + ", ".join(f"`{key}`" for key in keys)
        for name, d in diff.items()
        for kind, keys in d.examples.items()
        if keys
    ]
    if examples:
        lines += ["", "## Examples (first keys)", "", *examples]
    return "\n".join(lines) + "\n"


def _major(version: str) -> str:
    return version.split(".", 1)[0]
