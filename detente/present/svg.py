"""SVG elements as escaped markup: the only way the figures write SVG.

The report's figures are drawn here, on the server, as inline SVG: a few
kilobytes per figure instead of a 4.8 MB charting library, nothing to fetch,
readable without JavaScript, and the same store gives the same bytes. Every
attribute value and every text node goes through markupsafe's escaping, so
an actor named `<script>` is drawn as those characters.
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape


def number(value: float) -> str:
    """A coordinate with at most one decimal and no trailing zeros: short and byte-stable."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def attributes(attrs: dict) -> str:
    """` name="value"` for each attribute set; a trailing `_` is dropped (`class_`), other `_` become `-`."""
    out = []
    for name, value in attrs.items():
        if value is None or value is False:
            continue
        text = number(value) if isinstance(value, float) else str(escape(value))
        out.append(f' {name.rstrip("_").replace("_", "-")}="{text}"')
    return "".join(out)


def element(tag: str, children: Iterable | str | None = None, **attrs) -> Markup:
    """`<tag attrs>children</tag>`; string children are escaped, Markup children kept as they are."""
    if children is None:
        return Markup(f"<{tag}{attributes(attrs)}/>")
    inner = escape(children) if isinstance(children, str) else "".join(str(escape(c)) for c in children)
    return Markup(f"<{tag}{attributes(attrs)}>{inner}</{tag}>")


def title(text: str) -> Markup:
    """A tooltip: browsers show an element's first <title> child on hover."""
    return element("title", text)


def svg(children: Iterable, width: float, height: float, label: str, **attrs) -> Markup:
    """A figure scaled to its container's width, with its words for screen readers."""
    return element("svg", children, xmlns="http://www.w3.org/2000/svg", viewBox=f"0 0 {number(width)} {number(height)}",
                   role="img", aria_label=label, **attrs)
