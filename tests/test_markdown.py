import pytest
from django.utils import translation

from .conftest import html, make_article, page_text

HOSTILE = """Hello.

<script>alert("x")</script>

[Click me](javascript:alert(1)) and [ok](https://www.nhs.uk/)

<iframe src="https://evil.example/"></iframe>

<img src="https://tracker.example/pixel.gif" onerror="alert(1)">

![remote](https://tracker.example/a.png)

## Heading with <b onclick="alert(1)">bold</b>
"""


@pytest.fixture
def hostile(section):
    return make_article(section, en=page_text("hostile", "Hostile", HOSTILE))


def test_markdown_with_script_and_javascript_links_renders_harmless(client, hostile):
    with translation.override("en"):
        response = client.get(hostile.get_absolute_url())
    prose = html(response).select_one(".prose")
    assert not prose.find_all(["script", "iframe"])
    assert "<script>" not in str(prose)
    for link in prose.find_all("a"):
        assert not link.get("href", "").lower().startswith("javascript")
    assert prose.find("a", href="https://www.nhs.uk/")
    for img in prose.find_all("img"):
        assert not img.get("src"), "images from other hosts are dropped"
    assert not [tag for tag in prose.find_all(True) if any(a.startswith("on") for a in tag.attrs)]
    assert 'alert("x")' in prose.get_text(), "raw HTML is shown as text, not run"


def test_sub_headings_keep_their_anchors(client, relapse):
    prose = html(client.get("/en/understanding-aml/relapse/")).select_one(".prose")
    assert [h["id"] for h in prose.find_all("h2")] == ["why-it-happens", "refractory-aml"]


def test_arabic_headings_get_arabic_anchors(client, section):
    body = "مقدمة.\n\n## الانتكاس\n\nنص."
    article = make_article(
        section, en=page_text("ar-test"), ar={**page_text("اختبار", "اختبار", body)}
    )
    with translation.override("ar"):
        page = html(client.get(article.get_absolute_url()))
    assert page.find("h2", id="الانتكاس")
    assert page.select_one(".toc a")["href"] == "#الانتكاس"


def test_headings_never_take_the_pages_own_ids(client, section):
    body = "Intro.\n\n## Main\n\nText.\n\n## Feedback\n\nText.\n\n## Transcript\n\nMore."
    article = make_article(section, en=page_text("ids", "Ids", body))
    with translation.override("en"):
        page = html(client.get(article.get_absolute_url()))
    assert len(page.select("#main")) == 1 and page.select_one("#main").name == "main"
    assert [h["id"] for h in page.select(".prose h2")] == [
        "main-section",
        "feedback-section",
        "transcript-section",
    ]


def test_images_from_other_hosts_disguised_as_paths_are_dropped():
    from knowaml.rendering import render_markdown

    html_out = str(render_markdown("![x](/\\\\evil.example/p.png) ![y](/media/ok.png)").html)
    assert "evil.example" not in html_out
    assert 'src="/media/ok.png"' in html_out
