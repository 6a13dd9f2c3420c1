"""Markdown to safe HTML: translators are less trusted than editors, so output is sanitised."""

import hashlib
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import markdown
import nh3
from django.core.cache import cache
from django.utils.safestring import mark_safe
from markdown.extensions.toc import slugify_unicode

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "blockquote",
    "ul", "ol", "li", "a", "code", "pre", "table", "thead", "tbody", "tr", "th", "td",
    "abbr", "sup", "sub", "dl", "dt", "dd", "img",
}  # fmt: skip
HEADINGS = {"h2", "h3", "h4", "h5", "h6"}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"scope"},
    **{tag: {"id"} for tag in HEADINGS},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


@dataclass
class RenderedMarkdown:
    html: str
    toc: list = field(default_factory=list)


def _keep_local_images(tag, attribute, value):
    if tag == "img" and attribute == "src":
        parts = urlsplit(value)
        if parts.scheme or parts.netloc or not value.startswith("/"):
            return None
    return value


def _toc_entries(tokens):
    return [
        {"id": token["id"], "name": token["name"], "children": _toc_entries(token["children"])}
        for token in tokens
    ]


def _render(text):
    converter = markdown.Markdown(
        extensions=["toc", "tables", "sane_lists", "abbr"],
        extension_configs={"toc": {"slugify": slugify_unicode, "toc_depth": "2-3"}},
    )
    # Raw HTML written in Markdown is shown as text, never interpreted.
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    html = converter.convert(text or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_keep_local_images,
        link_rel="noopener noreferrer",
    )
    return clean, _toc_entries(converter.toc_tokens)


def render_markdown(text):
    key = "md:" + hashlib.sha256((text or "").encode()).hexdigest()
    cached = cache.get(key)
    if cached is None:
        cached = _render(text)
        cache.set(key, cached, 60 * 60 * 24)
    html, toc = cached
    return RenderedMarkdown(html=mark_safe(html), toc=toc)
