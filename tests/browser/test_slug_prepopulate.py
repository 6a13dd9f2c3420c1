"""An editor typing a title sees the address fill in; a translator typing theirs, too."""

from .conftest import log_in


def test_english_slug_fills_in_from_the_title_as_the_editor_types(
    context, page, live_server, client, admin_user, section
):
    log_in(context, live_server, client, admin_user)
    page.goto("/admin/education/article/add/")
    page.locator("#id_title_en").press_sequentially("Living with AML: day to day")
    assert page.input_value("#id_slug_en") == "living-with-aml-day-to-day"


def test_arabic_translator_gets_an_arabic_slug_from_the_arabic_title(
    context, page, live_server, client, translator_ar, relapse
):
    log_in(context, live_server, client, translator_ar)
    page.goto(f"/admin/education/article/{relapse.pk}/change/")
    title = page.locator("#id_title_ar")
    title.press_sequentially("الانتكاس بعد الهدأة")
    # Playwright inserts letters missing from its US keyboard without key events; an Arabic
    # keyboard sends them, and Django's script listens for keyup.
    title.press("End")
    assert page.input_value("#id_slug_ar") == "الانتكاس-بعد-الهدأة"
