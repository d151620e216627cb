"""The claims eval's protocols: half overlap (the README's), exact, start and token overlap."""

from pipeline.evaluate.claims import Gold, Pred, by_method, errors, protocols, score

TEXT = "Officials said “the bridge is safe,” and engineers disputed the finding on Monday."


def _span(needle: str) -> tuple[int, int]:
    start = TEXT.index(needle)
    return start, start + len(needle)


def test_exact_start_and_overlap_side_by_side():
    golds = [
        Gold(_span("“the bridge is safe,”"), (_span("Officials"),), True),
        Gold(_span("the finding on Monday"), (_span("engineers"),), False),
    ]
    preds = [
        Pred(_span("the bridge is safe"), _span("Officials")),  # exact once trimmed
        Pred(_span("the finding"), _span("engineers")),  # same start, shorter
    ]
    by_protocol = protocols([TEXT], [golds], [preds])
    assert by_protocol["exact"] == {"p": 0.5, "r": 0.5, "f1": 0.5}
    assert by_protocol["start"] == {"p": 1.0, "r": 1.0, "f1": 1.0}
    overlap = by_protocol["overlap"]
    assert overlap["p"] == 1.0 and overlap["r"] == round(6 / 8, 4)
    half = score([golds], [preds])
    assert half["content"]["f1"] == 1.0 and half["speaker_accuracy"] == 1.0


def test_precision_by_method_and_the_scores_without_the_taggers_claims():
    golds = [
        Gold(_span("“the bridge is safe,”"), (_span("Officials"),), True),
        Gold(_span("the finding on Monday"), (_span("engineers"),), False),
    ]
    preds = [
        Pred(_span("the bridge is safe"), _span("Officials"), "rules"),
        Pred(_span("the finding on Monday"), _span("engineers"), "tagged"),
        Pred(_span("Officials said"), None, "tagged"),  # matches nothing
    ]
    methods = by_method([golds], [preds])
    assert methods["rules"] == {"predicted": 1, "right": 1, "precision": 1.0}
    assert methods["judged"] == {"predicted": 0, "right": 0, "precision": 0.0}
    assert methods["tagged"] == {"predicted": 2, "right": 1, "precision": 0.5}
    assert methods["without_tagged"] == {"p": 1.0, "r": 0.5, "f1": round(2 / 3, 4)}


def test_a_prediction_matching_nothing_counts_against_every_protocol():
    golds = [Gold(_span("the finding on Monday"), (), False)]
    preds = [Pred(_span("Officials said"), None)]
    by_protocol = protocols([TEXT], [golds], [preds])
    assert all(by_protocol[name]["f1"] == 0.0 for name in ("exact", "start", "overlap"))


def test_errors_name_what_was_missed_spurious_or_misattributed():
    golds = [
        Gold(_span("“the bridge is safe,”"), (_span("Officials"),), True),
        Gold(_span("the finding on Monday"), (_span("engineers"),), False),
    ]
    preds = [
        Pred(_span("the bridge is safe"), _span("engineers")),  # right content, wrong speaker
        Pred(_span("Officials said"), None),  # matches no gold content
    ]
    found = list(errors(TEXT, golds, preds))
    assert {"kind": "missed", "content": "the finding on Monday", "direct": False} in found
    assert {
        "kind": "speaker",
        "gold": "Officials",
        "ours": "engineers",
        "content": "“the bridge is safe,”",
    } in found
    assert {"kind": "spurious", "speaker": None, "content": "Officials said"} in found
    assert len(found) == 3
