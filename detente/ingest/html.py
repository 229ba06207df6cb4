"""HTML pages: the main text with trafilatura, the publication date with htmldate.

htmldate reads the date from the page's markup (meta tags, <time>, structured
data). When the markup gives none, the date is read from the page's visible
lines as from a text copy ("Posted on Wednesday, 12 September 2018" beside a
"Last viewed" date that is no publication date).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import htmldate
import lxml.html
import trafilatura

from detente.ingest.clean import split_units
from detente.ingest.metadata import read_header

_INVISIBLE_TAGS = ("script", "style", "noscript", "template", "svg", "head", "iframe", "form", "button", "select")
_BLOCK_TAGS = (
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "header", "footer", "section", "article", "aside",
    "br", "tr", "td", "th", "dt", "dd", "blockquote", "figcaption", "figure", "address", "nav", "main", "ul",
    "ol", "table", "pre", "hr",
)
# Where the article's own lines are: its <article>, else the page's <main>, else the whole body.
_ARTICLE_AREAS = ("//article", "//main", "//*[@role='main']", "//body")


_DEEP_PARSER = lxml.html.HTMLParser(huge_tree=True)
MAX_DEPTH = 64
_WRAPPER_TAGS = {"div", "span", "section", "article", "main", "aside", "header", "footer", "font", "center", "b",
                 "i", "u", "em", "strong", "small", "big", "blockquote", "a", "nav", "figure", "ul", "ol", "li", "table",
                 "tbody", "tr", "td", "th", "dl", "dd", "dt", "form", "label", "abbr", "cite", "q", "sup", "sub"}


class HtmlError(ValueError):
    pass


@dataclass
class HtmlArticle:
    text: str  # one paragraph per block, blank lines between, ready for the text cleaner
    fields: dict[str, str] = field(default_factory=dict)


def read_html(markup: str, url: str | None = None) -> HtmlArticle:
    """Extract the article; fields found in the markup (title, date, site name) are trusted over text heuristics."""
    result, text = _extract(markup, url)
    if not text:  # libxml2 stops at 256 nested elements unless asked for a "huge" tree
        result, text = _extract(_deep_tree(markup), url)
    if not text:
        raise HtmlError("no article text found in the HTML page")
    published, published_text = _publication_date(markup, url)
    fields = {
        "title": getattr(result, "title", None),
        "author": getattr(result, "author", None),
        "outlet": getattr(result, "sitename", None),
        "published": published,
        "published_text": published_text,
    }
    paragraphs = "\n\n".join(line.strip() for line in text.splitlines() if line.strip())
    return HtmlArticle(text=paragraphs, fields={k: v.strip() for k, v in fields.items() if v and v.strip()})


def _extract(markup, url: str | None) -> tuple[object, str]:
    """trafilatura's reading of a page (markup or a parsed tree) and its text, stripped."""
    if markup is None:
        return None, ""
    try:
        result = trafilatura.bare_extraction(
            markup, url=url, with_metadata=True, include_comments=False, include_tables=False
        )
    except Exception as err:  # trafilatura raises assorted lxml errors on hostile markup
        raise HtmlError(f"malformed HTML that could not be parsed ({type(err).__name__})") from err
    text = (getattr(result, "text", None) or "").strip() if result is not None else ""
    return result, text


def _deep_tree(markup: str):
    """The page parsed without libxml2's depth limit (pages nested hundreds of levels deep exist:
    generated markup, or markup made to defeat scrapers), its wrappers below MAX_DEPTH unwrapped;
    None where even that fails."""
    try:
        tree = lxml.html.document_fromstring(markup, parser=_DEEP_PARSER)
    except Exception:  # lxml raises assorted errors on hostile markup
        return None
    for element in _too_deep(tree):
        element.drop_tag()
    return tree


def _too_deep(tree) -> list:
    """Wrapper elements nested deeper than MAX_DEPTH: trafilatura's time grows faster than the
    page with the depth, and a wrapper that deep adds nothing but depth."""
    found = []
    stack = [(tree, 0)]
    while stack:  # no recursion: the tree may be thousands of levels deep
        element, depth = stack.pop()
        if depth > MAX_DEPTH and element.tag in _WRAPPER_TAGS:
            found.append(element)
        stack.extend((child, depth + 1) for child in element if isinstance(child.tag, str))
    return found


def _publication_date(markup: str, url: str | None) -> tuple[str | None, str | None]:
    """The original (not updated) date and the words it was read from; None rather than a guess such as
    today's date. htmldate's free-text search is left off: it takes any date on the page (a view, a
    comment); the page's visible lines are read with the text rules instead."""
    try:
        found = htmldate.find_date(markup, url=url, original_date=True, extensive_search=False)
    except Exception:  # htmldate raises assorted errors on hostile markup
        found = None
    shown = read_header(split_units(visible_lines(markup))).metadata
    if found:  # the markup's date; the words are the page's own where they say the same
        return found, shown.published_text if shown.published == found else found
    return shown.published, shown.published_text


def visible_lines(markup: str) -> str:
    """The text a reader sees in the page's article area, a line per block, blank lines between."""
    try:
        tree = lxml.html.fromstring(markup, parser=_DEEP_PARSER)
        for element in list(tree.iter(*_INVISIBLE_TAGS)):
            if element.getparent() is not None:
                element.drop_tree()
        area = next((found[0] for path in _ARTICLE_AREAS if (found := tree.xpath(path))), tree)
        for element in area.iter(*_BLOCK_TAGS):
            element.tail = "\n\n" + (element.tail or "")
            element.text = "\n\n" + (element.text or "")
        return str(area.text_content())
    except Exception:  # lxml raises assorted errors on hostile markup; no lines, so no date
        return ""
