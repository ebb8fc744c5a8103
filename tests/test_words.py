"""One word count for every script: spaces where a script uses them, characters where not."""

from __future__ import annotations

from crawler.extraction.article import ExtractedArticle, ExtractionOptions, extract_article
from crawler.extraction.textnorm import words

_JA = "交通局によると、昨年秋に行った試験運行では、一便あたりの乗客が平均で二十人を超えた。"


def test_spaced_scripts_count_by_spaces() -> None:
    assert words("The council voted on Wednesday.") == 5
    assert words("صوت المجلس يوم الأربعاء") == 4
    assert words("시의회는 수요일에 투표했다") == 3  # Hangul is written with spaces
    assert words("") == 0


def test_chinese_and_japanese_count_two_characters_a_word() -> None:
    han_and_kana = sum(1 for ch in _JA if ch not in "、。")
    assert words(_JA) == -(-han_and_kana // 2)
    assert words("北京") == 1
    assert words("北京市") == 2
    assert words("Kindle for PCの起動") == 3 + 2  # mixed: Latin words plus the characters


def test_a_chinese_article_is_not_refused_for_its_missing_spaces() -> None:
    sentence = "市政府周三宣布，明年春季起将增加深夜公交班次，以方便夜间下班的市民和学生出行。"
    body = "".join(f"<p>{n}。{sentence}{sentence}</p>" for n in range(4))
    page = (
        "<html lang='zh'><head><title>深夜公交将增加班次</title></head><body><article>"
        f"<h1>深夜公交将增加班次</h1>{body}</article></body></html>"
    )
    article = extract_article(page.encode(), "https://news.example/zh/bus", ExtractionOptions())
    assert article is not None
    assert article.words >= ExtractionOptions().min_words
    assert article.words == sum(words(p) for p in article.paragraphs)


def test_the_article_word_count_is_the_helper_over_its_paragraphs() -> None:
    article = ExtractedArticle("u", "u", "t", ("one two three", _JA))
    assert article.words == 3 + words(_JA)
