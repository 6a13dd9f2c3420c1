from urllib.parse import urlsplit

from django.utils import translation

from tests.conftest import make_article, page_text

HOSTILE = """Hello.

<script>window.__injected = true</script>

<img src="x" onerror="window.__injected = true">

[click](javascript:window.__injected=true)

<iframe src="https://evil.example/"></iframe>
"""


def test_no_injected_script_runs(page, section):
    article = make_article(section, en=page_text("hostile", "Hostile", HOSTILE))
    dialogs = []
    page.on("dialog", lambda dialog: dialogs.append(dialog) or dialog.dismiss())
    with translation.override("en"):
        page.goto(article.get_absolute_url())
    for link in page.locator(".prose a").all():
        link.click(no_wait_after=True)
    assert page.evaluate("window.__injected === undefined")
    assert not dialogs
    assert page.locator("iframe").count() == 0


def test_public_pages_request_nothing_from_other_hosts_and_set_no_cookie(
    page, context, live_server, site
):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    relapse = site["articles"][1]
    relapse.video_url = "https://www.youtube.com/watch?v=abc123"
    relapse.save()
    for language in ("en", "ar"):
        with translation.override(language):
            paths = [f"/{language}/", relapse.get_absolute_url(), site["about"].get_absolute_url()]
        for path in paths:
            page.goto(path)
            page.wait_for_load_state("networkidle")
    hosts = {urlsplit(url).netloc for url in requests if not url.startswith("data:")}
    assert hosts == {urlsplit(live_server.url).netloc}
    assert context.cookies() == []


def test_video_loads_only_after_a_click(page, context, relapse):
    relapse.video_url = "https://www.youtube.com/watch?v=abc123"
    relapse.save()
    video_requests = []
    context.route(
        "https://www.youtube-nocookie.com/**",
        lambda route: video_requests.append(route.request.url) or route.fulfill(body="player"),
    )
    page.goto("/en/understanding-aml/relapse/")
    assert page.locator("iframe").count() == 0
    assert not video_requests
    with page.expect_request("https://www.youtube-nocookie.com/**"):
        page.get_by_role("button", name="Play the video").click()
    frame = page.locator("iframe.video-frame")
    frame.wait_for()
    assert frame.get_attribute("src").startswith("https://www.youtube-nocookie.com/embed/abc123")
    assert video_requests


def test_print_shows_the_article_references_review_dates_and_address(page, relapse):
    page.goto("/en/understanding-aml/relapse/")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".share").is_visible()
    assert page.locator(".references").is_visible()
    assert page.locator(".review-box").is_visible()
    address = page.locator(".print-address")
    assert address.is_visible()
    assert "/en/understanding-aml/relapse/" in address.inner_text()
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF")
