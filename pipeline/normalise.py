"""Normalise article text and strip scraped boilerplate.

Pure functions. ``clean_text`` repairs characters (Unicode NFC, mojibake, odd whitespace,
control characters); ``normalise_body`` also splits paragraphs and removes scraped boilerplate,
returning a :class:`Removal` for every piece it removed so nothing disappears silently.

Boilerplate rules are deliberately narrow: every rule matches a *whole line* (or a photo credit
ending a caption) and is bounded in length, so a real article sentence that merely mentions
Twitter or newsletters is never removed.

Photo captions keep their text and lose their credit ("AP Photo/Marko Drobnjakovic, File"): a
caption usually states where and when the picture was taken, often with places and numbers that
the prose never repeats (in the reference seed it is the only mention of Mosul), and every
extracted row must point into the body.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import ftfy


@dataclass(frozen=True, slots=True)
class Removal:
    """A piece of boilerplate removed from a body.

    Attributes:
        kind: What it was: "repeated_title", "photo_credit", "photo_caption", "related_links",
            "more_news", "comment_prompt", "share_prompt", "newsletter", "advertisement",
            "dateline", "copyright", "media_label", "navigation", "hover_card".
        text: The removed text, as it stood after character repair.
        reason: Why it was removed (which rule).
    """

    kind: str
    text: str
    reason: str


# Conservative ftfy: repair mojibake and broken characters, but never rewrite characters
# that are valid (curly quotes, ligatures, full-width forms) or unescape HTML-looking text.
_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    explain=False,
)

#: A line of printable ASCII (tabs allowed), with its newline: ftfy with ``_FTFY`` returns it
#: unchanged (mojibake, C1 and other control characters, escape sequences, odd line breaks and
#: non-NFC text all need other characters), so :func:`_fix_text` does not hand it to ftfy.
_PLAIN_LINE = re.compile(r"[\t\x20-\x7e]*\n?")


def _fix_text(text: str) -> str:
    """``ftfy.fix_text(text, _FTFY)``, with plain ASCII lines passed through untouched.

    ftfy fixes text one line (with its newline) at a time, independently; most lines of news in
    English are plain ASCII, which ftfy would scan through every fixer just to return them as
    they are, and that was most of the time an unchanged ingest spent. Segmenting the same way
    and sending only the other lines to ftfy gives the same text (a test compares the two).
    """
    out: list[str] = []
    pos = 0
    while pos < len(text):
        end = text.find("\n", pos) + 1 or len(text)
        segment = text[pos:end]
        out.append(segment if _PLAIN_LINE.fullmatch(segment) else ftfy.fix_text(segment, _FTFY))
        pos = end
    return "".join(out)


# Spaces that are not U+0020, and line/paragraph separators.
_SPACE_CHARS = (
    "\u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000\t\v\f"
)
_WHITESPACE_TABLE = {ord(c): " " for c in _SPACE_CHARS}
_WHITESPACE_TABLE |= {ord("\u2028"): "\n", ord("\u2029"): "\n\n", ord("\x85"): "\n"}
# Invisible characters that only get in the way (zero-width space, word joiner, BOM, soft
# hyphen). Zero-width (non-)joiners are kept: they carry meaning in some scripts.
_WHITESPACE_TABLE |= {ord(c): None for c in "\u200b\u2060\ufeff\u00ad"}
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACES_RE = re.compile(r" {2,}")


def clean_text(text: str) -> str:
    r"""Repair characters and whitespace, keeping line structure.

    Unicode NFC, conservative mojibake repair (ftfy), NUL and other control characters
    removed, non-breaking and other odd spaces turned into plain spaces, runs of spaces
    collapsed, every line trimmed, ``\r\n`` and ``\r`` turned into ``\n``.

    Args:
        text: Raw text.

    Returns:
        The repaired text (line breaks kept, blank lines kept).
    """
    if not text:
        return ""
    text = text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    text = _fix_text(text)
    text = text.translate(_WHITESPACE_TABLE)
    text = _CONTROL_RE.sub("", text)
    text = unicodedata.normalize("NFC", text)
    return "\n".join(_SPACES_RE.sub(" ", line).strip() for line in text.split("\n"))


def clean_line(text: str | None) -> str | None:
    """Clean a one-line field (title, author, outlet): repaired, single-spaced, or None."""
    if text is None:
        return None
    line = " ".join(clean_text(text).split())
    return line or None


# --- boilerplate rules ------------------------------------------------------------------

_MAX_RULE_LINE = 220  # line-level rules never touch a line longer than this


def _full(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"^(?:{pattern})$", re.IGNORECASE)


# (kind, compiled whole-line pattern, reason)
_LINE_RULES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    (
        "more_news",
        _full(r"more (?:news|stories)\s*:.{0,200}|more (?:from|on) [\w .'&-]{1,40}\s*:"),
        "'More news:' cross-promotion line",
    ),
    (
        "related_links",
        _full(
            r"(?:related|more|recommended|further|suggested)"
            r"(?: (?:articles?|stories|story|coverage|content|links|reading|videos?))?\s*:?"
            r"|related\s*:\s*.{1,200}"
            r"|more on this(?:\.{3}|…)?|read more\s*:?(?:\s+.{1,200})?|see also\s*:\s*.{0,200}"
            r"|special coverage\s*:\s*.{1,150}"
            # a parenthesised link to the outlet's own story between two paragraphs
            # ("( Also on POLITICO: What is sequestration?)")
            r"|\(\s*also (?:on|from|at|in) [\w .'&-]{1,40}\s*:.{1,200}\)"
            r"|you (?:may|might) also (?:like|be interested in)\s*:?"
        ),
        "related-links heading or link line",
    ),
    (
        "comment_prompt",
        _full(
            r"please let us know if you['’]re having (?:any )?issues with commenting\.?"
            r"|(?:join|start) the (?:conversation|discussion)\.?|leave a comment\.?"
            r"|(?:click|tap) here to comment\.?|(?:view|show|read|hide) (?:all )?comments?"
            r"|comments? \(\d+\)|\d+ comments?|comments are closed\.?"
        ),
        "comment-section prompt",
    ),
    (
        "share_prompt",
        _full(
            r"[-•*–—]?\s*follow (?!the money\b).{1,80} on (?:twitter|facebook|instagram|linkedin"
            r"|threads|bluesky|x|tiktok|youtube)\b\s*[:.]?\s*(?:@\w+\.?)?"
            r"|[-•*–—]?\s*follow (?:us )?(?:on \w+ )?@\w+\.?"
            r"|share this (?:article|story|page|post)\b.{0,80}"
            r"|share (?:on )?(?:facebook|twitter)\b.{0,40}"
            r"|share\s+tweet\b.{0,60}|(?:click|tap) (?:here )?to share\b.{0,60}|share|tweet|email"
        ),
        "share or follow prompt",
    ),
    (
        "newsletter",
        _full(
            r"sign up (?:for|to) .{0,80}newsletters?\b.{0,60}|manage newsletters"
            r"|subscribe (?:to|for) (?:our|the|daily|weekly) .{0,100}"
            r"|(?:sign up|subscribe) (?:now|today|here)\.?"
            r"|get breaking news alerts and special reports\b.{0,200}"
            r"|thank you for signing up\b.{0,200}"
            # a prompt that asks to sign up and names "your inbox" ("Get the Monitor Stories
            # you care about delivered to your inbox. By signing up, you agree to ...")
            r"|(?=.*\b(?:sign(?:ing)? up|subscribe)\b).{0,200}\byour inbox\b.{0,200}"
        ),
        "newsletter or subscription prompt",
    ),
    (
        "advertisement",
        _full(
            r"advertisement\s*:?|ad|sponsored|story continue[sd] below(?: advertisement)?"
            r"|(?:advertisement )?continue reading the main story|close|skip (?:this )?ad"
        ),
        "advertisement marker",
    ),
    (
        "photo_caption",
        _full(
            r"(?:enlarge this image\s+)?toggle caption\b.{0,200}"
            r"|\(?(?:[\w.&-]{1,20} ){0,2}photo\s*/\s*[^/]{1,100}\)?"
            r"|\(?(?:photo(?:graph)?|image|picture)s?\s*(?:by|credit|courtesy(?: of)?|source)\s*:?"
            r"(?:\s+\S+){1,8}\)?"
            r"|slideshow \(\d+ images?\)"
        ),
        "photo caption or credit line",
    ),
    (
        "media_label",
        _full(r"(?:photo|video|watch|image|audio|listen|gallery)s?\s*:?"),
        "media widget label",
    ),
    (
        "media_label",
        _full(r"just watched .{1,160} replay more videos \.\.\. must watch .{1,160} \d{1,2}:\d\d"),
        "video widget ('JUST WATCHED ... MUST WATCH')",
    ),
    (
        "copyright",
        _full(r"(?:copyright\s*)?(?:©|\(c\)|copyright)\s*\d{4}\b.{0,150}|all rights reserved\.?"),
        "copyright notice",
    ),
    (
        "navigation",
        _full(r"(?:take me )?back to (?:the )?top(?: of (?:this|the) (?:post|page|article))?\.?"),
        "page navigation link",
    ),
)

# Lines that can head a trailing list of related links.
_RELATED_HEADING = _full(
    r"(?:related|more|recommended|suggested)"
    r"(?: (?:articles?|stories|coverage|content|links|reading))?"
    r"\s*:?|you (?:may|might) also (?:like|be interested in)\s*:?|read more\s*:?"
)
_MAX_LINK_LIST = 15
_MAX_LINK_WORDS = 20

# A credit as the last line of a caption paragraph, or a parenthetical credit ending one.
_CREDIT_LINE = re.compile(
    r"^\(?(?:[\w.&-]{1,20} ){0,2}photo\s*/\s*[^/]{1,100}\)?$"
    r"|^\(?(?:photo(?:graph)?|image)s?\s*(?:by|credit|courtesy(?: of)?)\s*:?(?:\s+\S+){1,8}\)?$",
    re.IGNORECASE,
)
_CREDIT_TAIL = re.compile(
    r"\((?:[\w.&-]{1,20} ){0,2}photo\s*(?:/|:|by )\s*[^()]{1,100}\)$", re.IGNORECASE
)

# Relative datelines and age notices scraped from the top of a page.
_DATELINE = _full(
    r"(?:updated|published|posted)?\s*(?:\d+|an?) (?:second|minute|hour|day|week|month|year)s? ago"
    r"|this (?:article|story) is more than \d+ (?:years?|months?|days?) old"
)


def _key(text: str) -> str:
    """Comparison key: case-folded letters and digits only."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def split_blocks(text: str) -> list[list[str]]:
    """Split cleaned text into paragraphs, each a list of its non-empty lines.

    Blank lines separate paragraphs. Text without any blank line (as extractors emit it)
    has one paragraph per line.
    """
    lines = text.split("\n")
    if not any(not line for line in _strip_edges(lines)):
        return [[line] for line in lines if line]
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _strip_edges(lines: list[str]) -> list[str]:
    start, end = 0, len(lines)
    while start < end and not lines[start]:
        start += 1
    while end > start and not lines[end - 1]:
        end -= 1
    return lines[start:end]


#: A sign-up form scraped whole into one line. Its validation message ("Invalid email address.
#: Please re-enter.") says it is a form, not prose; The New York Times' runs to 543 characters,
#: past the line rules' bound, and its "Thank you for subscribing" and "View all New York Times
#: newsletters" made claims.
_SIGNUP_FORM = re.compile(
    r"^(?=.*\binvalid e-?mail address\.\s+please\b)(?=.*\b(?:newsletters?|subscrib\w*|sign up)\b)"
    r".{0,900}$",
    re.IGNORECASE,
)


def _line_rule(line: str) -> tuple[str, str] | None:
    if _SIGNUP_FORM.match(line):
        return "newsletter", "newsletter sign-up form"
    if len(line) > _MAX_RULE_LINE:
        return None
    for kind, pattern, reason in _LINE_RULES:
        if pattern.match(line):
            return kind, reason
    return None


def _is_link_line(line: str) -> bool:
    return len(line.split()) <= _MAX_LINK_WORDS and not line.rstrip("”\"'’)").endswith(
        (".", "!", "?")
    )


def _strip_related_tail(blocks: list[list[str]], removed: list[Removal]) -> list[list[str]]:
    """Remove a related-links heading near the end and the short link lines under it."""
    flat = [(b, i) for b, block in enumerate(blocks) for i in range(len(block))]
    for pos, (b, i) in enumerate(flat):
        if not _RELATED_HEADING.match(blocks[b][i]):
            continue
        tail = flat[pos + 1 :]
        if len(tail) > _MAX_LINK_LIST or not all(_is_link_line(blocks[tb][ti]) for tb, ti in tail):
            continue
        removed.append(Removal("related_links", blocks[b][i], "related-links heading at the end"))
        removed.extend(
            Removal("related_links", blocks[tb][ti], "link line under a related-links heading")
            for tb, ti in tail
        )
        drop = set(flat[pos:])
        kept = [
            [line for i2, line in enumerate(block) if (b2, i2) not in drop]
            for b2, block in enumerate(blocks)
        ]
        return [block for block in kept if block]
    return blocks


# A "Top stories" or "Partner news" widget that an extractor ran into the article's last
# paragraph: the heading follows a sentence's end and precedes a capitalised headline.
_INLINE_MORE_NEWS = re.compile(
    r"(?<=[.!?”\"’])\s+(?:Top|Related|More|Latest|Recommended|Popular|Partner|Trending)"
    r" (?:stories|news|articles|headlines)\s+(?=[A-Z“\"])"
)


def _strip_inline_more_news(blocks: list[list[str]], removed: list[Removal]) -> list[list[str]]:
    """Cut a cross-promotion widget run into the last half of the body's last line."""
    if not blocks:
        return blocks
    line = blocks[-1][-1]
    hit = _INLINE_MORE_NEWS.search(line)
    body_length = sum(len(text) for block in blocks for text in block)
    if hit is None or body_length - len(line) + hit.start() < body_length / 2:
        return blocks
    removed.append(
        Removal("more_news", line[hit.start() :].strip(), "in-line news widget at the end")
    )
    kept = line[: hit.start()].rstrip()
    last = [*blocks[-1][:-1], kept] if kept else blocks[-1][:-1]
    return [*blocks[:-1], last] if last else blocks[:-1]


#: A name's hover card run into the text (The Hill): the name as shown, then the card, that
#: is the full name glued to the first of a few headlines, up to " MORE". The card's full
#: name ends with the shown name's last word: "President Trump Donald John TrumpSessions
#: says ... MORE is looking for", "Hillary Clinton Hillary Diane Rodham Clinton2020 Democrats
#: ... MORE's poll numbers", "Bill Clinton William (Bill) Jefferson ClintonGOP ... MORE". The
#: tagger read "Trump Donald" as a person, who took 241 claims of the 4,004 AllSides articles
#: from Donald Trump, and the cards' headlines made claims of their own.
#:
#: Some cards are spaced, not glued: "Speaker Paul Ryan Paul Davis Ryan Retirees should say
#: ... MORE". There the card repeats the shown name's first and last words with a space after
#: it, and the shown name is two words long ("Joe Biden Joe Biden Parnas: ... MORE"), and
#: its headlines run 40 characters or more: a name said twice in prose ("New York New York
#: state wants MORE") is no card.
_HOVER_CARD = re.compile(
    r"\b(?:(?P<last>[A-Z][\w'’-]+)(?P<card> (?:\(?[A-Z][\w.'’-]*\)?\s){0,4}(?P=last)"
    r"(?=[A-Z0-9'\"‘“(])[^\n]{0,900}? MORE\b)"
    r"|(?P<shown>(?P<first>[A-Z][\w'’-]+) (?P<surname>[A-Z][\w'’-]+))"
    r"(?P<spaced> (?P=first)(?: \(?[A-Z][\w.'’-]*\)?){0,3} (?P=surname) [^\n]{40,900}? MORE\b))"
)


_HOVER_REASON = "a name's hover card run into the text ('Donald John Trump<headlines> MORE')"


def _strip_hover_cards(blocks: list[list[str]], removed: list[Removal]) -> list[list[str]]:
    """Cut every name's hover card out of its line, leaving the name as shown."""

    def cut(hit: re.Match[str]) -> str:
        glued = hit.group("card") is not None
        card = hit.group("card") if glued else hit.group("spaced")
        removed.append(Removal("hover_card", card.strip(), _HOVER_REASON))
        return hit.group("last") if glued else hit.group("shown")

    return [
        [_HOVER_CARD.sub(cut, line) if " MORE" in line else line for line in block]
        for block in blocks
    ]


#: A page's label run into the first line of the summary it heads (CNN's "Story highlights").
_LEAD_LABEL = re.compile(r"story highlights\s*:?\s+(?=\S)", re.IGNORECASE)
_LEAD_LABEL_REASON = "section label before the lead ('Story highlights')"


def _strip_lead(
    title: str | None, blocks: list[list[str]], removed: list[Removal]
) -> list[list[str]]:
    """Remove a repeated title and relative datelines from the start of the body."""
    title_key = _key(title) if title else ""
    changed = True
    while blocks and changed:
        changed = False
        first = blocks[0]
        head = first[0]
        if title_key and _key(head) == title_key and (len(first) > 1 or len(blocks) > 1):
            # (a body that is nothing but its title keeps it: a one-line brief)
            removed.append(Removal("repeated_title", head, "first paragraph repeats the title"))
            changed = True
        elif len(head) <= _MAX_RULE_LINE and _DATELINE.match(head):
            removed.append(Removal("dateline", head, "relative dateline at the start"))
            changed = True
        elif label := _LEAD_LABEL.match(head):
            # the label goes, the summary it heads stays: "Story highlights Holder assigns
            # prosecutors to investigate leaks" made "Story" the speaker of "highlights"
            removed.append(Removal("media_label", label.group(0).strip(), _LEAD_LABEL_REASON))
            blocks = [[head[label.end() :], *first[1:]], *blocks[1:]]
            continue
        if changed:
            blocks = [first[1:], *blocks[1:]] if len(first) > 1 else blocks[1:]
    return blocks


def _strip_captions(blocks: list[list[str]], removed: list[Removal]) -> list[list[str]]:
    """Drop the photo credit that ends a caption; keep the caption's text as a paragraph."""
    kept: list[list[str]] = []
    for block in blocks:
        if len(block) > 1 and len(block[-1]) <= _MAX_RULE_LINE and _CREDIT_LINE.match(block[-1]):
            removed.append(Removal("photo_credit", block[-1], "photo credit line ending a caption"))
            kept.append(block[:-1])
        elif len(block) == 1 and len(block[0]) <= 600 and (tail := _CREDIT_TAIL.search(block[0])):
            removed.append(
                Removal(
                    "photo_credit", tail.group(0), "parenthetical photo credit ending a caption"
                )
            )
            text = block[0][: tail.start()].rstrip()
            if text:
                kept.append([text])
        else:
            kept.append(block)
    return kept


_GALLERY_MARK = re.compile(r"\bHide Caption \d+ of \d+\b")
_GALLERY_LABEL = "Photos:"
_GALLERY_REASON = "photo gallery captions ('Hide Caption N of M')"


def _strip_galleries(blocks: list[list[str]], removed: list[Removal]) -> list[list[str]]:
    """Drop a photo gallery's captions that a scraper ran into a paragraph.

    Why: CNN's galleries come out of the page as one long paragraph, each caption labelled
    "Photos: <gallery title>" and ended by "Hide Caption 3 of 22". The pipeline then read the
    captions as the story: claims ("The rise" endorsed Barack Obama), figures and places from
    22 photos of another story. The gallery runs from its first label (or the paragraph's
    start, when the paragraph opens mid-caption) to its last "Hide Caption" mark (or the
    paragraph's end, when a label after it opens a caption continued in the next paragraph).
    Text before or after stays, each as a paragraph. A paragraph that opens mid-caption also
    takes the labelled paragraph before it, where the gallery's first caption stood alone.
    """
    kept: list[list[str]] = []
    for block in blocks:
        text = " ".join(block)
        marks = list(_GALLERY_MARK.finditer(text))
        if not marks:
            kept.append(block)
            continue
        label = text.find(_GALLERY_LABEL)
        start = label if 0 <= label < marks[0].start() else 0
        if start == 0 and kept and kept[-1][0].startswith(_GALLERY_LABEL):
            # the first caption stood in a paragraph of its own, before its mark
            removed.append(Removal("photo_caption", " ".join(kept.pop()), _GALLERY_REASON))
        end = len(text) if _GALLERY_LABEL in text[marks[-1].end() :] else marks[-1].end()
        removed.append(Removal("photo_caption", text[start:end], _GALLERY_REASON))
        kept.extend([part] for part in (text[:start].strip(), text[end:].strip()) if part)
    return kept


def _strip_lines(blocks: list[list[str]], removed: list[Removal]) -> list[list[str]]:
    kept: list[list[str]] = []
    for block in blocks:
        lines = []
        for line in block:
            hit = _line_rule(line)
            if hit is None:
                lines.append(line)
            else:
                removed.append(Removal(hit[0], line, hit[1]))
        if lines:
            kept.append(lines)
    return kept


def normalise_body(title: str | None, text: str) -> tuple[str, tuple[Removal, ...]]:
    r"""Normalise an article body and strip scraped boilerplate.

    Args:
        title: The article's title (already known; it is never part of the body). A first
            paragraph equal to it is removed as ``repeated_title``.
        text: The raw body text.

    Returns:
        The body (paragraphs separated by exactly ``"\n\n"``, lines inside a paragraph
        joined by a space) and the boilerplate removed from it, in order of the rules.
    """
    removed: list[Removal] = []
    blocks = split_blocks(clean_text(text))
    blocks = _strip_lead(clean_line(title), blocks, removed)
    blocks = _strip_captions(blocks, removed)
    blocks = _strip_galleries(blocks, removed)
    blocks = _strip_related_tail(blocks, removed)
    blocks = _strip_inline_more_news(blocks, removed)
    blocks = _strip_hover_cards(blocks, removed)
    blocks = _strip_lines(blocks, removed)
    # Removing lines can uncover a repeated title or dateline (e.g. after an ad marker).
    blocks = _strip_lead(clean_line(title), blocks, removed)
    body = "\n\n".join(" ".join(block) for block in blocks)
    return body, tuple(removed)


def word_count(body: str) -> int:
    """Number of whitespace-separated words."""
    return len(body.split())


def removal_kinds(removed: Iterable[Removal]) -> tuple[str, ...]:
    """Kinds of removals in order, for quick assertions and logs."""
    return tuple(r.kind for r in removed)
