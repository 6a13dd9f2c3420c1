"""Whichever page people sign up on, the newsletter starts in that page's language."""

from urllib.parse import unquote

import pytest
from django.utils import translation

from newsletter.models import Subscriber

from .conftest import html
from .newsletter_fixtures import signup_url

LANGUAGES = ["en", "es", "fr", "de", "ar"]


def chosen(select):
    """The option a browser shows: the one marked selected, else the first."""
    option = select.select_one("option[selected]") or select.select_one("option")
    return option["value"]


def form_data(form):
    data = {field["name"]: field.get("value", "") for field in form.select("input[name]")}
    data.update({select["name"]: chosen(select) for select in form.select("select")})
    return data


@pytest.mark.parametrize("language", LANGUAGES)
def test_newsletter_page_signs_up_in_its_own_language_and_records_itself(
    client, post_signup, language
):
    url = signup_url(language)
    form = html(client.get(url)).select_one("#newsletter-page-form")
    assert chosen(form.select_one("select[name=language]")) == language
    assert form.select_one("[name=page]")["value"] == unquote(url)
    response = post_signup(url=url, data={**form_data(form), "email": "ana@example.com"})
    assert response.status_code == 200
    subscriber = Subscriber.objects.get()
    assert subscriber.language == language
    assert subscriber.consent_page == unquote(url)


@pytest.mark.parametrize("language", LANGUAGES)
def test_signup_box_on_every_page_starts_in_its_language(client, site, post_signup, language):
    with translation.override(language):
        pages = [f"/{language}/", site["articles"][1].get_absolute_url()]
    for number, url in enumerate(pages):
        form = html(client.get(url)).select_one(".newsletter-box form")
        assert chosen(form.select_one("select[name=language]")) == language, url
        email = f"reader{number}@example.com"
        post_signup(url=signup_url(language), data={**form_data(form), "email": email})
        subscriber = Subscriber.objects.get(email=email)
        assert (subscriber.language, subscriber.consent_page) == (language, unquote(url))


def test_a_form_sent_back_with_an_error_keeps_the_readers_choice(client, post_signup):
    response = post_signup("not an address", language="fr", url=signup_url("es"))
    assert response.status_code == 400
    form = html(response).select_one("#newsletter-page-form")
    assert chosen(form.select_one("select[name=language]")) == "fr"
    assert form.select_one(".form-error")
    assert "not an address" in form.select_one("[name=email]")["value"]
