"""Markdown to safe HTML: translators are less trusted than editors, so output is sanitised."""

import hashlib
import re
from dataclasses import dataclass, field

import markdown
import nh3
from django.core.cache import cache
from django.utils.safestring import mark_safe
from markdown.extensions.toc import slugify_unicode

from .fragments import local
from .markdown_glossary import DESCRIBED_BY_PREFIX, LINK_CLASS, GlossaryExtension

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "abbr",
    "sup",
    "sub",
    "dl",
    "dt",
    "dd",
    "img",
}
RENDER_VERSION = 4
HEADINGS = {"h2", "h3", "h4", "h5", "h6"}
GLOSSARY_LINK_ATTRIBUTES = {"class", "aria-describedby"}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", *GLOSSARY_LINK_ATTRIBUTES},
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
    terms: list = field(default_factory=list)  # glossary terms linked, in order of first use


LOCAL_PATH = re.compile(r"/(?![/\\])[^\\\s\x00-\x1f]*")


def _glossary_link_value(tag, attribute, value):
    # Only the glossary extension writes these, and only with these values.
    if tag != "a" or attribute not in GLOSSARY_LINK_ATTRIBUTES:
        return value
    allowed = value == LINK_CLASS if attribute == "class" else value.startswith(DESCRIBED_BY_PREFIX)
    return value if allowed else None


def _keep_local_images(tag, attribute, value):
    # Browsers read "/\host" as "//host", so only plain same-site paths pass.
    if tag == "img" and attribute == "src" and not LOCAL_PATH.fullmatch(value):
        return None
    return _glossary_link_value(tag, attribute, value)


# Ids the page templates use; a heading must not take one ("## Main" would steal #main).
TEMPLATE_IDS = {
    "main",
    "feedback",
    "transcript",
    "references-title",
    "toc-title",
    "in-section-title",
    "video-title",
    "share-title",
    "urgent-help-title",
}


def _heading_id(value, separator):
    slug = slugify_unicode(value, separator)
    return f"{slug}{separator}section" if slug in TEMPLATE_IDS or slug.endswith("-title") else slug


def _toc_entries(tokens):
    return [
        {"id": token["id"], "name": token["name"], "children": _toc_entries(token["children"])}
        for token in tokens
    ]


def _render(text, terms):
    glossary = GlossaryExtension(terms)
    converter = markdown.Markdown(
        extensions=["toc", "tables", "sane_lists", "abbr", glossary],
        extension_configs={"toc": {"slugify": _heading_id, "toc_depth": "2-3"}},
    )
    # Raw HTML written in Markdown is shown as text, never interpreted.
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    clean = sanitise(converter.convert(text or ""))
    return clean, _toc_entries(converter.toc_tokens), glossary.matched


# rel="noopener noreferrer" keeps other sites from learning which page sent a reader; on a
# link within the site it changes nothing, so it is left off there.
SITE_LINK = re.compile(r'<a\s[^>]*\bhref="(?:/(?!/)|#)[^>]*>')
NO_OPENER = ' rel="noopener noreferrer"'


def _without_rel(match):
    return match.group().replace(NO_OPENER, "")


def sanitise(html, attribute_filter=_keep_local_images):
    """Keep only the tags, attributes, values and URL schemes allowed above."""
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=attribute_filter,
        link_rel="noopener noreferrer",
    )
    return SITE_LINK.sub(_without_rel, clean)


def render_markdown(text, glossary=None):
    """``text`` as safe HTML; with a ``Glossary``, the first use of each word is linked."""
    # The version changes whenever the rendering rules do, so old renders are not reused.
    key = (
        f"md:{RENDER_VERSION}:{glossary.version if glossary else ''}:"
        + hashlib.sha256((text or "").encode()).hexdigest()
    )
    # Kept in this process too: the key names the text and glossary exactly, so a copy
    # never goes stale, and a hit costs neither a cache round trip nor unpickling.
    cached = local.get(key)
    if cached is None:
        cached = cache.get(key)
        if cached is None:
            cached = _render(text, glossary.terms() if glossary else ())
            cache.set(key, cached, 60 * 60 * 24)
        local.set(key, cached)
    html, toc, terms = cached
    # Safe: nh3 allowed only the tags, attributes and URL schemes above
    # (tests/test_markdown.py renders script, event handlers and javascript: links).
    return RenderedMarkdown(html=mark_safe(html), toc=toc, terms=terms)  # noqa: S308


def with_absolute_links(html):
    """Rendered Markdown for email: same-site links and images point at SITE_URL."""
    from .addresses import absolute_url

    def absolute(tag, attribute, value):
        if (tag, attribute) in {("a", "href"), ("img", "src")} and LOCAL_PATH.fullmatch(value):
            return absolute_url(value)
        return _glossary_link_value(tag, attribute, value)

    return sanitise(html, absolute)


MARKDOWN_LOCAL_LINK = re.compile(r"(\]\()(/(?![/\\])[^)\s]*)")


def with_absolute_markdown_links(text):
    """Markdown source for a plain-text email: ``[word](/en/…)`` links point at SITE_URL."""
    from .addresses import absolute_url

    return MARKDOWN_LOCAL_LINK.sub(lambda m: m[1] + absolute_url(m[2]), text or "")
