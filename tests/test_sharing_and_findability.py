import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import translation

from knowaml.video import embed_url

from .conftest import html

SITE = "https://knowaml.example"


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.SITE_URL = SITE


def test_share_links_are_plain_links_to_the_page(client, relapse):
    page = html(client.get("/es/comprender-la-lma/recaida/"))
    share = page.select_one(".share")
    address = f"{SITE}/es/comprender-la-lma/recaida/"
    assert share["data-url"] == address
    links = {
        urlsplit(a["href"]).netloc or urlsplit(a["href"]).scheme: a["href"]
        for a in share.select("a")
    }
    assert set(links) == {"mailto", "wa.me", "www.facebook.com", "x.com"}
    assert parse_qs(urlsplit(links["www.facebook.com"]).query)["u"] == [address]
    assert address in parse_qs(urlsplit(links["wa.me"]).query)["text"][0]
    assert address in parse_qs(urlsplit(links["x.com"]).query)["url"][0]
    assert "Recaída" in links["mailto"] or "Reca%C3%ADda" in links["mailto"]
    for button in share.select("button"):
        assert button.has_attr("hidden"), "copy and native share appear only where they work"
    scripts = [s["src"] for s in page.find_all("script", src=True)]
    assert scripts == ["/static/js/site.js"]


def test_video_is_a_click_to_load_placeholder_with_transcript(client, relapse):
    relapse.video_url = "https://www.youtube.com/watch?v=abc123XYZ"
    relapse.video_title_en = "Relapse explained"
    relapse.transcript_en = "Hello. This is the transcript."
    relapse.save()
    page = html(client.get("/en/understanding-aml/relapse/"))
    assert not page.find("iframe"), "nothing loads from the video host before a click"
    box = page.select_one(".video-placeholder")
    assert box["data-embed"].startswith("https://www.youtube-nocookie.com/embed/abc123XYZ?")
    assert "cc_load_policy=1" in box["data-embed"]
    assert box.find("a", href="#transcript")
    assert "This is the transcript." in page.select_one("#transcript").get_text()


def test_embed_urls_use_privacy_enhanced_hosts_with_captions_in_the_language():
    assert embed_url("https://youtu.be/xyz", "ar").startswith(
        "https://www.youtube-nocookie.com/embed/xyz"
    )
    assert "cc_lang_pref=ar" in embed_url("https://youtu.be/xyz", "ar")
    assert embed_url("https://vimeo.com/12345", "es") == (
        "https://player.vimeo.com/video/12345?dnt=1&texttrack=es"
    )
    assert embed_url("https://evil.example/video", "en") is None


def test_article_has_meta_description_open_graph_and_medical_web_page_data(client, relapse):
    page = html(client.get("/en/understanding-aml/relapse/"))
    assert page.find("meta", attrs={"name": "description"})["content"] == "Summary of Relapse."
    og = {m["property"]: m["content"] for m in page.find_all("meta", property=True)}
    assert og["og:title"] == "Relapse"
    assert og["og:url"] == f"{SITE}/en/understanding-aml/relapse/"
    assert og["og:locale"] == "en_GB"
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["@type"] == "MedicalWebPage"
    assert data["lastReviewed"] == "2026-09-01"
    assert data["reviewedBy"]["name"] == "Dr Sample Reviewer"
    assert data["citation"][0]["url"] == "https://doi.org/10.1182/blood.2022016867"


def test_structured_data_cannot_be_broken_out_of(client, relapse):
    relapse.summary_en = "Hostile </script><script>alert(1)</script>"
    relapse.save()
    body = client.get("/en/understanding-aml/relapse/").content.decode()
    block = body.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert "<" not in block
    assert json.loads(block)["description"].startswith("Hostile </script>")


def test_robots_txt_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert f"Sitemap: {SITE}/sitemap.xml" in response.content.decode()


def test_sitemap_lists_articles_with_alternates_only_for_real_translations(client, relapse):
    body = client.get("/sitemap.xml").content.decode()
    assert f"{SITE}/en/understanding-aml/relapse/" in body
    assert f'hreflang="es" href="{SITE}/es/comprender-la-lma/recaida/"' in body
    assert "/de/understanding-aml/relapse/" not in body


def test_printed_article_carries_its_address(client, relapse):
    with translation.override("en"):
        page = html(client.get(relapse.get_absolute_url()))
    assert f"{SITE}/en/understanding-aml/relapse/" in page.select_one(".print-address").get_text()


def test_self_hosted_video_has_captions_in_the_page_language(client, relapse, settings, tmp_path):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    relapse.video_file_en.save("relapse.mp4", ContentFile(b"\x00" * 16), save=False)
    relapse.video_captions_en.save("relapse.en.vtt", ContentFile(b"WEBVTT\n"), save=False)
    relapse.video_captions_es.save("relapse.es.vtt", ContentFile(b"WEBVTT\n"), save=False)
    relapse.save()
    spanish = html(client.get("/es/comprender-la-lma/recaida/"))
    video = spanish.find("video")
    assert video["preload"] == "none" and video.has_attr("controls")
    assert video.source["src"].startswith("/media/videos/relapse")
    tracks = {t["srclang"]: t for t in video.find_all("track")}
    assert set(tracks) == {"en", "es"}
    assert tracks["es"].has_attr("default") and not tracks["en"].has_attr("default")
    assert all(t["kind"] == "captions" for t in tracks.values())
    german = html(client.get("/de/understanding-aml/relapse/"))
    assert german.find("track", srclang="en").has_attr("default"), "English captions otherwise"


def test_story_video_is_also_click_to_load(client, db, settings, tmp_path):
    from stories.models import Story

    settings.MEDIA_ROOT = tmp_path
    story = Story.objects.create(
        status="published",
        first_name="Omar",
        role="patient",
        consent_on_file="2026-01-01",
        published="2026-01-02",
        video_url="https://vimeo.com/76979871",
        title_en="Living with relapse",
        slug_en="living",
        summary_en="S.",
        body_en="B.",
        transcript_en="What Omar says in the video.",
    )
    with translation.override("en"):
        page = html(client.get(story.get_absolute_url()))
    assert not page.find("iframe")
    box = page.select_one(".video-placeholder")
    assert box["data-embed"].startswith("https://player.vimeo.com/video/76979871?dnt=1")
    assert "What Omar says" in page.select_one("#transcript").get_text()


def test_favicon_ico_leads_to_the_site_icon_without_a_cookie(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
    from django.contrib.staticfiles import finders

    assert finders.find("favicon.svg")
    assert not response.cookies and "public" in response["Cache-Control"]
