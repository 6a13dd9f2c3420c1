import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from education.models import Article, Page, Section

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with translation.override("en"):
        call_command("load_demo", verbosity=0)
        call_command("load_demo_stories", verbosity=0)


def public_paths(language):
    from newsletter.models import Subscriber
    from newsletter.tokens import make_confirm_token
    from stories.models import Story

    reader, _ = Subscriber.objects.get_or_create(
        email=f"reader-{language}@example.org", defaults={"language": language}
    )

    with translation.override(language):
        article = Article.objects.get(slug_en="relapse")
        story = Story.objects.published().order_by("-published").first()
        return {
            "home": f"/{language}/",
            "section": Section.objects.first().get_absolute_url(),
            "article": article.get_absolute_url(),
            "translated-article": Article.objects.get(slug_en="what-is-aml").get_absolute_url(),
            "page": Page.objects.get(slug_en="about-us").get_absolute_url(),
            "stories": f"/{language}/" + str(translation.gettext("stories/")),
            "story": story.get_absolute_url(),
            "glossary": reverse("glossary"),
            "search": reverse("search") + "?q=leukaemia",  # several pages of results
            "misspelt-search": reverse("search") + "?q=chemoterapy",  # "Did you mean"
            "empty-search": reverse("search"),
            "newsletter": reverse("newsletter:signup"),
            "confirm": reverse("newsletter:confirm", args=[make_confirm_token(reader)]),
            "preferences": reverse("newsletter:preferences", args=[reader.token]),
            "unsubscribe": reverse("newsletter-unsubscribe", args=[reader.token]),
            "feedback-thanks": article.get_absolute_url() + "?feedback=thanks",
            "not-found": f"/{language}/no-such-page/",
        }


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_page_type_has_no_wcag_violations(page, demo, language):
    axe = Axe()
    failures = {}
    for kind, path in public_paths(language).items():
        page.goto(path)
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
        if results.violations_count:
            failures[kind] = results.generate_report()
    assert not failures, "\n\n".join(f"{kind}:\n{report}" for kind, report in failures.items())


def test_skip_link_is_first_visible_on_focus_and_moves_focus_to_main(page, demo):
    page.goto("/en/understanding-aml/relapse/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box["y"] >= 0 and box["height"] >= 24, "visible when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_focus_is_always_visible(page, demo):
    page.goto("/en/understanding-aml/relapse/")
    for _ in range(12):
        page.keyboard.press("Tab")
        outline = page.evaluate(
            "(() => { const s = getComputedStyle(document.activeElement);"
            " return [s.outlineStyle, s.outlineWidth, s.boxShadow]; })()"
        )
        assert outline[0] != "none" and outline[1] != "0px", outline


def test_keyboard_reaches_menus_and_forms(page, demo):
    page.goto("/en/")
    reached = set()
    for _ in range(200):
        page.keyboard.press("Tab")
        info = page.evaluate(
            "(() => { const e = document.activeElement;"
            " return [e.tagName, e.getAttribute('lang'), e.getAttribute('name'),"
            " e.closest('nav') && e.closest('nav').className]; })()"
        )
        reached.add(tuple(info))
        if info[0] == "BODY":
            break
    navs = {item[3] for item in reached}
    assert {"languages", "main-nav"} <= navs
    assert any(item[0] == "INPUT" and item[2] == "email" for item in reached), "newsletter box"


def test_the_language_switcher_works_from_the_keyboard(page, demo):
    page.goto("/en/understanding-aml/what-is-aml/")
    page.locator('.languages a[lang="es"]').focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/es/**")
    assert page.locator("html").get_attribute("lang") == "es"


TARGETS = "a, button, input:not([type=hidden]), select, textarea, summary"


@pytest.mark.parametrize("language", ["en", "ar"])
def test_targets_are_at_least_24_pixels(page, demo, language):
    for path in public_paths(language).values():
        page.goto(path)
        small = page.evaluate(
            """(selector) => [...document.querySelectorAll(selector)]
              .filter(e => e.offsetParent !== null && !e.closest('.visually-hidden'))
              .filter(e => !(e.tagName === 'A' && e.closest('p, li, dd, td, blockquote')
                             && e.parentElement.textContent.trim() !== e.textContent.trim()))
              .map(e => [e.outerHTML.slice(0, 80), e.getBoundingClientRect()])
              .filter(([, r]) => r.width < 24 || r.height < 24)
              .map(([html, r]) => `${html} ${Math.round(r.width)}x${Math.round(r.height)}`)""",
            TARGETS,
        )
        assert not small, (path, small)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_no_horizontal_scrolling_at_320_pixels(context, demo, language):
    page = context.new_page()
    page.set_viewport_size({"width": 320, "height": 640})
    for path in public_paths(language).values():
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, (path, width)


def test_reduced_motion_is_respected(page, demo):
    page.emulate_media(reduced_motion="reduce")
    page.goto("/en/")
    moving = page.evaluate(
        """() => [...document.querySelectorAll('*')].filter(e => {
              const s = getComputedStyle(e);
              return (s.animationName !== 'none' && s.animationDuration !== '0s')
                  || s.transitionDuration.split(',').some(d => parseFloat(d) > 0)
                  || s.scrollBehavior === 'smooth';
           }).map(e => e.tagName)"""
    )
    assert moving == []


def test_arabic_layout_is_mirrored(page, demo):
    page.goto(public_paths("ar")["translated-article"])
    assert page.locator("html").get_attribute("dir") == "rtl"
    brand = page.locator(".brand").bounding_box()
    languages = page.locator(".languages").bounding_box()
    assert brand["x"] > languages["x"], "the site name starts on the right"
    crumbs = page.locator(".breadcrumbs li").all()
    assert crumbs[0].bounding_box()["x"] > crumbs[1].bounding_box()["x"]
    separator = page.evaluate(
        "getComputedStyle(document.querySelectorAll('.breadcrumbs li')[1], '::before').content"
    )
    assert "‹" in separator, "the arrow points the reading way"
    toc = page.locator(".toc").evaluate(
        "e => [getComputedStyle(e).borderRightWidth, getComputedStyle(e).borderLeftWidth]"
    )
    assert toc[0] != "0px" and toc[1] == "0px", "the contents bar sits on the right"


def test_search_works_from_the_keyboard_alone(page, demo):
    page.goto("/en/understanding-aml/")
    field = page.locator("header input[type=search]")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "search":
            break
    assert field.evaluate("el => el === document.activeElement")
    page.keyboard.type("remission")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "q=remission" in page.url
    assert page.locator("mark").first.inner_text().lower() == "remission"
