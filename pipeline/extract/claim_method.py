"""The values of ``claims.method``: which part of the claims extractor found a claim's cue.

A quotation or a hand-listed reporting word, with its content and speaker by rules over the
parse (``"rules"``); a reporting word beyond the lists that the learned judge admitted
(``"judged"``, :mod:`pipeline.extract.attribution.model`); a cue the learned sequence tagger
found where the rules found none (``"tagged"``, :mod:`pipeline.extract.attribution.crf`).

Kept apart from :mod:`pipeline.extract.claims` so that the contracts, which the Dagster code
location loads, name the values without importing spaCy.
"""

METHODS = ("rules", "judged", "tagged")
