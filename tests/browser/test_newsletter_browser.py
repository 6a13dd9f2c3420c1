"""The newsletter in a real browser: the editor's buttons and the sign-up language menus."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import translation

from newsletter.models import Delivery
from tests.newsletter_fixtures import signup_url

from .conftest import log_in


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser(
        "editor", "editor@example.org", "not-the-demo-password"
    )


def test_editor_sends_a_test_to_their_own_address(
    context, page, live_server, client, editor, issue
):
    log_in(context, live_server, client, editor)
    page.goto(f"/admin/newsletter/issue/{issue.pk}/change/")
    page.get_by_label("Language of the test").select_option("es")
    page.get_by_role("button", name="Send a test to my own address").click()
    page.wait_for_load_state()
    assert "Test sent to editor@example.org" in page.locator(".messagelist .success").inner_text()
    assert [message.to for message in mail.outbox] == [["editor@example.org"]]
    assert mail.outbox[0].subject == "[TEST] Noticias de la LMA de noviembre"
    assert not Delivery.objects.exists()


def test_editor_confirms_before_an_issue_goes_out(
    context, page, live_server, client, editor, issue, subscribers
):
    log_in(context, live_server, client, editor)
    page.goto(f"/admin/newsletter/issue/{issue.pk}/change/")
    page.get_by_role("link", name="Send to 4 subscribers…").click()
    summary = page.locator("#content").inner_text()
    assert "Spanish: 1" in summary and "4 subscribers in all" in summary
    assert not mail.outbox
    page.get_by_role("button", name="Yes, send it now").click()
    page.wait_for_load_state()
    assert "queued" in page.locator(".messagelist .success").inner_text()
    assert len(mail.outbox) == 4


@pytest.mark.parametrize("language", ["es", "ar"])
def test_signup_menus_start_on_the_pages_language(page, site, language):
    with translation.override(language):
        article = site["articles"][0].get_absolute_url()
    for url in (f"/{language}/", article, signup_url(language)):
        page.goto(url)
        menus = page.locator("form.newsletter-form select[name=language]").all()
        assert menus, url
        for menu in menus:
            assert menu.input_value() == language, url
