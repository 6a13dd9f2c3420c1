"""Signing off a translation needs the review permission for that language."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from knowaml.translations.groups import translators_group
from knowaml.translations.models import TranslationRecord

from .conftest import html


def review_url(article, language):
    return reverse(
        "admin:education_article_translation_action", args=[article.pk, language, "review"]
    )


def test_spanish_reviewer_cannot_sign_off_french(client, reviewer, relapse):
    client.force_login(reviewer)
    assert client.post(review_url(relapse, "fr")).status_code == 403
    assert not TranslationRecord.objects.filter(language="fr", reviewed_at__isnull=False)
    assert client.post(review_url(relapse, "es")).status_code == 302
    assert TranslationRecord.objects.filter(language="es", reviewed_at__isnull=False).exists()


def test_change_page_offers_review_only_for_the_reviewers_language(client, reviewer, relapse):
    client.force_login(reviewer)
    page = html(client.get(reverse("admin:education_article_change", args=[relapse.pk])))
    actions = [form["action"] for form in page.select(".translation-status form")]
    assert review_url(relapse, "es") in actions
    assert review_url(relapse, "fr") not in actions


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
