from axe_playwright_python.sync_playwright import Axe
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from knowaml.revisions.models import Revision

from ..conftest import make_article, page_text
from .conftest import log_in

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def test_an_arabic_revision_beside_the_live_text_right_to_left_at_every_width(
    browser, live_server, client, admin_user, section
):
    body = "قد يعود المرض بعد العلاج.\n\n## العلاج\n\nسيخطط فريقك للخطوة التالية."
    article = make_article(
        section, en=page_text("relapse"), ar=page_text("الانتكاس", "الانتكاس", body)
    )
    revision = Revision.objects.create(
        content_type=ContentType.objects.get_for_model(article),
        object_id=article.pk,
        language="ar",
        values={"body_ar": body.replace("للخطوة التالية", "معك")},
        live_values={"body_ar": body},
        state=Revision.State.SUBMITTED,
    )
    context = browser.new_context(
        base_url=live_server.url, locale="ar", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    try:
        log_in(context, live_server, client, admin_user)
        page.goto(reverse("revisions:preview", args=[revision.pk]))
        field = page.locator("section.revision-field-changed")
        live, proposed = field.locator(".word-diff-text").all()
        assert live.get_attribute("dir") == proposed.get_attribute("dir") == "rtl"
        assert proposed.get_attribute("lang") == "ar"
        added = proposed.locator("ins").first
        assert added.is_visible() and "معك" in added.inner_text()
        colour = added.evaluate("el => getComputedStyle(el).backgroundColor")
        assert colour not in ("rgba(0, 0, 0, 0)", "transparent"), "highlighted"
        assert live.locator("del").first.is_visible()

        first, second = live.bounding_box(), proposed.bounding_box()
        assert abs(first["y"] - second["y"]) < 5 and first["x"] != second["x"], "side by side"
        assert first["x"] > second["x"], "right to left: the live text on the right"

        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
        assert not results.violations_count, results.generate_report()

        page.set_viewport_size({"width": 390, "height": 844})
        first, second = live.bounding_box(), proposed.bounding_box()
        assert second["y"] >= first["y"] + first["height"], "stacked on a phone"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scroll"
    finally:
        context.close()
