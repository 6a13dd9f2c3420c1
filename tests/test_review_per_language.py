"""Signing off a translation needs the review permission for that language."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from knowaml.revisions import workflow
from knowaml.translations.groups import translators_group
from knowaml.translations.models import TranslationRecord

from .conftest import grant, html


def submitted(article, language, author):
    """A translation revision of the live ``article`` waiting for review."""
    title = {"es": "Recaída revisada", "fr": "Rechute révisée"}[language]
    return workflow.propose(article, {f"title_{language}": title}, author, submit=True)


def action_url(revision, action):
    return reverse("admin:revisions_revision_action", args=[revision.pk, action])


@pytest.fixture
def author(db):
    user = get_user_model().objects.create_user("tina", "tina@example.org", "pw", is_staff=True)
    return grant(user, "translate_es", "translate_fr")


def test_spanish_reviewer_cannot_sign_off_french(client, reviewer, author, relapse):
    french, spanish = submitted(relapse, "fr", author), submitted(relapse, "es", author)
    client.force_login(reviewer)
    assert client.post(action_url(french, "approve"), {"role": ""}).status_code == 403
    assert not TranslationRecord.objects.filter(language="fr", reviewed_at__isnull=False)
    assert client.post(action_url(spanish, "approve"), {"role": ""}).status_code == 302
    assert TranslationRecord.objects.filter(language="es", reviewed_at__isnull=False).exists()
    relapse.refresh_from_db()
    assert (relapse.title_es, relapse.title_fr) == ("Recaída revisada", "Rechute")


def test_change_page_offers_review_only_for_the_reviewers_language(
    client, reviewer, author, relapse
):
    french, spanish = submitted(relapse, "fr", author), submitted(relapse, "es", author)
    client.force_login(reviewer)
    page = html(client.get(reverse("admin:education_article_change", args=[relapse.pk])))
    assert not page.select(".translation-status form[action$='/review/']"), "no Mark reviewed"
    review = html(client.get(reverse("admin:revisions_revision_change", args=[spanish.pk])))
    assert [form["action"] for form in review.select("form")].count(
        action_url(spanish, "approve")
    ) == 1
    assert (
        client.get(reverse("admin:revisions_revision_change", args=[french.pk])).status_code == 403
    )


@pytest.mark.django_db
def test_each_translators_group_reviews_its_own_language_only():
    for code, other in (("es", "ar"), ("ar", "fr")):
        held = set(
            Group.objects.get(name=translators_group(code)).permissions.values_list(
                "codename", flat=True
            )
        )
        assert f"review_{code}" in held
        assert f"review_{other}" not in held


@pytest.mark.django_db
def test_the_all_languages_review_permission_is_gone():
    assert not Permission.objects.filter(codename="review_translation").exists()
    assert Permission.objects.filter(codename__in=["review_es", "review_ar"]).count() == 2
