"""The groups staff are given: made by a migration, repaired by ``manage.py create_groups``."""

import io

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from knowaml.translations.groups import NEWSLETTER_SENDERS_GROUP, group_permissions
from knowaml.translations.roles import is_translator, languages_for

TRANSLATOR_GROUPS = {
    "es": "Translators – Spanish",
    "fr": "Translators – French",
    "de": "Translators – German",
    "ar": "Translators – Arabic",
}


def permissions_of(name):
    group = Group.objects.get(name=name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def member_of(name, username="member"):
    user = get_user_model().objects.create_user(
        username, f"{username}@example.org", "pw", is_staff=True
    )
    user.groups.add(Group.objects.get(name=name))
    return get_user_model().objects.get(pk=user.pk)


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_migration_makes_a_group_for_editors_senders_and_each_translated_language(db):
    names = set(Group.objects.values_list("name", flat=True))
    languages = [code for code, _name in settings.LANGUAGES if code != "en"]
    assert {"Editors", "Newsletter senders", *(TRANSLATOR_GROUPS[c] for c in languages)} <= names
    for name, wanted in group_permissions().items():
        assert permissions_of(name) == set(wanted), name


def test_editors_change_content_but_never_export_or_erase_subscribers(db):
    editors = permissions_of("Editors")
    assert {
        "education.change_article",
        "education.add_article",
        "stories.change_story",
        "translations.edit_all_languages",
    } <= editors
    assert not {p for p in editors if p.startswith("newsletter.")}
    assert "education.delete_article" not in editors


def test_senders_send_and_see_subscribers_but_cannot_export_erase_or_change_them(db):
    senders = permissions_of(NEWSLETTER_SENDERS_GROUP)
    assert {
        "newsletter.send_issue",
        "newsletter.change_issue",
        "newsletter.view_subscriber",
    } <= senders
    refused = {
        "newsletter.export_subscribers",
        "newsletter.erase_subscribers",
        "newsletter.change_subscriber",
        "newsletter.delete_subscriber",
    }
    assert not senders & refused


def test_translators_translate_and_review_their_language_and_only_view_the_rest(db):
    spanish = permissions_of("Translators – Spanish")
    assert "translations.translate_es" in spanish
    assert "translations.review_es" in spanish, "translators check each other's work"
    assert "translations.translate_fr" not in spanish
    assert "translations.review_fr" not in spanish
    own = {"translations.translate_es", "translations.review_es"}
    assert {p for p in spanish if p not in own} == {
        p for p in spanish if p.split(".")[1].startswith("view_")
    }
    assert {"education.view_article", "newsletter.view_issue"} <= spanish


def test_create_groups_is_idempotent_and_repairs_permissions(db):
    editors = Group.objects.get(name="Editors")
    editors.permissions.remove(Permission.objects.get(codename="change_article"))
    editors.permissions.add(Permission.objects.get(codename="export_subscribers"))
    Group.objects.get(name="Translators – German").delete()
    out = io.StringIO()
    call_command("create_groups", stdout=out)
    report = out.getvalue()
    assert "Editors: added education.change_article" in report
    assert "Editors: removed newsletter.export_subscribers" in report
    assert "Translators – German: created" in report
    for name, wanted in group_permissions().items():
        assert permissions_of(name) == set(wanted), name
    again = io.StringIO()
    call_command("create_groups", stdout=again)
    assert again.getvalue().strip() == "Every group already has exactly its permissions."
    assert Group.objects.filter(name="Editors").count() == 1


def test_a_translator_by_group_works_in_their_language_only(relapse):
    translator = member_of("Translators – Spanish")
    assert is_translator(translator) and languages_for(translator) == ["es"]
    page = signed_in(translator).get(reverse("admin:education_article_change", args=[relapse.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'name="title_es"' in text and 'name="title_fr"' not in text


def test_an_editor_by_group_edits_articles_but_cannot_see_subscribers(relapse, make_subscriber):
    make_subscriber(email="private@example.com")
    client = signed_in(member_of("Editors"))
    assert (
        client.get(reverse("admin:education_article_change", args=[relapse.pk])).status_code == 200
    )
    listing = client.get(reverse("admin:newsletter_subscriber_changelist"))
    assert listing.status_code == 403
    assert "private@example.com" not in listing.content.decode()


@pytest.mark.parametrize("action", ["export_csv", "erase", "mark_bounced"])
def test_a_sender_by_group_sees_subscribers_but_cannot_export_or_erase(action, make_subscriber):
    reader = make_subscriber(email="private@example.com")
    client = signed_in(member_of(NEWSLETTER_SENDERS_GROUP))
    url = reverse("admin:newsletter_subscriber_changelist")
    listing = client.get(url)
    assert "private@example.com" in listing.content.decode()
    assert f'value="{action}"' not in listing.content.decode()
    response = client.post(url, {"action": action, "_selected_action": [reader.pk], "index": 0})
    assert "attachment" not in response.get("Content-Disposition", "")
    reader.refresh_from_db()
    assert reader.email == "private@example.com" and reader.status == "confirmed"


def test_a_sender_by_group_sends_an_issue(issue, subscribers, django_capture_on_commit_callbacks):
    client = signed_in(member_of(NEWSLETTER_SENDERS_GROUP))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:newsletter_issue_send", args=[issue.pk]), {"confirm": "send"})
    assert len(mail.outbox) == len(subscribers)
