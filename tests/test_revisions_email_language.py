"""Reviewers are emailed in a language they read: a translation's reviewers in its language."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail

from knowaml.revisions import workflow

from .conftest import grant


def test_an_arabic_translation_is_announced_in_arabic_and_english_changes_in_english(
    relapse, translator_ar, django_capture_on_commit_callbacks
):
    users = get_user_model().objects
    grant(users.create_user("nadia", "nadia@example.org", "pw", is_staff=True), "review_ar")
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        workflow.propose(relapse, {"title_ar": "الانتكاس"}, translator_ar, submit=True)
    [message] = mail.outbox
    assert message.to == ["nadia@example.org"]
    assert message.extra_headers["Content-Language"] == "ar"
    assert message.subject.startswith("ترجمة للمراجعة (العربية)")
    assert "راجعه هنا:" in message.body and "Review it here" not in message.body
    assert "العربية" in message.body and "Arabic" not in message.body

    admin = users.create_superuser("boss", "boss@example.org", "pw")
    clinician = users.create_user("clara", "clara@example.org", "pw", is_staff=True)
    clinician.user_permissions.add(Permission.objects.get(codename="approve_clinical"))
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        workflow.propose(relapse, {"body_en": "New."}, admin, submit=True)
    [message] = mail.outbox
    assert message.extra_headers["Content-Language"] == "en"
    assert message.subject.startswith("Clinical change to review")
    assert "Review it here:" in message.body
