import pytest
from django.utils import translation

from knowaml.feedback.models import Feedback

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_feedback_works_by_keyboard_without_javascript(browser, live_server, site, language):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 320, "height": 800}
    )
    page = context.new_page()
    with translation.override(language):
        page.goto(site["articles"][0].get_absolute_url())
    comment = page.locator("#feedback textarea")
    comment.focus()
    page.keyboard.type("Which words are hard?")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.value")
    assert focused == "no"
    box = page.locator("#feedback button[value=no]").bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24
    page.keyboard.press("Enter")
    page.wait_for_url("**?feedback=thanks#feedback")
    assert page.locator("#feedback [role=status]").is_visible()
    assert not page.evaluate("document.documentElement.scrollWidth > innerWidth")
    assert context.cookies() == []
    answer = Feedback.objects.get()
    assert (answer.helpful, answer.comment, answer.language) == (
        False,
        "Which words are hard?",
        language,
    )
    context.close()
