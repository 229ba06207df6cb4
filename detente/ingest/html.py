"""HTML pages: the main text with trafilatura, the publication date with htmldate."""

from __future__ import annotations

from dataclasses import dataclass, field

import htmldate
import trafilatura


class HtmlError(ValueError):
    pass


@dataclass
class HtmlArticle:
    text: str  # one paragraph per block, blank lines between, ready for the text cleaner
    fields: dict[str, str] = field(default_factory=dict)


def read_html(markup: str, url: str | None = None) -> HtmlArticle:
    """Extract the article; fields found in the markup (title, date, site name) are trusted over text heuristics."""
    try:
        result = trafilatura.bare_extraction(
            markup, url=url, with_metadata=True, include_comments=False, include_tables=False
        )
    except Exception as err:  # trafilatura raises assorted lxml errors on hostile markup
        raise HtmlError(f"malformed HTML that could not be parsed ({type(err).__name__})") from err
    text = (getattr(result, "text", None) or "").strip() if result is not None else ""
    if not text:
        raise HtmlError("no article text found in the HTML page")
    fields = {
        "title": getattr(result, "title", None),
        "author": getattr(result, "author", None),
        "outlet": getattr(result, "sitename", None),
        "published": _publication_date(markup, url),
    }
    paragraphs = "\n\n".join(line.strip() for line in text.splitlines() if line.strip())
    return HtmlArticle(text=paragraphs, fields={k: v.strip() for k, v in fields.items() if v and v.strip()})


def _publication_date(markup: str, url: str | None) -> str | None:
    """The original (not updated) date; None rather than a guess such as today's date."""
    try:
        return htmldate.find_date(markup, url=url, original_date=True, extensive_search=False)
    except Exception:
        return None
