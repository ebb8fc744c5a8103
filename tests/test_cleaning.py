"""Unit tests of each cleaning rule on Blocks: what goes, what stays, and whitespace."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from crawler.extraction.cleaning.rules import (
    Block,
    PageContext,
    clean_blocks,
    normalise_space,
    strip_site_suffix,
)
from crawler.extraction.textnorm import fingerprint
from crawler.extraction.titles import headline_variants

if TYPE_CHECKING:
    from collections.abc import Sequence

AR = [
    (
        "أقر مجلس الوزراء في جلسته الأسبوعية خطة لإعادة تأهيل شبكات مياه الشرب في عدد من البلدات،"
        " بكلفة تقديرية تبلغ نحو أربعين مليار ليرة تنفذ على مرحلتين خلال عامين."
    ),
    (
        "وقال الوزير في تصريح للصحفيين عقب الجلسة إن المرحلة الأولى تشمل استبدال الأنابيب القديمة"
        " وحفر ثلاث آبار جديدة وتركيب مضخات تعمل بالطاقة الشمسية."
    ),
    (
        "وأضاف أن نسبة الهدر في الشبكات الحالية تتجاوز ثلاثين بالمئة بسبب قدم الأنابيب والتعديات"
        " عليها، وهو ما يؤدي إلى انقطاع المياه عن أحياء كاملة لأيام متتالية."
    ),
    (
        "ومن المقرر أن تبدأ الأعمال الميدانية مطلع الشهر المقبل بالتعاون مع الوحدات الإدارية في"
        " البلدات المستهدفة، على أن تنتهي المرحلة الأولى قبل الصيف."
    ),
]
EN = [
    (
        "The City Council voted 6-1 on Tuesday night to spend $4.2 million replacing the last of the"
        " city's lead water service lines, a project that will take three years."
    ),
    (
        "The money comes mostly from a federal infrastructure grant awarded last fall, with the rest"
        " drawn from the water utility's reserve fund."
    ),
    (
        "Most of the remaining lead lines are in neighborhoods built before 1940, including much of"
        " the North End and the blocks around Riverside Park."
    ),
    (
        "Work is scheduled to begin in September, weather permitting, and crews will need access to"
        " basements in most homes on the affected streets."
    ),
]
AR_HEADLINE = "الحكومة تقر خطة لإعادة تأهيل شبكات مياه الشرب"
EN_HEADLINE = "City council approves plan to replace lead water pipes"


def clean(texts: Sequence[str | Block], **context: Any) -> list[str]:
    blocks = [t if isinstance(t, Block) else Block(t) for t in texts]
    return clean_blocks(blocks, PageContext(**context))


def link(text: str) -> Block:
    return Block(text, "p", 1.0)


# --- the headline ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("repeat", "stated"),
    [
        (AR_HEADLINE, AR_HEADLINE),
        (f"{AR_HEADLINE} | أخبار محلية", AR_HEADLINE),
        (AR_HEADLINE, f"{AR_HEADLINE} | أخبار محلية"),
        (f"{AR_HEADLINE} | أخبار محلية", f"{AR_HEADLINE} | أخبار محلية | شامنيوز"),
        (f"{EN_HEADLINE} - The Valley Gazette", EN_HEADLINE),
        (f"{EN_HEADLINE} – The Valley Gazette", f"{EN_HEADLINE} – The Valley Gazette"),
        (EN_HEADLINE.upper() + ".", EN_HEADLINE),
    ],
)
def test_headline_not_repeated_in_body(repeat: str, stated: str) -> None:
    body = AR if any("\u0600" <= ch <= "\u06ff" for ch in repeat) else EN
    assert clean([repeat, *body], headline=stated) == body


def test_headline_repeat_found_through_other_titles() -> None:
    repeat = f"{EN_HEADLINE} | Local News"
    assert clean([repeat, *EN], headline="", titles=(EN_HEADLINE, repeat)) == EN


@pytest.mark.parametrize(
    ("title", "site", "headline"),
    [
        (f"{EN_HEADLINE} | The Valley Gazette", "The Valley Gazette", EN_HEADLINE),
        (f"{EN_HEADLINE} - The Valley Gazette", "", EN_HEADLINE),
        (f"{EN_HEADLINE} | Local News | The Valley Gazette", "The Valley Gazette", EN_HEADLINE),
        (f"شامنيوز - {AR_HEADLINE}", "شامنيوز", AR_HEADLINE),
        (f"{AR_HEADLINE} | بوابة الوادي", "بوابة الوادي", AR_HEADLINE),
        (AR_HEADLINE, "", AR_HEADLINE),
        # a dash inside a headline is not a site suffix
        (
            "Ukraine - Russia grain talks resume in Istanbul after long pause",
            "",
            "Ukraine - Russia grain talks resume in Istanbul after long pause",
        ),
    ],
)
def test_site_suffix_removed_from_headline(title: str, site: str, headline: str) -> None:
    assert strip_site_suffix(title, site) == headline


def test_headline_variants_cover_suffixes() -> None:
    variants = headline_variants(f"{EN_HEADLINE} | Local News | Gazette")
    assert "city council approves plan to replace lead water pipes" in variants
    assert "city council approves plan to replace lead water pipes local news" in variants


# --- repeats --------------------------------------------------------------------------------


def test_no_paragraph_appears_twice() -> None:
    again = EN[1].replace(" ", "  ").replace(",", "")
    assert clean([EN[0], EN[1], EN[2], again, EN[3]]) == EN


def test_short_lines_repeated_in_structured_text_stay() -> None:
    plan: list[str | Block] = [
        Block("Breakfast", "head"),
        "Eat within an hour of waking",
        "Two eggs, one slice of toast",
        Block("Lunch", "head"),
        "Eat within an hour of waking",
        "Lentil soup, one apple",
    ]
    expected = [EN[0], *(b.text if isinstance(b, Block) else b for b in plan), EN[1]]
    assert clean([EN[0], *plan, EN[1]]) == expected


def test_paragraph_repeated_inside_a_longer_one_goes() -> None:
    standfirst = AR[0]
    with_dateline = f"دمشق (شامنيوز)- {AR[0]}"
    assert clean([standfirst, with_dateline, *AR[1:]]) == [with_dateline, *AR[1:]]


def test_pull_quote_echoing_the_text_goes() -> None:
    said = (
        '"Nobody should have to wonder whether the water coming out of their tap is safe," said'
        " council member Rosa Delgado, who sponsored the measure."
    )
    pull = Block(
        '"Nobody should have to wonder whether the water coming out of their tap is safe."'
    )
    assert clean([EN[0], said, pull, *EN[1:]]) == [EN[0], said, *EN[1:]]


def test_short_phrase_inside_a_paragraph_stays() -> None:
    label = "Which homes are affected"
    body = [EN[0], "Which homes are affected by the plan depends on the age of the street.", EN[1]]
    assert clean([*body[:2], Block(label, "head"), *EN[2:]]) == [
        *body[:2],
        label,
        *EN[2:],
    ]


# --- captions and credits -------------------------------------------------------------------


@pytest.mark.parametrize(
    "caption",
    [
        "الاسد في زيارة نادرة الى روسيا العام الماضي - صورة: رويترز",
        "كورنيش الإسكندرية - أرشيفية",
        "Cranes at the new terminal in Lekki. (Photo: Temilade Adelaja/Reuters)",
        "Photo: AFP",
        "Getty Images",
    ],
)
def test_captions_and_credits_go(caption: str) -> None:
    body = AR if any("\u0600" <= ch <= "\u06ff" for ch in caption) else EN
    assert clean([body[0], caption, caption, *body[1:]]) == body


def test_caption_known_from_the_page_goes_even_without_credit() -> None:
    caption = "Crews replace a water main on Elm Street in April"
    assert clean([EN[0], caption, *EN[1:]], captions=frozenset({fingerprint(caption)})) == EN
    assert clean([EN[0], Block("وزير الكهرباء", "caption"), *EN[1:]]) == EN


def test_caption_printed_again_with_its_credit_goes() -> None:
    caption = (
        "Engineers watch from the control tower as the steel gates of the flood barrier swing"
        " shut against the rising water at the mouth of the river on Sunday afternoon"
    )
    bare = frozenset({fingerprint(caption)})
    assert clean([EN[0], f"{caption}. Photo: Ana Ruiz/Reuters", *EN[1:]], captions=bare) == EN
    # a sentence that goes on after the caption's words is text, not a credit
    sentence = f"{caption}, and the town was spared."
    assert clean([EN[0], sentence, *EN[1:]], captions=bare) == [EN[0], sentence, *EN[1:]]
    # the lead printed again as a caption with a credit: the lead stays
    credited = frozenset({fingerprint(f"{caption}. Photo: Ana Ruiz/Reuters")})
    lead = f"{caption}."
    assert clean([lead, *EN], captions=credited) == [lead, *EN]


def test_sentence_citing_an_agency_stays() -> None:
    cited = (
        "Reuters reported on Monday that the ministry had asked for an extension of the"
        " deadline, citing two officials familiar with the talks (source: Reuters)."
    )
    assert clean([EN[0], cited, *EN[1:]]) == [EN[0], cited, *EN[1:]]


# --- bylines, labels, signatures ------------------------------------------------------------


@pytest.mark.parametrize(
    "byline",
    [
        "By Sarah Okafor",
        "By Dana Whitfield | Staff Writer",
        "كتب- محمد السيد",
        "بقلم: د. ليلى بنعلي",
        "(Reporting by Sarah Okafor; Editing by Alexander Smith)",
        "Reporting by Sarah Okafor in Lagos; Editing by Alexander Smith",
        "(إعداد محمد علي للنشرة العربية - تحرير سها جادو)",
    ],
)
def test_bylines_and_credit_lines_go(byline: str) -> None:
    assert clean([byline, *EN, byline]) == EN


def test_author_name_lines_go() -> None:
    authors = ("Dana Whitfield", "منى عبد الحميد")
    assert clean(["Dana Whitfield, Staff Writer", *AR, "منى عبد الحميد"], authors=authors) == AR


def test_sentence_starting_with_by_stays() -> None:
    sentence = "By the end of the year the plant will supply a third of the region's power."
    assert clean([EN[0], sentence, *EN[1:]]) == [EN[0], sentence, *EN[1:]]


@pytest.mark.parametrize("label", ["تقارير وحوارات", "Local", "World News"])
def test_category_label_above_the_text_goes(label: str) -> None:
    assert clean([label, *AR]) == AR


def test_section_label_goes_anywhere() -> None:
    assert clean([*EN[:2], "World News", *EN[2:]], section="World News") == EN


@pytest.mark.parametrize(
    ("signature", "context"),
    [
        ("شامنيوز", {}),
        ("The Valley Gazette", {"site_name": "The Valley Gazette"}),
        ("المصدر: المرصد نت + وكالات", {}),
        ("Source: AFP", {}),
        ("(رويترز)", {}),
        ("valleygazette", {"domain": "valleygazette.example"}),
    ],
)
def test_source_signature_at_the_end_goes(signature: str, context: dict[str, str]) -> None:
    body = AR if any("\u0600" <= ch <= "\u06ff" for ch in signature) else EN
    assert clean([*body, signature], **context) == body


# --- widgets --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bar",
    [
        "Share this article Facebook Twitter Email Copy link",
        "شارك: فيسبوك تويتر واتساب",
        "Share: Facebook · Pinterest · Email",
    ],
)
def test_share_bars_go(bar: str) -> None:
    assert clean([bar, *EN[:2], bar, *EN[2:]]) == EN


def test_link_only_lines_go() -> None:
    assert (
        clean([*EN[:2], link("Facebook"), link("Nigeria's central bank raises rates"), *EN[2:]])
        == EN
    )


@pytest.mark.parametrize(
    "tags",
    ["Tags: tomatoes, watering, summer", "الوسوم: الإسكندرية الكورنيش", "Posted in Vegetables"],
)
def test_tag_lists_go(tags: str) -> None:
    assert clean([*EN, tags]) == EN
    assert clean([*EN[:2], tags, *EN[2:]]) == EN


@pytest.mark.parametrize(
    "heading",
    ["Recent Posts", "Most read", "Related articles", "الأكثر قراءة", "مقالات ذات صلة"],
)
def test_widget_lists_at_the_end_are_cut(heading: str) -> None:
    teasers: list[str | Block] = [
        Block(heading, "head"),
        link("دار الضفاف تحتفل بأول إصداراتها في أمسية نقدية"),
        "تحتفل دار الضفاف للدراسات والنشر مساء اليوم بأول إصداراتها في أمسية يشارك فيها عدد…",
        "3 سنوات ago",
        "Six cherry tomatoes worth growing in a small garden this summer, and where to buy them.",
    ]
    assert clean([*AR, *teasers]) == AR


def test_widget_heading_early_in_the_text_does_not_cut() -> None:
    assert clean([AR[0], Block("التعليقات", "head"), *AR[1:]]) == [AR[0], "التعليقات", *AR[1:]]


@pytest.mark.parametrize("stamp", ["3 سنوات ago", "سنتين ago", "منذ ساعتين", "2 hours ago"])
def test_relative_time_lines_go(stamp: str) -> None:
    assert clean([*AR[:2], stamp, *AR[2:]]) == AR


def test_read_also_box_inside_the_body_goes() -> None:
    box = [
        Block("اقرأ أيضا", "head"),
        Block("محافظ الإسكندرية يتفقد أعمال رصف طريق أبو قير", "list", 1.0),
        Block("غلق جزئي لطريق الكورنيش بمنطقة سبورتنج لمدة أسبوعين", "list", 1.0),
    ]
    one_line = Block("اقرأ أيضا: الإسكندرية ترفع درجة الاستعداد لمواجهة موسم النوات", "p", 0.8)
    assert clean([AR[0], *box, AR[1], one_line, *AR[2:]]) == AR


@pytest.mark.parametrize(
    "marker",
    [
        "Lesen Sie auch die folgenden Beiträge:",
        "Das könnte Sie auch interessieren",
        "Weitere Artikel zum Thema",
        "Czytaj też",
        "Noticias relacionadas",
        "همچنین بخوانید",
        "یہ بھی پڑھیں",
    ],
)
def test_read_also_boxes_in_other_languages_go(marker: str) -> None:
    box = [
        Block(marker, "p"),
        Block("Hafen erweitert die Anlegestellen für Fähren", "list", 1.0),
        Block("Neue Buslinie zum Bahnhof ab Juni", "list", 1.0),
    ]
    assert clean([EN[0], *box, *EN[1:]]) == EN


def test_a_sentence_starting_like_a_marker_stays() -> None:
    sentence = "Lesen Sie auch den Bericht des Rechnungshofs, sagte der Sprecher."
    assert clean([EN[0], sentence, *EN[1:]]) == [EN[0], sentence, *EN[1:]]


@pytest.mark.parametrize(
    "form",
    [
        ["Leave a Reply", "Your email address will not be published. Required fields are marked *"],
        ["Post a comment", "You must be logged in to post a comment."],
        ["اترك تعليقاً", "لن يتم نشر عنوان بريدك الإلكتروني. الحقول الإلزامية مشار إليها بـ *"],
        ["أضف تعليقك", "التعليق", "الاسم", "إرسال"],
    ],
)
def test_comment_forms_go(form: list[str]) -> None:
    assert clean([*AR, *form]) == AR


def test_comment_form_notes_go_anywhere() -> None:
    note = "Save my name, email, and website in this browser for the next time I comment."
    assert clean([*EN[:3], note, EN[3]]) == EN


def test_visitor_comments_go() -> None:
    ar_comments = [
        "تعليقات الزوار",
        "1 - أبو سامر - الكسوة 2021-09-14 11:02 نتمنى أن يكون الكلام هذه المرة جديا.",
        "2 - مواطن 2021-09-14 12:40 المشكلة ليست في الأنابيب فقط بل في الكهرباء.",
    ]
    en_comments: list[str | Block] = [
        "3 Comments",
        "JimR says:",
        "June 2, 2023 at 8:14 am",
        "About time. My street was dug up twice in the last five years.",
        link("Reply"),
    ]
    assert clean([*AR, *ar_comments]) == AR
    assert clean([*EN, *en_comments]) == EN


def test_comment_meta_lines_go_anywhere() -> None:
    assert clean([*EN[:2], "JimR says:", "Reply", "June 2, 2023 at 8:14 am", *EN[2:]]) == EN


@pytest.mark.parametrize(
    "prompt",
    [
        "Sign up for our Africa Briefing newsletter",
        "By signing up you agree to our Privacy Policy. You can unsubscribe at any time.",
        "We use cookies to give you the best experience on our website.",
        "نستخدم ملفات تعريف الارتباط لتحسين تجربتك على موقعنا.",
        "اشترك في نشرتنا البريدية",
        "Support local journalism. Subscribe today for just $1 for your first month.",
        "Advertisement",
        "إعلان",
    ],
)
def test_newsletter_cookie_and_ad_prompts_go(prompt: str) -> None:
    assert clean([prompt, *EN[:2], prompt, *EN[2:]]) == EN


@pytest.mark.parametrize(
    "footer",
    [
        "© 2024 The Northern Ledger Ltd. All rights reserved.",
        "جميع الحقوق محفوظة © 2005 - 2021 شامنيوز",
        "Proudly powered by WordPress",
        "Contact Dana Whitfield at dwhitfield@valley-gazette.example or 555-0142.",
        "طباعة أرسل لصديق عدد القراءات: 2341",
        "1,284",
    ],
)
def test_footers_and_page_tools_go(footer: str) -> None:
    assert clean([*AR, footer]) == AR


def test_teaser_card_text_goes() -> None:
    summary = "قال البنك إن السندات ستطرح على مرحلتين بفائدة سنوية ثابتة."
    card = frozenset({fingerprint("البنك المركزي يطرح سندات"), fingerprint(summary)})
    assert clean([*AR[:2], summary, *AR[2:]], teasers=card) == AR


def test_flattened_menu_block_is_split_and_dropped() -> None:
    menu = "\n".join(
        [
            "الخميس، نوفمبر 3، 2022",
            "الرئيسية",
            "أخبار",
            "محافظات",
            "اقتصاد",
            "رياضة",
            "فن",
            "عاجل",
            "الأرصاد تحذر من أمطار رعدية على السواحل الشمالية غدا",
            "بواسطة",
            "محمد السيد",
            "شارك على فيسبوك",
            AR[0],
        ]
    )
    assert clean([menu, *AR[1:]]) == [
        "الأرصاد تحذر من أمطار رعدية على السواحل الشمالية غدا",
        *AR,
    ]


def test_a_few_short_lines_are_not_a_flattened_menu() -> None:
    info = "Michael Anastassiades\nJewels after Jewels\nFlos Showroom\ncorso Monforte, 15, Milan"
    assert clean([*EN, info]) == [
        *EN,
        "Michael Anastassiades Jewels after Jewels Flos Showroom corso Monforte, 15, Milan",
    ]


# --- what stays -----------------------------------------------------------------------------


def test_subheadings_stay_as_their_own_paragraphs() -> None:
    blocks: list[str | Block] = [
        AR[0],
        Block("رهان الهيدروجين الأخضر", "head"),
        AR[1],
        "التمويل",
        AR[2],
        Block("What you can do", "head"),
        AR[3],
    ]
    assert clean(blocks) == [
        AR[0],
        "رهان الهيدروجين الأخضر",
        AR[1],
        "التمويل",
        AR[2],
        "What you can do",
        AR[3],
    ]


def test_orphan_heading_at_the_end_goes() -> None:
    assert clean([*EN, Block("Debt concerns", "head")]) == EN


def test_heading_over_a_closing_list_stays() -> None:
    points = [
        Block("A detailed design will be published in July for comments", "list"),
        Block("Contractors will be chosen by the end of August", "list"),
    ]
    heading = Block("What happens next", "head")
    assert clean([*EN, heading, *points]) == [*EN, heading.text, *(p.text for p in points)]
    linked = [Block(p.text, "list", 1.0) for p in points]
    assert clean([*EN, heading, *linked]) == EN  # a related-stories list and its heading go


def test_subheading_stays_when_a_paragraph_repeats_its_words() -> None:
    heading = Block("Why the shops are worried about parking", "head")
    repeat = (
        "Asked why the shops are worried about parking, the chamber of commerce said forty"
        " spaces would go from the high street while the work goes on."
    )
    assert clean([EN[0], heading, repeat, *EN[1:]]) == [EN[0], heading.text, repeat, *EN[1:]]
    assert clean([EN[0], "Why the shops are worried about parking", repeat, *EN[1:]]) == [
        EN[0],
        repeat,
        *EN[1:],
    ]  # a paragraph inside a longer one (a pull quote) still goes


def test_standfirst_stays() -> None:
    standfirst = (
        "The $1.5 billion terminal can handle the largest container ships and is expected to cut"
        " waiting times that have stretched to weeks."
    )
    assert clean([standfirst, *EN]) == [standfirst, *EN]


def test_content_lists_stay() -> None:
    items = [
        Block("Water deeply and regularly, about twice a week in dry spells.", "list"),
        Block("Mulch the soil with straw or compost to keep moisture levels even.", "list"),
    ]
    intro = "You cannot control the weather, but you can make the plant less sensitive to it:"
    assert clean([EN[0], intro, *items, *EN[1:]]) == [
        EN[0],
        intro,
        *(i.text for i in items),
        *EN[1:],
    ]


def test_raw_url_printed_in_text_stays() -> None:
    assert clean([*EN[:2], link("http://amzn.to/2iJFhRj"), *EN[2:]]) == [
        *EN[:2],
        "http://amzn.to/2iJFhRj",
        *EN[2:],
    ]


# --- whitespace and letters -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean_text"),
    [
        ("a\u00a0b", "a b"),
        ("  a    b\t\tc  ", "a b c"),
        ("a\u200bb\ufeff", "ab"),
        ("line one\nline two", "line one line two"),
        ("soft\u00adhyphen", "softhyphen"),
        ("\u200fمرحبا\u200e", "مرحبا"),
        ("a\u2009b\u202fc\u3000d", "a b c d"),
    ],
)
def test_whitespace_is_normalised(raw: str, clean_text: str) -> None:
    assert normalise_space(raw) == clean_text


def test_empty_paragraphs_go() -> None:
    assert clean(["", "   ", "\u00a0", "\u200b", EN[0], "\u00a0\u00a0", *EN[1:]]) == EN


def test_spacing_inside_paragraphs_is_normalised() -> None:
    messy = "  في زيارة استمرت يومين،\u00a0 بحث الوزير\u200b مع نظيره  الخطوات التالية للمشروع المشترك. "
    assert clean([messy, *AR]) == [
        "في زيارة استمرت يومين، بحث الوزير مع نظيره الخطوات التالية للمشروع المشترك.",
        *AR,
    ]


@pytest.mark.parametrize(
    "text",
    [
        "تُنفَّذ الأعمال خلال ثمانية عشر شهرًا",  # shadda before fatha, as published
        "إلى أن آخر مؤتمر عُقد في الأقصر ومصرى",  # hamza forms and alef maqsura
        "مدرسة ومدرسه",  # taa marbuta and haa both kept
        "جـــــميل",  # tatweel kept
        "عام ٢٠٢٣ وعام 2023",  # Arabic-Indic and Western digits
        "ا\u0654",  # combining hamza is not composed
        "می\u200cخواهم",  # Persian zero-width non-joiner is part of the word
    ],
)
def test_arabic_letters_are_left_as_published(text: str) -> None:
    assert normalise_space(text) == text
    sentence = f"{text} في جلسة عقدها المجلس أمس بحضور عدد كبير من الأعضاء والمسؤولين المحليين."
    assert clean([sentence]) == [sentence]


# --- furniture lines (issue 12) -------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "تم نشره الجمعة 12 أبريل 2024 - 10:15",
        "2 تير 1399 - 12:09",
        "۱۴ اردیبهشت ۱۴۰۲ - ۰۹:۳۰",
        "Published 3 March 2024, 10:15",
        "Last updated 12:40 GMT",
    ],
)
def test_date_only_lines_go_at_either_edge(line: str) -> None:
    body = AR if any("\u0600" <= ch <= "\u06ff" for ch in line) else EN
    assert clean([line, *body]) == body
    assert clean([*body, line]) == body


@pytest.mark.parametrize(
    "line",
    [
        "التعليقات المنشورة لا تعبر عن رأي الموقع وإنما تعبر عن رأي أصحابها",
        "الآراء الواردة في التعليقات لا تعبر بالضرورة عن رأي الموقع",
        "The views expressed in the comments are those of the readers.",
        "Subscribe to continue reading.",
        "This article is for subscribers only.",
        "This material may not be published, broadcast, rewritten or redistributed.",
        "يمنع نسخ أو إعادة نشر المحتوى دون إذن مسبق",
        "هذا المحتوى متاح للمشتركين فقط",
        "Donate now and help keep local news free for everyone.",
        "ادعم صحافتنا المستقلة وتبرع الآن",
    ],
)
def test_comment_policy_paywall_donation_and_legal_lines_go(line: str) -> None:
    body = AR if any("\u0600" <= ch <= "\u06ff" for ch in line) else EN
    assert clean([*body, line]) == body


# A short paragraph ending in "(AFP)" is a photo caption (``is_caption``): these end long ones.
LONG_AR = [*AR[:2], f"{AR[2]} {AR[3]}"]
LONG_EN = [*EN[:2], f"{EN[2]} {EN[3]}"]


@pytest.mark.parametrize(
    ("credit", "body"), [("--(بترا)", LONG_AR), (" (AFP)", LONG_EN), ("(Reuters).", LONG_EN)]
)
def test_agency_token_after_the_last_sentence_goes(credit: str, body: list[str]) -> None:
    assert clean([*body[:-1], body[-1] + credit]) == body


def test_parenthesised_tokens_inside_the_text_stay() -> None:
    # Only after the last sentence: an acronym closing a sentence, or a credit in the
    # middle of the text, are the article's.
    last = "The council will ask the International Monetary Fund (IMF)"
    middle = LONG_EN[2] + " (AFP)"
    assert clean([*EN[:2], middle, last]) == [*EN[:2], middle, last]
