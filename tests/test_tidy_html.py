"""Public pages arrive without template indentation and with readable addresses, and a
browser shows and follows them exactly as before."""

from urllib.parse import quote

from django.utils import translation

from education.models import Reference
from knowaml.tidyhtml import tidy_html

from .conftest import html


def test_indentation_goes_but_every_word_stays_apart():
    page = b"<ul>\n    <li><a href='/x/'>One</a>\n      </li>\n</ul>\n<p>Two\n   words</p>"
    assert tidy_html(page) == b"<ul>\n<li><a href='/x/'>One</a>\n</li>\n</ul>\n<p>Two\nwords</p>"


def test_preformatted_text_and_text_boxes_are_kept_as_written():
    page = b"<pre>\n  line\n    indented\n</pre>\n  <textarea>\n  typed\n</textarea>"
    assert (
        tidy_html(page) == b"<pre>\n  line\n    indented\n</pre>\n<textarea>\n  typed\n</textarea>"
    )


def test_site_links_and_forms_keep_their_letters():
    arabic = quote("/ar/قصص/")
    page = f'<a href="{arabic}">x</a><form action="{arabic}"></form>'.encode()
    assert tidy_html(page).decode() == '<a href="/ar/قصص/">x</a><form action="/ar/قصص/"></form>'


def test_what_an_address_means_never_changes():
    kept = [
        "/en/search/?q=a%20b%26c",  # encoded spaces and ampersands stay encoded
        "/ar/%E2%80%AEevil/",  # a direction-changing character stays encoded
        "https://example.org/%D9%82/",  # other sites' addresses are theirs
    ]
    for address in kept:
        page = f'<a href="{address}">x</a>'.encode()
        assert tidy_html(page) == page, address
    # A browser encodes the letters again: the request is the one it always was.
    broken = "/ar/%D9%82%D8%D9%82/"
    tidied = tidy_html(f'<a href="{broken}">'.encode()).decode()[9:-2]
    assert "%" in tidied and quote(tidied, safe="/%") == broken


def test_an_arabic_page_links_by_letters_and_the_links_work(client, site, relapse):
    with translation.override("ar"):
        url = relapse.get_absolute_url()
    response = client.get(url)
    assert b"\n    " not in response.content
    page = html(response)
    links = [a["href"] for a in page.select("a[href^='/ar/']")]
    assert links and not [link for link in links if "%" in link]
    for link in {links[0], page.select_one("form.site-search")["action"]}:
        assert client.get(quote(link)).status_code == 200, link


def test_admin_pages_are_left_alone(admin_client, relapse):
    Reference.objects.create(article=relapse, citation="A study.", url="https://example.org/")
    response = admin_client.get(f"/admin/education/article/{relapse.pk}/change/")
    assert b"\n    " in response.content
