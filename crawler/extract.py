"""``python -m crawler.extract``: the article of saved pages, in the seed format or as JSON Lines."""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crawler import settings
from crawler.extraction.article import ExtractedArticle, Extraction, ExtractionOptions, extract_page
from crawler.store.seedformat import render, text_sha1
from crawler.urls import url_id

if TYPE_CHECKING:
    from collections.abc import Sequence


def read_page(path: Path) -> bytes:
    """The bytes of a saved page, gunzipped when the name ends in ``.gz``."""
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def _page_type(extraction: Extraction) -> dict[str, str] | None:
    kind = extraction.page_type
    return {"kind": kind.kind, "reason": kind.reason} if kind else None


def article_record(path: Path, article: ExtractedArticle) -> dict[str, Any]:
    return {
        "file": str(path),
        "title": article.title,
        "text": article.text,
        "language": article.language,
        "language_probability": article.language_probability,
        "url": article.url,
        "canonical_url": article.canonical_url,
        "id": url_id(article.canonical_url),
        "source": article.source,
        "domain": article.domain,
        "authors": list(article.authors),
        "published": article.published,
        "words": article.words,
        "text_sha1": text_sha1(article.paragraphs),
    }


def _extract(path: Path, url: str | None, options: ExtractionOptions) -> Extraction:
    return extract_page(read_page(path), url or path.resolve().as_uri(), options)


def _no_article(path: Path, extraction: Extraction) -> str:
    """The error line of a page with no article: what it is instead, or its problem."""
    kind = extraction.page_type
    if extraction.problem:
        why = f" ({extraction.problem}: {extraction.detail})"
    else:
        why = f" ({kind.kind}: {kind.reason})" if kind else ""
    return f"no article found in {path}{why}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m crawler.extract",
        description="Print the article of saved HTML pages (.html or .html.gz).",
    )
    parser.add_argument("files", nargs="+", type=Path, help="saved pages")
    parser.add_argument("--url", help="the page's original URL (for metadata and the id)")
    parser.add_argument("--jsonl", action="store_true", help="one JSON object per file")
    parser.add_argument(
        "--min-words",
        type=int,
        default=settings.NEWS_MIN_WORDS,
        help="bodies with fewer words are not articles (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    options = ExtractionOptions(min_words=args.min_words)  # the rest: crawler.settings values
    if not args.jsonl and len(args.files) != 1:
        parser.error("give one file, or use --jsonl for several")
    status = 0
    for path in args.files:
        page_type = None
        try:
            extraction = _extract(path, args.url, options)
            article, page_type = extraction.article, _page_type(extraction)
            error = None if article else _no_article(path, extraction)
        except OSError as exc:
            article, error = None, f"cannot read {path}: {exc.strerror or exc}"
        if args.jsonl:
            record: dict[str, Any] = (
                article_record(path, article) if article else {"file": str(path), "error": error}
            )
            if page_type:
                record["page_type"] = page_type
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        elif article:
            sys.stdout.write(render(article.title, article.paragraphs))  # exact seed format
        if error:
            sys.stderr.write(f"crawler.extract: {error}\n")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
