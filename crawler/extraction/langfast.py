"""langdetect's own algorithm and profiles in fewer Python operations: the same answers, faster.

langdetect 1.0.9 (its last release) spends a call in per-character method calls (every
character is normalised through a bisect over Unicode blocks, then pushed through an n-gram
object) and in per-language loops (seven seeded random-walk trials over 55 languages). Here
the same steps run on a cached character table and list comprehensions, with the same seeded
generator drawing in the same order and the same floating-point operations in the same order,
so the probabilities are langdetect's, bit for bit (``tests/test_langfast.py`` compares them
with langdetect's ``Detector`` on real and generated texts). It took language detection from
about a quarter of a ``trafilatura.extract`` call per page to a tenth (BENCHMARKS.md).
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from functools import cache
from itertools import chain
from operator import add
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from langdetect import detector_factory
from langdetect.detector import Detector
from langdetect.utils.ngram import NGram

if TYPE_CHECKING:
    from numpy.typing import NDArray

SEED = 0
"""langdetect draws random samples; a fixed seed makes every answer reproducible."""

_SPACE_RUNS = re.compile(" {2,}")
_LATIN = re.compile("[A-z]")  # langdetect's own range, which includes [\]^_`
_NON_LATIN = re.compile("[\u0300-\U0010ffff]")
_CAPITAL_RUN = re.compile("(?<=U)U")  # over a text mapped by ``_UPPER``
_N_TRIAL = 7
_MAX_TEXT_LENGTH = 10000
_MAX_GRAM = 3  # langdetect's longest n-gram
_MIN_GRAM_TEXT = 2  # the leading space and one character: less gives no n-gram


class _CharTable(dict[int, str]):
    """``NGram.normalize`` for every character, computed once per character (``str.translate``)."""

    def __missing__(self, code: int) -> str:
        value: str = NGram.normalize(chr(code))
        self[code] = value
        return value


class _UpperTable(dict[int, str]):
    """Every character mapped to ``U`` when it is upper case, else to ``.``."""

    def __missing__(self, code: int) -> str:
        value = "U" if chr(code).isupper() else "."
        self[code] = value
        return value


_NORMAL = _CharTable()
_UPPER = _UpperTable()


@dataclass(frozen=True, slots=True)
class _Profiles:
    """langdetect's profiles, one row of 55 language probabilities per known n-gram."""

    rows: dict[str, int]
    """Where each n-gram's row starts in ``table``."""
    table: NDArray[np.float64]
    """All rows end to end: a row read is one contiguous block, not 55 scattered floats."""
    languages: tuple[str, ...]


@cache
def profiles() -> _Profiles:
    """langdetect's profiles, read from its own files and packed (once per process).

    The values are what ``DetectorFactory.load_profile`` computes (each known 1-3-gram's
    count over its language's n-gram total, 0.0 where a language lacks it), in its language
    order (the directory's listing) and n-gram order, so ``tests/test_langfast.py`` checks
    them equal to langdetect's own. Computed with numpy from the JSON instead of through
    langdetect's per-n-gram Python lists: 0.1 s instead of 0.65 s, paid by every extraction
    worker at start (issue 13). Packed, they take about 37 MB instead of langdetect's 70, and a
    detection between two trafilatura runs (which evict the processor caches) reads far fewer
    memory lines.
    """
    loaded = _profile_files(detector_factory.PROFILES_DIRECTORY)
    width = len(loaded)
    rows: dict[str, int] = {}
    for data in loaded:
        for gram in data["freq"]:
            if gram not in rows:
                rows[gram] = len(rows) * width
    table = np.zeros(len(rows) * width)
    for index, data in enumerate(loaded):
        freq: dict[str, int] = data["freq"]
        grams = [gram for gram in freq if 1 <= len(gram) <= _MAX_GRAM]
        count = len(grams)
        at = np.fromiter((rows[gram] for gram in grams), dtype=np.int64, count=count)
        counts = np.fromiter((freq[gram] for gram in grams), dtype=np.float64, count=count)
        lengths = np.fromiter((len(gram) for gram in grams), dtype=np.int64, count=count)
        totals = np.asarray(data["n_words"], dtype=np.float64)[lengths - 1]
        table[at + index] = counts / totals
    return _Profiles(rows, table, tuple(str(data["name"]) for data in loaded))


def _profile_files(directory: str) -> list[dict[str, Any]]:
    """The JSON of each profile, in ``load_profile``'s order (``os.listdir``'s, dot files and
    folders left out)."""
    loaded = []
    for path in Path(directory).iterdir():  # os.listdir's order, as langdetect's loader
        if path.name.startswith(".") or not path.is_file():
            continue
        with path.open(encoding="utf-8") as handle:
            loaded.append(json.load(handle))
    return loaded


def _prepared(text: str) -> str:
    """``Detector.append`` then ``Detector.cleaning_text``: URLs and e-mail addresses out,
    Vietnamese marks composed, space runs collapsed, and Latin letters dropped from a text
    mostly in another script."""
    text = Detector.MAIL_RE.sub(" ", Detector.URL_RE.sub(" ", text))
    text = _SPACE_RUNS.sub(" ", NGram.normalize_vi(text)[:_MAX_TEXT_LENGTH])
    # langdetect compares a block number with a block name here, so every character from
    # U+0300 up counts as non-Latin.
    if len(_LATIN.findall(text)) * 2 < len(_NON_LATIN.findall(text)):
        text = _LATIN.sub("", text)
    return text


def _ngrams(text: str, rows: dict[str, int]) -> list[int]:
    """Where the rows of the text's known 1-, 2- and 3-grams start, in langdetect's order.

    As in ``NGram.add_char``, read character by character: a space starts a new word (the
    buffer restarts as one space), and from the second capital of a run of capitals (an
    acronym) a character gives no n-grams. Here all three n-grams ending at each character
    are made at once with string slices; the ones that ``NGram`` never forms (a lone space, a
    space inside a 3-gram) are not in the profiles, so the membership test drops them too.
    """
    text = " " + _SPACE_RUNS.sub(" ", text.translate(_NORMAL)).lstrip(" ")
    if len(text) < _MIN_GRAM_TEXT:
        return []
    ones: list[str] = list(text[1:])
    twos: list[str] = list(map(add, text[:-1], text[1:]))
    threes: list[str] = ["", *map(add, twos[:-1], text[2:])]
    for match in _CAPITAL_RUN.finditer(text.translate(_UPPER)):
        position = match.start() - 1  # index of the character in ``ones``
        ones[position] = twos[position] = threes[position] = ""
    grams = chain.from_iterable(zip(ones, twos, threes, strict=True))
    return [start for start in map(rows.get, grams) if start is not None]


def _trial(
    rng: random.Random, starts: list[int], table: NDArray[np.float64], languages: int
) -> NDArray[np.float64]:
    """One of ``Detector._detect_block``'s trials: multiply the language probabilities by the
    profile rows of randomly drawn n-grams until one language passes 0.99999.

    On numpy vectors, with langdetect's operations in its order (``weight + q``, then
    ``p * that``, each one IEEE rounding, as in Python); only the normalising sum is taken
    in Python, because numpy sums pairwise and would round differently.
    """
    prob = np.full(languages, 1.0 / languages)
    alpha = Detector.ALPHA_DEFAULT + rng.gauss(0.0, 1.0) * Detector.ALPHA_WIDTH
    weight = alpha / Detector.BASE_FREQ
    factor = np.empty(languages)
    step = 0
    while True:
        start = rng.choice(starts)
        np.add(table[start : start + languages], weight, out=factor)
        np.multiply(prob, factor, out=prob)
        if step % 5 == 0:
            norm = sum(prob.tolist())
            np.divide(prob, norm, out=prob)
            if prob.max() > Detector.CONV_THRESHOLD or step >= Detector.ITERATION_LIMIT:
                return prob
        step += 1


def _walk(
    starts: list[int], table: NDArray[np.float64], languages: int, unanimous: int
) -> list[float]:
    """The trials' mean probabilities: all seven, or the first ``unanimous`` when each of them
    converged on the same language (0: always all seven, as langdetect)."""
    rng = random.Random(SEED)  # noqa: S311 - langdetect's own generator: reproducible, not secret
    total = [0.0] * languages
    winners: set[int] = set()
    for done in range(1, _N_TRIAL + 1):
        prob = _trial(rng, starts, table, languages).tolist()
        total = [t + p / _N_TRIAL for t, p in zip(total, prob, strict=True)]
        best = max(prob)
        winners.add(prob.index(best) if best > Detector.CONV_THRESHOLD else -1)
        if done == unanimous and len(winners) == 1 and -1 not in winners:
            return [t * _N_TRIAL / done for t in total]
    return total


def detect_langs(text: str, unanimous: int = 0) -> list[tuple[str, float]]:
    """langdetect's ``detect_langs(text)`` as ``(code, probability)`` pairs, best first.

    Empty when the text has no n-gram langdetect knows (langdetect raises there). With
    ``unanimous`` (say 3), the trials stop after that many when each converged on the same
    language: the remaining ones then practically always agree (the mean probability is
    above 0.99999 either way), and a clear text costs less than half. Mixed or short texts,
    where trials disagree, still get all seven.
    """
    loaded = profiles()
    starts = _ngrams(_prepared(text), loaded.rows)
    if not starts:
        return []
    probabilities = _walk(starts, loaded.table, len(loaded.languages), unanimous)
    found = [
        (code, p)
        for code, p in zip(loaded.languages, probabilities, strict=True)
        if p > Detector.PROB_THRESHOLD
    ]
    return sorted(found, key=lambda pair: pair[1], reverse=True)
