"""crawler.extraction.langfast gives langdetect's own answers, probabilities included, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from langdetect import DetectorFactory, detector_factory
from langdetect import detect_langs as langdetect_langs
from langdetect.lang_detect_exception import LangDetectException

from crawler.extraction.langfast import SEED, detect_langs, profiles
from tests import FIXTURES

SENTENCES = [
    "أجرى الرئيس السوري محادثات مع نظيره الروسي تركزت على الصراع في البلاد.",
    "رئیس جمهور با همتای روسی خود درباره درگیری در کشور گفتگو کرد و توافق کردند.",
    "وزیراعظم نے کہا کہ حکومت عوام کی فلاح و بہبود کے لیے ہر ممکن اقدامات کرے گی۔",
    "Президент провёл переговоры со своим российским коллегой о конфликте.",
    "Ο πρόεδρος είχε συνομιλίες με τον Ρώσο ομόλογό του για τη σύγκρουση.",
    "הנשיא קיים שיחות עם עמיתו הרוסי על הסכסוך במדינה.",
    "राष्ट्रपति ने संघर्ष के बारे में अपने रूसी समकक्ष के साथ बातचीत की।",
    "ประธานาธิบดีได้หารือกับผู้นำรัสเซียเกี่ยวกับความขัดแย้ง",
    "总统与俄罗斯总统就冲突问题举行了会谈。",
    "總統與俄羅斯總統就衝突問題舉行了會談。",
    "大統領はロシアの大統領と紛争について会談した。カタカナ",
    "대통령은 러시아 대통령과 분쟁에 대해 회담했다.",
    "Tổng thống đã hội đàm với người đồng cấp Nga về cuộc xung đột.",
    "Tổng thống đã hội đàm",  # decomposed marks (U+0303, U+0300): composed before the n-grams
    "Le président a tenu des entretiens avec son homologue russe sur le conflit.",
    "NATO and the USA met the EU in BRUSSELS; ÇA VA, said the OSCE's envoy (AFP).",
    "Read more at https://example.com/news/2024/05/article.html or mail desk@example.com",
    "Breaking news عاجل: الرئيس يلتقي the minister في القصر today",
    "x",
    "ÀÉÎ ÕÜ ß ŞŢ șț ǅ ﬁ ＡＢＣ Ⓐⓑ 𝐀𝐁",
    "   leading   and   trailing   spaces   ",
    "12345 67 -- !!",
    "",
]


def langdetect_reference(text: str) -> list[tuple[str, float]]:
    DetectorFactory.seed = SEED
    try:
        return [(str(guess.lang), float(guess.prob)) for guess in langdetect_langs(text)]
    except LangDetectException:  # "No features in text": ours answers with an empty list
        return []


@pytest.mark.parametrize("text", SENTENCES)
def test_same_answers_as_langdetect(text: str) -> None:
    assert detect_langs(text) == langdetect_reference(text)


ARTICLES = sorted(p.stem for p in (FIXTURES / "articles").glob("*.txt"))


@pytest.mark.parametrize("case", ARTICLES)
def test_same_answers_on_fixture_articles(case: str) -> None:
    text = (FIXTURES / "articles" / f"{case}.txt").read_text(encoding="utf-8")[:3000]
    assert detect_langs(text) == langdetect_reference(text)


def test_fixture_articles_are_found() -> None:
    assert len(ARTICLES) >= 10


# Letters of several scripts, capitals, digits, punctuation and the spaces that cut words.
_ALPHABET = st.sampled_from(
    [
        *"aAbBeEtTzZ éÉçÇßñ ءاببتثيیکگہے Ж жЯя αΩ 日本カナ가 ạẠẻ ,.;:'-_[]^`0123456789@/",
        *("\u0300", "\u0303", "\u200c", "\u2014", "\n", "https://a.b/c "),
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_ALPHABET, max_size=120).map("".join))
def test_same_answers_on_generated_text(text: str) -> None:
    assert detect_langs(text) == langdetect_reference(text)


def test_profiles_hold_no_gram_that_langdetect_never_forms() -> None:
    # ``_ngrams`` relies on this: a lone space, a double space or a space inside a 3-gram
    # is dropped by the profile lookup, not by a test of its own.
    loaded = profiles()
    known = loaded.rows
    assert " " not in known
    assert not [gram for gram in known if "  " in gram or (len(gram) == 3 and gram[1] == " ")]
    assert len(loaded.languages) == 55
    assert len(loaded.table) == 55 * len(known)


def _top(guesses: list[tuple[str, float]]) -> tuple[str, float] | None:
    return (guesses[0][0], round(guesses[0][1], 4)) if guesses else None


@pytest.mark.parametrize("case", ARTICLES)
def test_unanimous_trials_give_the_same_answer_on_articles(case: str) -> None:
    text = (FIXTURES / "articles" / f"{case}.txt").read_text(encoding="utf-8")[:2000]
    assert _top(detect_langs(text, unanimous=3)) == _top(detect_langs(text))


@pytest.mark.parametrize(
    "text",
    [
        (
            "The president met the minister in the palace today. "
            "Le président a rencontré le ministre au palais."
        ),
        (
            "El presidente se reunió hoy con el ministro en el palacio. "
            "Il presidente ha incontrato oggi il ministro nel palazzo."
        ),
    ],
)
def test_trials_that_disagree_all_run(text: str) -> None:
    # The first three trials do not agree, so all seven run: langdetect's answer exactly.
    exact = detect_langs(text)
    assert len(exact) == 2
    assert detect_langs(text, unanimous=3) == exact == langdetect_reference(text)


def test_the_packed_profiles_are_langdetects_own_values_bit_for_bit() -> None:
    """``profiles`` reads the JSON itself; the numbers must be ``load_profile``'s."""
    factory = DetectorFactory()
    factory.load_profile(detector_factory.PROFILES_DIRECTORY)
    loaded = profiles()
    assert loaded.languages == tuple(factory.langlist)
    assert list(loaded.rows) == list(factory.word_lang_prob_map)
    width = len(factory.langlist)
    expected = np.array([p for probs in factory.word_lang_prob_map.values() for p in probs])
    assert expected.tobytes() == loaded.table.tobytes()
    assert all(start == i * width for i, start in enumerate(loaded.rows.values()))
