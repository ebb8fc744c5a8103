"""Vocabulary of news-site widgets, in Arabic and English, and the line tests built on it.

Only generic widget vocabulary lives here ("Recent Posts", "اقرأ أيضا", "Leave a Reply"), never a
site's name or a phrase from one page. ``crawler.extraction.cleaning.rules`` decides where a match counts.
"""

from __future__ import annotations

import re

# Headings or lines that open a block of non-article material which runs to the end. Share
# bars and newsletter boxes are not among them: they also stand in the middle of articles.
TAIL_MARKERS = re.compile(
    r"^(?:recent posts?|related (?:posts?|articles?|stories|news|content|coverage)|"
    r"more (?:from|on|stories|news|in)\b.*|most (?:read|popular|viewed|shared)|"
    r"(?:you )?(?:may|might) (?:also )?(?:like|enjoy|be interested in).*|"
    r"read (?:more|next)|also read|trending(?: now)?|popular (?:posts|stories)|"
    r"latest (?:news|posts|stories|articles)|"
    r"leave a (?:reply|comment)|post a comment|add (?:a )?comment|\d* ?comments?|"
    r"join the (?:conversation|discussion)|comments are closed.*|"
    r"tags?|filed under|topics?|"
    r"آخر (?:الأخبار|المقالات|المواضيع|التدوينات)|أحدث (?:الأخبار|المقالات|المواضيع)|"
    r"الأكثر (?:قراءة|مشاهدة|تداولا|تداولاً)|(?:مقالات|مواضيع|أخبار|مواد) (?:ذات صلة|متعلقة|مشابهة)|"
    r"(?:قد )?يهمك أيضا|ننصحك بقراءة|اقرأ المزيد|"
    r"اترك (?:تعليقا|تعليقاً|تعليق|رد|ردا|رداً)|أضف تعليق(?:ا|اً|ك)?|التعليقات|"
    r"تعليقات(?: الزوار| القراء)?|"
    r"الوسوم|الكلمات (?:الدالة|المفتاحية)|كلمات مفتاحية)$",
    re.IGNORECASE,
)
# Headings that open a box inside the body: the box ends at the next real paragraph.
BOX_MARKERS = re.compile(
    r"^(?:اقرأ (?:أيضا|أيضاً|ايضا|ايضاً|كذلك)|إقرأ (?:أيضا|أيضاً|ايضا)|طالع (?:أيضا|أيضاً)|"
    r"شاهد (?:أيضا|أيضاً)|اقرأ|read also|see also|related|related:|more:|"
    r"read more|also read|recommended|watch|listen)\s*:?\s*",
    re.IGNORECASE,
)
# re.IGNORECASE also matches these letters to ASCII ones; the keyword pre-test folds them alike.
_IGNORECASE_FOLDS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


class KeywordRegex:
    """A case-insensitive alternation behind a plain substring pre-test.

    Each branch comes with keywords, lower case, one of which every match of the branch
    contains as literal text. A line holding none of them cannot match, and finding that
    out costs a few substring searches, where the alternation is tried at every position of
    the line (about 25 µs a line for the long ones below).
    """

    __slots__ = ("branches", "keywords", "regex")

    def __init__(self, branches: tuple[tuple[tuple[str, ...], str], ...]) -> None:
        self.branches = branches
        self.keywords = tuple(dict.fromkeys(k for keys, _ in branches for k in keys))
        self.regex = re.compile("|".join(branch for _, branch in branches), re.IGNORECASE)

    def search(self, text: str) -> bool:
        """Whether the regex finds a match in ``text`` (as ``regex.search(text)``)."""
        folded = text.translate(_IGNORECASE_FOLDS).lower()
        return any(key in folded for key in self.keywords) and bool(self.regex.search(text))


# A single line of widget or form vocabulary: dropped wherever it stands.
WIDGET_LINE = KeywordRegex(
    (
        (("email address",), r"your email address will not be published"),
        (("required fields",), r"required fields are marked"),
        (("save my name",), r"save my name, email"),
        (("notify me of",), r"notify me of (?:follow-up|new) "),
        (("لن يتم نشر",), r"لن يتم نشر عنوان بريدك"),
        (("الحقول",), r"الحقول الإلزامية|الحقول المطلوبة"),
        (
            ("cookies",),
            r"we use cookies|this (?:site|website) uses cookies|accept (?:all )?cookies",
        ),
        (("نستخدم ملفات",), r"نستخدم ملفات (?:تعريف|الكوكيز)"),
        (
            ("newsletter",),
            (
                r"(?:subscribe|sign up) (?:to|for) (?:our|the) .{0,40}newsletter"
                r"|get our .{0,30}newsletter|newsletter sign-?up"
            ),
        ),
        (("by signing up",), r"by signing up,? you agree"),
        (("unsubscribe at any time",), r"unsubscribe at any time"),
        (("اشترك في",), r"اشترك في .{0,30}(?:نشرتنا|النشرة)"),
        (("journalism",), r"support (?:local|independent|quality|our) journalism"),
        (("subscribe",), r"subscribe (?:today|now)\b"),
        (("already a subscriber",), r"already a subscriber"),
        (("become a",), r"become a (?:member|subscriber)"),
        (("all rights reserved",), r"all rights reserved"),
        (("جميع الحقوق محفوظة",), r"جميع الحقوق محفوظة"),
        (("©",), r"©"),
        (("copyright",), r"copyright \d{4}"),
        (("powered by",), r"proudly powered by|powered by wordpress"),
        (("click here to",), r"click here to"),
        (("هنا",), r"اضغط هنا|انقر هنا"),
        (("follow us on",), r"follow us on"),
        (("تابعونا على",), r"تابعونا على"),
        (("share on",), r"share on (?:facebook|twitter|whatsapp)"),
        (("شارك على",), r"شارك على (?:فيسبوك|تويتر|واتساب)"),
    )
)
# A line that is only an advertising label.
AD_LABEL = re.compile(
    r"^(?:advertisement|advertising|sponsored(?: content)?|ad|"
    r"(?:story|article) continues (?:below|after) (?:this )?(?:advertisement|ad)|"
    r"إعلان|اعلان|مساحة إعلانية|محتوى (?:مدفوع|ممول))$",
    re.IGNORECASE,
)
RELATIVE_TIME = re.compile(
    r"^(?:\d+|an?|one|منذ)?\s*(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|"
    r"ثوان|ثانية|دقيقة|دقائق|ساعة|ساعات|ساعتين|يوم|أيام|يومين|أسبوع|أسابيع|أسبوعين|"
    r"شهر|أشهر|شهرين|سنة|سنوات|سنتين|عام|أعوام|عامين)\s*(?:ago|مضت)?\s*$"
    r"|^\S+\s+ago$|^منذ\s+\S+(?:\s+\S+)?$",
    re.IGNORECASE,
)
BYLINE = re.compile(
    r"^(?:by|written by|reporting by|words by|بقلم|كتب(?:ت)?|كتبه|إعداد|اعداد|تقرير|"
    r"محرر|المحرر|مراسل|مراسلنا|من)\s*[:/\-–]?\s*\S",
    re.IGNORECASE,
)
# Agency credit lines at the foot of wire copy: "(Reporting by …; Editing by …)".
CREDIT_LINE = re.compile(
    r"^\(\s*(?:(?:additional )?reporting|writing|editing|compiled|produced|graphics|research|"
    r"translated|إعداد|تحرير|ترجمة|شارك في التغطية)\b[^()]*\)$|"
    r"^(?:(?:additional )?reporting|writing|editing) by\b[^.!?;]*"
    r"(?:;\s*(?:(?:additional )?reporting|writing|editing) by\b[^.!?;]*)+\.?$",
    re.IGNORECASE,
)
CREDIT = re.compile(
    r"(?:^|[\s\-–(|])(?:photo|image|picture|credit|source|getty images|afp|reuters|ap photo|"
    r"صورة|الصورة|تصوير|المصدر|أرشيفية|ارشيفية|مصدر الصورة)\s*(?:[:/)]|$)",
    re.IGNORECASE,
)
SOURCE_SIGNATURE = re.compile(
    r"^(?:المصدر|مصدر|source|sources|وكالات|agencies|the\s+\w+\s+contributed.*)\s*[:\-–]?",
    re.IGNORECASE,
)
# Contact details of the reporter or the newsroom: an e-mail address, or a handle after a
# "contact / follow / reach" verb (an embedded post that mentions a handle is not one).
CONTACT = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.-]+|"
    r"^(?:contact|follow|reach|e-?mail|write to|you can (?:reach|follow|contact)|للتواصل|تابعوا|"
    r"تابع)\b.*(?:^|\s)@\w{2,}",
    re.IGNORECASE,
)
# Print / e-mail / view-count tool rows of legacy article templates.
TOOLS_LINE = re.compile(
    r"^(?:(?:print|email|e-mail|send to a friend|طباعة|أرسل(?: لصديق| الخبر)?|"
    r"نسخة للطباعة|عدد (?:القراءات|المشاهدات|الزيارات)|views|reads)\b[\s:|\d,.]*)+$",
    re.IGNORECASE,
)
# A line made only of share-button labels ("Share this article Facebook Twitter Email").
SHARE_BAR = re.compile(
    r"^(?:(?:share|share this(?: article| story| post)?|facebook|twitter|x|whatsapp|telegram|"
    r"linkedin|pinterest|reddit|email|e-mail|print|copy link|messenger|tweet|"
    r"فيسبوك|فيس بوك|تويتر|واتساب|تلغرام|تيليجرام|لينكدإن|شارك|شارك المقال|مشاركة|طباعة|"
    r"نسخ الرابط|غرد)[\s:|·•,/-]*)+$",
    re.IGNORECASE,
)
# A label line introducing tags or categories ("Tags: a, b", "Posted in Sport", "الوسوم: …").
TAG_LINE = re.compile(
    r"^(?:tags?|tagged(?: with)?|topics?|keywords|filed under|posted in|categories|category|"
    r"الوسوم|وسوم|الكلمات (?:الدالة|المفتاحية)|كلمات (?:مفتاحية|دالة)|التصنيفات?|"
    r"مواضيع ذات صلة)\s*:?\s",
    re.IGNORECASE,
)
# Comment metadata: "JimR says:", "Reply".
COMMENT_META = re.compile(
    r"^(?:\S+(?: \S+){0,3} says:?|reply|رد|الرد|report|إبلاغ)$", re.IGNORECASE
)
# Words a line may hold and still be only a date or a time stamp.
DATE_WORDS = re.compile(
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun|at|am|pm|gmt|utc|"
    r"published|updated|posted|on|"
    r"يناير|فبراير|مارس|أبريل|ابريل|مايو|يونيو|يوليو|أغسطس|اغسطس|سبتمبر|أكتوبر|اكتوبر|"
    r"نوفمبر|ديسمبر|كانون|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|تشرين|الثاني|الأول|"
    r"الأحد|الاثنين|الإثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت|في|ص|م|نشر|تاريخ النشر|"
    r"آخر تحديث|تحديث)\b|\d+|[^\w\s]|_",
    re.IGNORECASE,
)


def is_name_like(text: str) -> bool:
    """One or two words with no digits: a signature or a reporter's name, not a sentence."""
    return not any(ch.isdigit() for ch in text) and all(w[:1].isalpha() for w in text.split())


def is_label_line(text: str) -> bool:
    """Relative times, share bars, ad labels, comment metadata and page-tool rows."""
    return any(
        pattern.match(text) is not None
        for pattern in (
            RELATIVE_TIME,
            TOOLS_LINE,
            SHARE_BAR,
            COMMENT_META,
        )
    ) or bool(AD_LABEL.match(text.strip(" .:-–—")))


def is_date_line(text: str) -> bool:
    """A line that holds only a date or time stamp ("June 2, 2023 at 8:14 am")."""
    return (
        len(text.split()) <= 10
        and any(ch.isdigit() for ch in text)
        and not DATE_WORDS.sub(" ", text).strip()
    )
