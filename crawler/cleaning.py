"""Pure news-specific cleaning of trafilatura's paragraphs: what a careful editor deletes.

trafilatura finds the article container; inside it news sites still leave repeated headlines,
captions, bylines, "read also" boxes, comment forms and widget lists. Every rule here is
general (no site names); each is a function of a paragraph and the page context.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Characters that only shape whitespace or direction; they never carry text. The bidi
# embeddings, overrides and isolates (U+202A-E, U+2066-9) can also reorder what a reader
# sees ("Trojan Source"); the marks LRM/RLM/ALM stay, as Arabic typesetting uses them.
# Lone surrogates (JSON-LD "\ud800" escapes) cannot even be written as UTF-8.
_INVISIBLE_RE = re.compile(
    "[\u200b\u200c\u200d\u2060\ufeff\u00ad\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_SPACE_RE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_PUNCT_RE = re.compile(r"[\W_]+", re.UNICODE)
_SENTENCE_END_RE = re.compile(r"[.!?؟。…:»”\"')\]]\s*$")


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph-level unit from the extractor."""

    text: str
    kind: str = "p"
    """``p``, ``head`` (subheading), ``list`` (list item), ``quote``, ``table`` or ``caption``."""
    link_ratio: float = 0.0
    """Share of the block's characters that are link text (1.0: a pure link)."""


@dataclass(frozen=True, slots=True)
class PageContext:
    """What the page says about itself, so repeats of it can be recognised in the body."""

    headline: str = ""
    site_name: str = ""
    domain: str = ""
    authors: tuple[str, ...] = ()
    section: str = ""
    captions: frozenset[str] = field(default_factory=frozenset)
    """Normalised texts of figcaptions and image alt texts."""


# Headings or lines that open a block of non-article material which runs to the end.
_TAIL_MARKERS = re.compile(
    r"^(?:recent posts?|related (?:posts?|articles?|stories|news|content|coverage)|"
    r"more (?:from|on|stories|news|in)\b.*|most (?:read|popular|viewed|shared)|"
    r"(?:you )?(?:may|might) (?:also )?(?:like|enjoy|be interested in).*|"
    r"read (?:more|next)|also read|trending(?: now)?|popular (?:posts|stories)|"
    r"latest (?:news|posts|stories|articles)|"
    r"leave a (?:reply|comment)|post a comment|add (?:a )?comment|\d* ?comments?|"
    r"join the (?:conversation|discussion)|comments are closed.*|"
    r"share (?:this|on)\b.*|tags?|filed under|topics?|"
    r"sign up for .*newsletter.*|subscribe to .*|"
    r"آخر (?:الأخبار|المقالات|المواضيع|التدوينات)|أحدث (?:الأخبار|المقالات|المواضيع)|"
    r"الأكثر (?:قراءة|مشاهدة|تداولا|تداولاً)|(?:مقالات|مواضيع|أخبار|مواد) (?:ذات صلة|متعلقة|مشابهة)|"
    r"(?:قد )?يهمك أيضا|ننصحك بقراءة|اقرأ المزيد|"
    r"اترك (?:تعليقا|تعليقاً|تعليق|رد|ردا|رداً)|أضف تعليق(?:ا|اً)?|التعليقات|تعليقات(?: الزوار| القراء)?|"
    r"شارك(?:ها)?(?: على| عبر)?.*|الوسوم|الكلمات (?:الدالة|المفتاحية)|كلمات مفتاحية|"
    r"اشترك في .*النشرة.*)$",
    re.IGNORECASE,
)
# Headings that open a box inside the body: the box ends at the next real paragraph.
_BOX_MARKERS = re.compile(
    r"^(?:اقرأ (?:أيضا|أيضاً|ايضا|ايضاً|كذلك)|إقرأ (?:أيضا|أيضاً|ايضا)|طالع (?:أيضا|أيضاً)|"
    r"شاهد (?:أيضا|أيضاً)|اقرأ|read also|see also|related|related:|more:|"
    r"read more|also read|recommended|watch|listen)\s*:?\s*",
    re.IGNORECASE,
)
# A single line of widget or form vocabulary: dropped wherever it stands.
_WIDGET_LINE = re.compile(
    r"(?:your email address will not be published|required fields are marked|"
    r"save my name, email|notify me of (?:follow-up|new) |"
    r"لن يتم نشر عنوان بريدك|الحقول الإلزامية|الحقول المطلوبة|"
    r"we use cookies|this (?:site|website) uses cookies|accept (?:all )?cookies|"
    r"نستخدم ملفات (?:تعريف|الكوكيز)|"
    r"subscribe to our newsletter|sign up for our newsletter|اشترك في (?:نشرتنا|النشرة)|"
    r"all rights reserved|جميع الحقوق محفوظة|©|copyright \d{4}|"
    r"click here to|اضغط هنا|انقر هنا|follow us on|تابعونا على|"
    r"share on (?:facebook|twitter|whatsapp)|شارك على (?:فيسبوك|تويتر|واتساب))",
    re.IGNORECASE,
)
_RELATIVE_TIME = re.compile(
    r"^(?:\d+|an?|one|منذ)?\s*(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|"
    r"ثوان|ثانية|دقيقة|دقائق|ساعة|ساعات|ساعتين|يوم|أيام|يومين|أسبوع|أسابيع|أسبوعين|"
    r"شهر|أشهر|شهرين|سنة|سنوات|سنتين|عام|أعوام|عامين)\s*(?:ago|مضت)?\s*$"
    r"|^\S+\s+ago$|^منذ\s+\S+(?:\s+\S+)?$",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^(?:by|written by|reporting by|words by|بقلم|كتب(?:ت)?|كتبه|إعداد|اعداد|تقرير|"
    r"محرر|المحرر|مراسل|مراسلنا|من)\s*[:/\-–]?\s*\S",
    re.IGNORECASE,
)
_CREDIT = re.compile(
    r"(?:^|[\s\-–(|])(?:photo|image|picture|credit|source|getty images|afp|reuters|ap photo|"
    r"صورة|الصورة|تصوير|المصدر|أرشيفية|ارشيفية|مصدر الصورة)\s*(?:[:/)]|$)",
    re.IGNORECASE,
)
_SOURCE_SIGNATURE = re.compile(
    r"^(?:المصدر|مصدر|source|sources|وكالات|agencies|the\s+\w+\s+contributed.*)\s*[:\-–]?",
    re.IGNORECASE,
)


def normalise_space(text: str) -> str:
    """One space between words, no invisible characters, NFC; letters otherwise untouched."""
    text = unicodedata.normalize("NFC", _INVISIBLE_RE.sub("", text))
    lines = (_SPACE_RE.sub(" ", line).strip() for line in text.splitlines())
    return " ".join(line for line in lines if line)


def fingerprint(text: str) -> str:
    """Case-, punctuation- and space-insensitive form for comparing paragraphs."""
    return _PUNCT_RE.sub(" ", text.casefold()).strip()


def _words(text: str) -> int:
    return len(text.split())


def headline_variants(headline: str, site_name: str = "") -> set[str]:
    """Fingerprints a repeated headline may take: with or without a ``| section`` suffix."""
    variants = {fingerprint(headline)}
    for sep in (" | ", " - ", " – ", " — ", " :: ", " « ", " » "):
        if sep in headline:
            variants.add(fingerprint(headline.split(sep, maxsplit=1)[0]))
            variants.add(fingerprint(headline.rsplit(sep, 1)[0]))
    if site_name:
        variants.add(fingerprint(strip_site_suffix(headline, site_name)))
    variants.discard("")
    return variants


def strip_site_suffix(title: str, site_name: str = "", section: str = "") -> str:
    """Drop ``| Site`` / ``- Section`` tails (and heads) from a page title.

    A part is dropped when it names the site or section, or when it is much shorter than the
    remaining headline (titles like ``Headline | News``).
    """
    title = normalise_space(title)
    known = {fingerprint(x) for x in (site_name, section) if x}
    for sep in (" | ", " - ", " – ", " — ", " :: ", " « ", " » ", " / "):
        if sep not in title:
            continue
        parts = [p.strip() for p in title.split(sep)]
        head, tail = parts[0], sep.join(parts[1:])
        if fingerprint(tail) in known or (
            _words(tail) <= 4 and _words(head) >= 2 * _words(tail) and len(parts) <= 3
        ):
            return strip_site_suffix(head, site_name, section)
        last = parts[-1]
        if fingerprint(last) in known:
            return strip_site_suffix(sep.join(parts[:-1]), site_name, section)
        if fingerprint(head) in known and _words(tail) >= 3:
            return strip_site_suffix(tail, site_name, section)
    return title


def _is_short_label(text: str, max_words: int = 4) -> bool:
    return _words(text) <= max_words and not _SENTENCE_END_RE.search(text)


def _is_caption(block: Block, context: PageContext) -> bool:
    fp = fingerprint(block.text)
    if block.kind == "caption":
        return True
    if fp and fp in context.captions:
        return True
    return (
        _words(block.text) <= 25
        and bool(_CREDIT.search(block.text))
        and (
            " - " in block.text
            or " – " in block.text
            or "|" in block.text
            or block.text.endswith(")")
            or _words(block.text) <= 6
        )
    )


def _is_byline(block: Block, context: PageContext) -> bool:
    text = block.text
    if _words(text) > 10:
        return False
    fp = fingerprint(text)
    if any(fp == fingerprint(a) for a in context.authors):
        return True
    return bool(_BYLINE.match(text)) and not _SENTENCE_END_RE.search(text.rstrip("."))


def _is_signature(text: str, context: PageContext) -> bool:
    """A closing line that only names the source (``سيريانيوز``, ``Source: AFP``)."""
    if _words(text) > 6:
        return False
    fp = fingerprint(text)
    names = {fingerprint(x) for x in (context.site_name, context.domain.split(".")[0]) if x}
    compact = fp.replace(" ", "")
    if fp in names or any(n.replace(" ", "") == compact for n in names):
        return True
    return bool(_SOURCE_SIGNATURE.match(text)) or (
        _words(text) <= 2 and not _SENTENCE_END_RE.search(text) and block_is_name_like(text)
    )


def block_is_name_like(text: str) -> bool:
    """One or two words with no digits: a signature or a reporter's name, not a sentence."""
    return not any(ch.isdigit() for ch in text) and all(w[:1].isalpha() for w in text.split())


def _is_noise_line(block: Block, context: PageContext) -> bool:
    text = block.text
    if _WIDGET_LINE.search(text) and _words(text) <= 30:
        return True
    if _RELATIVE_TIME.match(text):
        return True
    fp = fingerprint(text)
    if context.section and fp == fingerprint(context.section) and _is_short_label(text):
        return True
    return block.link_ratio >= 0.8 and block.kind != "head" and _words(text) <= 25


def clean_blocks(blocks: list[Block], context: PageContext) -> list[str]:
    """The article's paragraphs, in order, without the news-site noise around them."""
    normalised = [
        Block(normalise_space(b.text), b.kind, b.link_ratio) for b in blocks if b.text.strip()
    ]
    normalised = [b for b in normalised if b.text and fingerprint(b.text)]
    normalised = _cut_tail(normalised)
    normalised = _drop_boxes(normalised)
    headlines = (
        headline_variants(context.headline, context.site_name) if context.headline else set()
    )
    kept: list[Block] = []
    seen: set[str] = set()
    for block in normalised:
        fp = fingerprint(block.text)
        if fp in seen or fp in headlines:
            continue
        if (
            _is_caption(block, context)
            or _is_byline(block, context)
            or _is_noise_line(block, context)
        ):
            continue
        seen.add(fp)
        kept.append(block)
    kept = _trim_edges(kept, context)
    return [b.text for b in kept]


def _cut_tail(blocks: list[Block]) -> list[Block]:
    """Drop a widget heading ("Recent Posts", "Leave a Reply") and everything after it.

    Only in the second half of the text, so an article about comments is not cut at its top.
    """
    total = sum(len(b.text) for b in blocks) or 1
    seen_chars = 0
    for index, block in enumerate(blocks):
        if (
            seen_chars >= total * 0.4
            and _words(block.text) <= 8
            and _TAIL_MARKERS.match(block.text.rstrip(" :.-–…"))
        ):
            return blocks[:index]
        seen_chars += len(block.text)
    return blocks


def _drop_boxes(blocks: list[Block]) -> list[Block]:
    """Remove "read also" boxes: the marker and the short link lines that follow it."""
    kept: list[Block] = []
    in_box = False
    for block in blocks:
        text = block.text
        marker = _BOX_MARKERS.match(text)
        if marker and (_words(text) <= 3 or block.kind == "head"):
            in_box = True
            continue
        if marker and (block.link_ratio >= 0.5 or (_words(text) <= 20 and ":" in text[:20])):
            continue  # "اقرأ أيضا: <linked headline>" on one line
        if in_box and (
            block.link_ratio >= 0.5 or block.kind == "list" or _is_short_label(text, 16)
        ):
            continue
        in_box = False
        kept.append(block)
    return kept


def _trim_edges(blocks: list[Block], context: PageContext) -> list[Block]:
    """Leading category labels and trailing signatures: short lines with no sentence in them."""
    while (
        blocks
        and blocks[0].kind != "head"
        and _is_short_label(blocks[0].text, 3)
        and len(blocks) > 1
        and _words(blocks[1].text) > 8
    ):
        blocks = blocks[1:]
    while blocks and _is_signature(blocks[-1].text, context):
        blocks = blocks[:-1]
    while blocks and blocks[-1].kind == "head":
        blocks = blocks[:-1]
    return blocks
