"""Cleaning of text that ends up on public pages: rich text through an allow-list (nh3), plain
text with every tag removed. Public input is hostile input."""

from __future__ import annotations

import html
import re

import nh3

RICH_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h2", "h3", "h4", "blockquote",
             "table", "thead", "tbody", "tr", "th", "td", "a", "span", "hr"}
RICH_ATTRS = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def rich_text(value: str, max_length: int = 200_000) -> str:
    """Allow-listed HTML: no scripts, styles, event handlers, iframes or javascript: links."""
    value = _CONTROL.sub("", value or "")[:max_length]
    return nh3.clean(value, tags=RICH_TAGS, attributes=RICH_ATTRS, url_schemes={"http", "https", "mailto"},
                     clean_content_tags={"script", "style"}, link_rel="noopener noreferrer nofollow")


def plain_text(value: str, max_length: int | None = None, *, multiline: bool = True) -> str:
    """Text with every tag (and script/style content) removed and angle brackets made harmless."""
    text = nh3.clean(value or "", tags=set(), clean_content_tags={"script", "style"})
    text = html.unescape(text)
    text = _CONTROL.sub("", text).replace("<", "＜").replace(">", "＞")
    if not multiline:
        text = " ".join(text.split())
    text = text.strip()
    return text[:max_length] if max_length else text
