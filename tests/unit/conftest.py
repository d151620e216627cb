"""Fixtures shared by the unit tests of the claims components.

The pipeline's parse is loaded once per session, and ``rule_claims_of`` runs the claims stage
on it with the rules alone (no learned taggers), so that a test pins the behaviour of a rule
rather than of the current model.
"""

from collections.abc import Callable

import pytest
from spacy.language import Language

from pipeline.extract.claims import Claim, extract_claims


class FoundClaims(list[Claim]):
    """The claims found in a test's text, with the lookup the speaker tests share."""

    def speaker_of(self, needle: str) -> str | None:
        """The speaker of the first claim whose content holds ``needle`` (there must be one)."""
        hits = [c for c in self if needle in c.content]
        assert hits, f"no claim containing {needle!r} in {[c.content for c in self]}"
        return hits[0].speaker


@pytest.fixture(scope="session")
def english() -> Language:
    """The pipeline's spaCy model, as the parse stage loads it."""
    from pipeline.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def rule_claims_of(english: Language) -> Callable[[str], FoundClaims]:
    """The claims the rules find in a text (the claims stage without its learned taggers)."""

    def run(text: str) -> FoundClaims:
        return FoundClaims(extract_claims(english(text), taggers=False))

    return run
