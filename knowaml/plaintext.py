"""Markdown as plain text, for the text part of emails.

The Markdown is rendered (and sanitised) exactly as for the HTML part, and that HTML is
read back as text: headings and paragraphs become paragraphs, lists get "- " or "1. ",
links read "text (address)" with same-site links made absolute, emphasis is dropped.
"""

import re
from html.parser import HTMLParser

from .rendering import render_markdown, with_absolute_links

VOID = {"br", "hr", "img"}
BLOCKS = {"p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "pre", "table", "hr", "dl"}
SPACES = re.compile(r"[ \t\r\n]+")
INDENT = "    "


class Node:
    def __init__(self, tag, attrs=None):
        self.tag = tag
        self.attrs = dict(attrs or {})
        self.children = []


class TreeBuilder(HTMLParser):
    """Sanitised HTML into a small tree; the sanitiser has already balanced every tag."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs)
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def _link(node):
    text = _inline(node.children).strip()
    href = node.attrs.get("href") or ""
    shown = href.removeprefix("mailto:").removeprefix("tel:")
    if not href or href.startswith("#") or shown == text:
        return text
    return f"{text} ({shown})" if text else shown


def _inline(children, keep_spaces=False):
    parts = []
    for child in children:
        if isinstance(child, str):
            parts.append(child if keep_spaces else SPACES.sub(" ", child))
        elif child.tag == "br":
            parts.append("\n")
        elif child.tag == "img":
            parts.append(child.attrs.get("alt") or "")
        elif child.tag == "a":
            parts.append(_link(child))
        else:
            parts.append(_inline(child.children, keep_spaces))
    return "".join(parts)


def _clean_lines(text):
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def _indent(text, prefix, rest=None):
    rest = " " * len(prefix) if rest is None else rest
    lines = text.split("\n")
    return "\n".join([prefix + lines[0], *(rest + line if line else line for line in lines[1:])])


def _list(node):
    items = [child for child in node.children if isinstance(child, Node) and child.tag == "li"]
    start = int(node.attrs.get("start") or 1) if node.tag == "ol" else 1
    lines = []
    for number, item in enumerate(items, start):
        marker = f"{number}. " if node.tag == "ol" else "- "
        lines.append(_indent("\n".join(_blocks(item.children)), marker))
    return "\n".join(lines)


def _table(node):
    rows = []
    for row in _descendants(node, "tr"):
        cells = [child for child in row.children if isinstance(child, Node)]
        rows.append(" | ".join(_clean_lines(_inline(cell.children)) for cell in cells))
    return "\n".join(rows)


def _descendants(node, tag):
    for child in node.children:
        if isinstance(child, Node):
            if child.tag == tag:
                yield child
            else:
                yield from _descendants(child, tag)


def _block(node):
    if node.tag in {"ul", "ol"}:
        return _list(node)
    if node.tag == "blockquote":
        quoted = "\n\n".join(_blocks(node.children))
        return _indent(quoted, INDENT, INDENT)
    if node.tag == "pre":
        return _inline(node.children, keep_spaces=True).strip("\n")
    if node.tag == "table":
        return _table(node)
    if node.tag == "hr":
        return "----"
    if node.tag == "dl":
        terms = [child for child in node.children if isinstance(child, Node)]
        return "\n".join(
            _clean_lines(_inline(term.children))
            if term.tag == "dt"
            else _indent(_clean_lines(_inline(term.children)), INDENT, INDENT)
            for term in terms
        )
    return _clean_lines(_inline(node.children))


def _blocks(children):
    """Block-level children as paragraphs; loose inline content makes a paragraph too."""
    blocks, run = [], []

    def flush():
        if text := _clean_lines(_inline(run)):
            blocks.append(text)
        run.clear()

    for child in children:
        if isinstance(child, Node) and child.tag in BLOCKS:
            flush()
            if text := _block(child):
                blocks.append(text)
        else:
            run.append(child)
    flush()
    return blocks


def html_to_text(html):
    builder = TreeBuilder()
    builder.feed(str(html))
    builder.close()
    return "\n\n".join(_blocks(builder.root.children))


def markdown_to_text(text):
    """Markdown as a readable plain text, same-site links written out in full."""
    return html_to_text(with_absolute_links(render_markdown(text).html))
