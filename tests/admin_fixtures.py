"""Staff accounts with given permissions, and a site with a row for every admin."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from education.models import GlossaryTerm
from knowaml.feedback.models import Feedback
from knowaml.revisions import workflow
from knowaml.translations.models import TranslationRecord, source_hash
from knowaml.translations.registry import target_languages
from newsletter.models import Delivery, SubscriberAudit

from .stories_fixtures import make_story, story_text


def permission_objects(model, names):
    found = []
    for name in names:
        if "." in name:
            app_label, codename = name.split(".")
        else:
            app_label, codename = model._meta.app_label, f"{name}_{model._meta.model_name}"
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def staff_with(model, names, username="holder"):
    user = get_user_model().objects.create_user(
        username, f"{username}@example.org", "pw", is_staff=True
    )
    user.user_permissions.add(*permission_objects(model, names))
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def every_kind_of_row(site, issue, subscribers, admin_user, media_root):
    """At least one row for each model that has an admin, so every action has a target."""
    relapse = site["articles"][1]
    GlossaryTerm.objects.create(term_en="Blast", slug_en="blast", definition_en="A young cell.")
    make_story(en=story_text("sam"))
    Delivery.objects.create(issue=issue, subscriber=subscribers[0], status="sent")
    Feedback.objects.create(
        content_type=ContentType.objects.get_for_model(relapse),
        object_id=relapse.pk,
        language="en",
        path="/en/understanding-aml/relapse/",
        helpful=False,
        comment="Clear.",
    )
    SubscriberAudit.record(admin_user, SubscriberAudit.Action.EXPORT, 4)
    for code in target_languages():
        TranslationRecord.objects.update_or_create(
            content_type=ContentType.objects.get_for_model(relapse),
            object_id=relapse.pk,
            field="title",
            language=code,
            defaults={
                "source_hash": source_hash("an older English title"),
                "source_text": "an older English title",
                "translated_at": timezone.now(),
            },
        )
    # A revision waiting for review, so that its review steps have a target.
    workflow.propose(relapse, {"title_en": "Relapse, proposed"}, admin_user, submit=True)
    with_history = relapse.history.earliest()
    relapse.title_en = "Relapse, second version"
    relapse.save()
    return {"relapse": relapse, "history_id": with_history.history_id}


def login(user):
    client = Client()
    client.force_login(user)
    return client
