"""The eval's claims speed: a median of timed passes, each pass's rate beside it."""

import pytest

from pipeline.evaluate.claims_speed import extraction_speed

pytestmark = pytest.mark.slow


def test_the_speed_is_the_median_of_its_passes(english):
    docs = [english("The senator said on Friday that the bill would pass. Critics disagreed.")]
    speed = extraction_speed(docs, passes=3)
    assert speed["words"] == 12  # punctuation is no word
    assert len(speed["passes"]) == 3
    assert speed["words_per_second"] == sorted(speed["passes"])[1]
