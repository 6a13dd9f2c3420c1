import pytest
from django.core.management import call_command
from django.utils import translation

from education.models import Article

from .test_accessibility import public_paths

KINDS = [
    "home",
    "section",
    "article",
    "translated-article",
    "page",
    "stories",
    "story",
    "glossary",
    "search",
    "newsletter",
]
PHONE = {"width": 390, "height": 844}

TITLE = """() => {
  const h1 = document.querySelector('h1');
  const next = h1.nextElementSibling;
  const urgent = document.querySelector('.urgent');
  return {h1: h1.getBoundingClientRect().top,
          next: next ? next.getBoundingClientRect().top : null,
          urgent: urgent && urgent.getBoundingClientRect().height > 0
                  && urgent.innerText.trim().length > 20,
          header: document.querySelector('.site-header').getBoundingClientRect().height};
}"""


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with translation.override("en"):
        call_command("load_demo", verbosity=0)
        call_command("load_demo_stories", verbosity=0)


def phone_paths(language):
    paths = public_paths(language)
    chosen = {kind: paths[kind] for kind in KINDS}
    if language == "en":
        with translation.override("de"):
            chosen["german fallback article"] = Article.objects.get(
                slug_en="what-is-aml"
            ).get_absolute_url()
    return chosen


@pytest.mark.parametrize("language", ["en", "ar"])
def test_on_a_phone_the_title_and_its_first_line_are_on_the_first_screen(context, demo, language):
    page = context.new_page()
    page.set_viewport_size(PHONE)
    late = {}
    for kind, path in phone_paths(language).items():
        page.goto(path)
        where = page.evaluate(TITLE)
        assert where["urgent"], (kind, "the urgent-help note is on every page")
        assert where["header"] < 90, (kind, "the header is one row")
        if not (where["h1"] < 400 and where["next"] is not None and where["next"] < 844):
            late[kind] = where
    assert not late, late


@pytest.mark.parametrize("language", ["en", "ar"])
def test_phone_menus_open_from_the_keyboard_without_javascript(
    browser, live_server, demo, language
):
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(public_paths(language)["article"])
    assert not page.locator(".main-nav").is_visible()
    assert not page.locator(".languages a").first.is_visible()
    brand = page.locator(".brand").bounding_box()
    for menu in (".languages summary", ".site-menu > summary"):
        box = page.locator(menu).bounding_box()
        assert abs(box["y"] + box["height"] / 2 - (brand["y"] + brand["height"] / 2)) < 12
    page.locator(".site-menu > summary").focus()
    page.keyboard.press("Enter")
    assert page.locator(".main-nav").is_visible()
    assert page.locator("header input[type=search]").is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "search"
    page.locator(".languages summary").focus()
    page.keyboard.press("Enter")
    spanish = page.locator('.languages a[lang="es"]')
    assert spanish.is_visible()
    assert not page.locator(".main-nav").is_visible(), "one menu open at a time"
    spanish.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/es/**")
    context.close()


def test_escape_closes_a_phone_menu(context, demo):
    page = context.new_page()
    page.set_viewport_size(PHONE)
    page.goto("/en/")
    summary = page.locator(".site-menu > summary")
    summary.click()
    page.locator(".main-nav a").first.focus()
    page.keyboard.press("Escape")
    assert not page.locator(".main-nav").is_visible()
    assert summary.evaluate("e => e === document.activeElement")


def test_wide_screens_show_the_whole_header_without_menus(context, demo):
    page = context.new_page()
    page.set_viewport_size({"width": 1366, "height": 900})
    for language in ("en", "ar"):
        page.goto(f"/{language}/")
        assert page.locator(".languages a").count() == 5
        assert all(link.is_visible() for link in page.locator(".languages a").all())
        assert page.locator(".main-nav").is_visible()
        assert page.locator("header input[type=search]").is_visible()
        assert not page.locator(".disclosure > summary").first.is_visible()
        assert page.locator(".site-header").bounding_box()["height"] < 150
        assert page.locator(".urgent__full").is_visible()
