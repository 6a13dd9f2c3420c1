"""Every page type stays light on a phone: HTML, CSS and JS under 50 KB compressed, no fonts."""

import gzip
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

from .conftest import html

BUDGET = 50 * 1024


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)
    call_command("load_demo_stories", verbosity=0)


def asset_bytes(url):
    path = finders.find(url.removeprefix(settings.STATIC_URL))
    assert path, url
    with open(path, "rb") as file:
        return file.read()


def content_pages(client, language):
    """Home, then every page the home page and its first section link to, once each."""
    home = html(client.get(f"/{language}/", follow=True))
    links = {a["href"] for a in home.select("main a[href^='/'], header a[href^='/']")}
    return [f"/{language}/", *sorted(u for u in links if u.startswith(f"/{language}/"))]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_linked_page_weighs_under_50_kb_compressed(demo, client, language):
    weighed = 0
    for url in content_pages(client, language):
        response = client.get(url, headers={"accept-encoding": "gzip"})
        if response.status_code != 200:
            continue
        body = response.content
        if response.get("Content-Encoding") != "gzip":
            body = gzip.compress(body)
        page = html(client.get(url))
        assets = [link["href"] for link in page.select("link[rel=stylesheet]")]
        assets += [script["src"] for script in page.select("script[src]")]
        total = len(body) + sum(len(gzip.compress(asset_bytes(a))) for a in assets)
        assert total <= BUDGET, f"{url}: {total} bytes"
        weighed += 1
    assert weighed >= 10


def test_no_web_fonts():
    for name in ("css/site.css", "css/header.css"):
        path = finders.find(name)
        if path:
            css = open(path, encoding="utf-8").read()
            assert not re.search(r"@font-face|@import|url\(\s*['\"]?https?:", css), name
