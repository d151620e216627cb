"""The alias table of agencies, outlets and bodies (``pipeline/link/data/source_aliases.toml``)."""

from collections import Counter

from pipeline.link.sources import _ALIAS_TABLE, SOURCE_KINDS, lookup_alias, normalise_name


def test_every_body_has_a_known_kind_and_no_alias_names_two_bodies() -> None:
    assert all(kind in SOURCE_KINDS for _, kind, _ in _ALIAS_TABLE)
    keys = Counter(
        key
        for name, _, aliases in _ALIAS_TABLE
        for key in {normalise_name(alias) for alias in (*aliases, name)}
    )
    assert [key for key, n in keys.items() if n > 1] == []


def test_short_names_of_agencies_and_outlets_resolve() -> None:
    assert lookup_alias("the IRS") == ("Internal Revenue Service", "government")
    assert lookup_alias("the Justice Department") == ("U.S. Department of Justice", "government")
    assert lookup_alias("USA Today") == ("USA Today", "media")
    assert lookup_alias("the Associated Press (AP)") == ("The Associated Press", "news_agency")


def test_a_surname_or_common_word_is_no_outlet() -> None:
    for word in ("Hill", "the economist", "time", "reason", "the nation"):
        assert lookup_alias(word) is None
