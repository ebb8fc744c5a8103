"""Generated article pages for the fault server: distinct texts, so no case looks like another.

Each page's text is drawn from a seeded generator, so two cases never share 5-word shingles
(the near-duplicate filter would otherwise drop one of them) and every run is reproducible.
"""

from __future__ import annotations

import html
import random

_EN_TEXT = (
    "minister government council budget election parliament court ruling protest city region "
    "energy prices water supply hospital school teachers workers union strike agreement talks "
    "border trade exports imports market bank inflation interest rates farmers harvest drought "
    "flood rescue teams residents officials police investigation report committee hearing vote "
    "coalition opposition leader spokesman statement announced monday tuesday wednesday thursday "
    "friday weekend morning evening new plan project funding million billion dollars percent "
    "increase decrease review policy reform law draft approved rejected delayed expected said "
    "told reporters according sources local national international visit meeting summit"
)
_AR_TEXT = (
    "الحكومة الوزير البرلمان المجلس الميزانية الانتخابات المحكمة قرار احتجاج المدينة المنطقة "
    "الطاقة الأسعار المياه المستشفى المدرسة المعلمين العمال النقابة الإضراب اتفاق محادثات "
    "الحدود التجارة الصادرات الواردات السوق البنك التضخم الفائدة المزارعين الحصاد الجفاف "
    "الفيضانات فرق الإنقاذ السكان المسؤولين الشرطة التحقيق تقرير اللجنة جلسة التصويت "
    "الائتلاف المعارضة زعيم المتحدث بيان أعلن الاثنين الثلاثاء الأربعاء الخميس الجمعة "
    "خطة مشروع تمويل مليون مليار دولار بالمئة زيادة انخفاض مراجعة سياسة إصلاح قانون"
)
_EN_WORDS = tuple(_EN_TEXT.split())
_AR_WORDS = tuple(_AR_TEXT.split())


def paragraphs(seed: str, lang: str = "en", count: int = 6) -> list[str]:
    """``count`` sentences-like paragraphs of 30 to 45 words, unique to ``seed``."""
    rng = random.Random(f"{lang}:{seed}")
    words = _AR_WORDS if lang == "ar" else _EN_WORDS
    return [
        " ".join(rng.choice(words) for _ in range(rng.randint(30, 45))).capitalize() + "."
        for _ in range(count)
    ]


def headline(seed: str, lang: str = "en") -> str:
    rng = random.Random(f"title:{lang}:{seed}")
    words = _AR_WORDS if lang == "ar" else _EN_WORDS
    return " ".join(rng.choice(words) for _ in range(7)).capitalize()


def article_html(
    seed: str,
    *,
    lang: str = "en",
    charset: str | None = "utf-8",
    title: str | None = None,
    body: list[str] | None = None,
    extra_head: str = "",
    extra_body: str = "",
) -> str:
    """A small but realistic article page (nav, article, footer) with a unique text.

    ``charset`` goes into a ``<meta charset>`` (None: no declaration); ``body`` replaces the
    generated paragraphs; the extra strings are inserted raw (they may hold hostile markup).
    """
    title = title if title is not None else headline(seed, lang)
    texts = body if body is not None else paragraphs(seed, lang)
    direction = ' dir="rtl"' if lang == "ar" else ""
    meta = f'<meta charset="{charset}">' if charset else ""
    paras = "".join(f"<p>{html.escape(p)}</p>\n" for p in texts)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"{direction}><head>{meta}'
        f"<title>{html.escape(title)}</title>{extra_head}</head>\n<body>"
        '<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>\n'
        f"<article><h1>{html.escape(title)}</h1>\n{paras}{extra_body}</article>\n"
        "<footer>Contact us. About us. Privacy.</footer></body></html>"
    )
