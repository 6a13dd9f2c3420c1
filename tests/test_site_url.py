"""Every absolute address the site writes comes from SITE_URL, never from the Host header.

A page cached after a request to a stray host name would otherwise hand that name to every
later visitor, search engine and feed reader.
"""

import json
from xml.etree import ElementTree

import pytest
from django.core import mail

from newsletter.emails import confirm_url
from newsletter.models import Subscriber

from .conftest import html

SITE = "https://knowaml.example"
OTHER_HOST = "other.test"
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, OTHER_HOST]


@pytest.fixture
def get_from_other_host(client):
    def get(url):
        response = client.get(url, HTTP_HOST=OTHER_HOST)
        assert response.status_code == 200, url
        assert OTHER_HOST not in response.content.decode(), url
        return response

    return get


def head_addresses(response):
    page = html(response)
    og = {meta["property"]: meta["content"] for meta in page.find_all("meta", property=True)}
    return {
        "canonical": page.find("link", rel="canonical")["href"],
        "og:url": og["og:url"],
        "alternates": {
            link["hreflang"]: link["href"]
            for link in page.find_all("link", rel="alternate", hreflang=True)
            if link.get("type") != "application/atom+xml"
        },
    }


def test_article_addresses_come_from_site_url(get_from_other_host, relapse):
    addresses = head_addresses(get_from_other_host("/es/comprender-la-lma/recaida/"))
    assert addresses == {
        "canonical": f"{SITE}/es/comprender-la-lma/recaida/",
        "og:url": f"{SITE}/es/comprender-la-lma/recaida/",
        "alternates": {
            "en": f"{SITE}/en/understanding-aml/relapse/",
            "es": f"{SITE}/es/comprender-la-lma/recaida/",
            "fr": f"{SITE}/fr/comprendre-la-lma/rechute/",
            "x-default": f"{SITE}/en/understanding-aml/relapse/",
        },
    }


def test_home_page_addresses_come_from_site_url(get_from_other_host, db):
    addresses = head_addresses(get_from_other_host("/fr/"))
    assert addresses["canonical"] == addresses["og:url"] == f"{SITE}/fr/"
    assert addresses["alternates"]["x-default"] == f"{SITE}/en/"
    assert addresses["alternates"]["ar"] == f"{SITE}/ar/"
    assert all(url.startswith(f"{SITE}/") for url in addresses["alternates"].values())


def test_story_addresses_come_from_site_url(get_from_other_host, rosa):
    addresses = head_addresses(get_from_other_host("/en/stories/caring-for-my-father/"))
    assert addresses == {
        "canonical": f"{SITE}/en/stories/caring-for-my-father/",
        "og:url": f"{SITE}/en/stories/caring-for-my-father/",
        "alternates": {
            "en": f"{SITE}/en/stories/caring-for-my-father/",
            "es": f"{SITE}/es/historias/cuidar-de-mi-padre/",
            "fr": f"{SITE}/fr/temoignages/prendre-soin-de-mon-pere/",
            "x-default": f"{SITE}/en/stories/caring-for-my-father/",
        },
    }


def test_article_structured_data_points_to_site_url(get_from_other_host, relapse):
    page = html(get_from_other_host("/en/understanding-aml/relapse/"))
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["url"] == f"{SITE}/en/understanding-aml/relapse/"


def test_sitemap_lists_only_site_url_addresses(get_from_other_host, site, rosa):
    sitemap = ElementTree.fromstring(get_from_other_host("/sitemap.xml").content)
    locations = [loc.text for loc in sitemap.findall("sm:url/sm:loc", NS)]
    alternates = [link.get("href") for link in sitemap.findall("sm:url/xhtml:link", NS)]
    assert f"{SITE}/es/comprender-la-lma/recaida/" in locations
    assert f"{SITE}/fr/temoignages/prendre-soin-de-mon-pere/" in locations
    assert alternates and all(url.startswith(f"{SITE}/") for url in locations + alternates)


def test_robots_txt_names_the_sitemap_at_site_url(get_from_other_host, db):
    body = get_from_other_host("/robots.txt").content.decode()
    assert f"Sitemap: {SITE}/sitemap.xml\n" in body


def test_stories_feed_links_and_ids_come_from_site_url(get_from_other_host, rosa, omar):
    feed = ElementTree.fromstring(get_from_other_host("/es/historias/atom.xml").content)
    links = {link.get("rel"): link.get("href") for link in feed.findall("atom:link", NS)}
    assert links == {"alternate": f"{SITE}/es/historias/", "self": f"{SITE}/es/historias/atom.xml"}
    assert feed.findtext("atom:id", namespaces=NS) == f"{SITE}/es/historias/"
    entry = feed.find("atom:entry", NS)
    assert entry.find("atom:link", NS).get("href") == f"{SITE}/es/historias/cuidar-de-mi-padre/"
    assert entry.findtext("atom:id", namespaces=NS) == f"{SITE}/es/historias/cuidar-de-mi-padre/"


def test_confirmation_email_links_to_site_url(post_signup):
    post_signup("ana@example.com", language="es", HTTP_HOST=OTHER_HOST)
    (message,) = mail.outbox
    address = confirm_url(Subscriber.objects.get())
    assert address.startswith(f"{SITE}/es/")
    assert address in message.body
    assert address in message.alternatives[0].content
    assert OTHER_HOST not in message.body + message.alternatives[0].content


def test_newsletter_issue_links_to_the_site_point_at_site_url(db, settings):
    from newsletter.emails import Edition
    from newsletter.models import Issue

    issue = Issue.objects.create(
        subject_en="News",
        body_en="Read [about relapse](/en/understanding-aml/relapse/) and "
        "[the trial](https://example.org/trial).\n\n![Chart](/media/chart.png)",
    )
    edition = Edition(issue, "en")
    assert f'href="{SITE}/en/understanding-aml/relapse/"' in edition.body_html
    assert f'src="{SITE}/media/chart.png"' in edition.body_html
    assert 'href="https://example.org/trial"' in edition.body_html
    assert f"about relapse ({SITE}/en/understanding-aml/relapse/)" in edition.body_text
    assert "the trial (https://example.org/trial)" in edition.body_text
