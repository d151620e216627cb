"""Relays: a news outlet reporting another cue ("..., notes AP", "AP reports: ...").

Rules: a cue whose speaker is a news agency or outlet and that governs, or is governed by,
another cue with a speaker relays it and becomes the ``via`` of the claim it reports. A relay
that took a quotation ("“...,” notes AP") or quoted someone as saying passes the words on and
yields no claim of its own; one that reports a clause ("Bloomberg says its reporting has found
that ...", "The AP reported that, according to X, ...") is also the outlet's own claim, as
PolNeAR annotates it (86 of the 106 relays in PolNeAR train have a gold attribution on the
relay cue, its source the outlet).
"""

from __future__ import annotations

from spacy.tokens import Token

from pipeline.extract.attribution.cues import Cue, is_media_like
from pipeline.extract.doccache import doc_text


def find_relays(cues: list[Cue]) -> dict[int, Token]:
    """Cues by a news outlet that report another cue ("..., notes AP", "AP reports: ...").

    Returns:
        Map from relay cue index to the outlet token (the claims' assembly in
        :mod:`pipeline.extract.claims` gives a relay that took a quotation no claim of its
        own).
    """
    out: dict[int, Token] = {}
    for ci, cue in enumerate(cues):
        if cue.speaker is None or cue.via is not None or not is_media_like(cue.speaker):
            continue
        verb = cue.verb
        text = doc_text(verb.doc)
        inner = [
            other
            for other in cues
            if other is not cue
            and other.speaker is not None
            and (
                other.verb.head == verb
                or verb.head == other.verb
                or (cue.content and cue.content[0] <= other.verb.idx < cue.content[1])
            )
        ]
        intro = text[verb.idx + len(verb) :].lstrip(" \u00a0")[:1] == ":" and not inner
        if inner or intro:
            out[ci] = cue.speaker
    return out


def inner_cue(ri: int, cues: list[Cue], relays: dict[int, Token]) -> int | None:
    """The cue a relay reports: one with a speaker, governing or governed by the relay verb."""
    verb = cues[ri].verb
    for ci, other in enumerate(cues):
        if ci == ri or ci in relays or other.speaker is None:
            continue
        if other.verb.head == verb or verb.head == other.verb:
            return ci
    return None


def relay_of(cue: Cue, cues: list[Cue], relays: dict[int, Token]) -> Token | None:
    """The outlet relaying ``cue``: a relay cue governing it, or an "X reports:" intro."""
    text = doc_text(cue.verb.doc)
    for ri, outlet in relays.items():
        relay = cues[ri]
        if relay.verb.head == cue.verb or cue.verb.head == relay.verb:
            return outlet
        if relay.content and relay.content[0] <= cue.verb.idx < relay.content[1]:
            return outlet
        tail = text[relay.verb.idx + len(relay.verb) :]
        if tail.lstrip(" \u00a0").startswith(":"):
            colon = relay.verb.idx + len(relay.verb) + tail.index(":")
            after = text[colon + 1 :]
            skipped = len(after) - len(after.lstrip())
            para_end = text.find("\n", colon + 1 + skipped)
            para_end = len(text) if para_end < 0 else para_end
            if colon < cue.verb.idx < para_end:
                return outlet
    return None
