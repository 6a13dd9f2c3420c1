"""The weekly review-due digest: which health pages need a clinician's review soon, and
which read too hard for their readers.

Pages overdue by more than a grace period (setting ``REVIEW_GRACE_DAYS``) come first: the
public page already tells visitors it is being reviewed.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import EmailMultiAlternatives, mailers
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from knowaml.addresses import absolute_url
from knowaml.languages import language_codes
from knowaml.plain_language import max_reading_age, report

from .models import Article, Page

DUE_WITHIN_DAYS = 30
DEFAULT_GRACE_DAYS = 30
EDITORS_GROUP = "Editors"


def grace_days():
    """Days a page may be overdue for review before visitors are told it is being reviewed."""
    return getattr(settings, "REVIEW_GRACE_DAYS", DEFAULT_GRACE_DAYS)


def admin_change_url(obj):
    opts = obj._meta
    path = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    return absolute_url(path)


@dataclass
class DuePage:
    title: str
    kind: str
    next_review: datetime.date
    days_left: int
    admin_url: str

    @property
    def is_overdue(self):
        return self.days_left < 0

    @property
    def days_overdue(self):
        return -self.days_left

    def is_past_grace(self, grace):
        return self.days_overdue > grace


@dataclass
class HardPage:
    """A published page whose text, in one or more languages, reads above the target age."""

    title: str
    kind: str
    admin_url: str
    languages: list  # plain-language reports (knowaml.plain_language.report)


def pages_due_for_review(today=None, days=DUE_WITHIN_DAYS):
    """Published pages whose next review has passed or falls within ``days``, overdue first."""
    today = today or timezone.localdate()
    due = []
    for model in (Article, Page):
        pages = model.objects.published()
        pages = pages.review_overdue(today) | pages.review_due_within(days, today)
        for page in pages:
            due.append(
                DuePage(
                    title=str(page),
                    kind=str(model._meta.verbose_name),
                    next_review=page.next_review,
                    days_left=(page.next_review - today).days,
                    admin_url=admin_change_url(page),
                )
            )
    return sorted(due, key=lambda item: (item.next_review, item.title))


def pages_hard_to_read(maximum=None):
    """Published pages whose English or a translation needs a reading age above ``maximum``."""
    maximum = max_reading_age() if maximum is None else maximum
    hard = []
    for model in (Article, Page):
        for page in model.objects.published():
            reports = [report(page, code, glossary=False) for code in language_codes()]
            above = [
                item for item in reports if item["analysis"] and item["analysis"].is_above(maximum)
            ]
            if above:
                hard.append(
                    HardPage(
                        title=str(page),
                        kind=str(model._meta.verbose_name),
                        admin_url=admin_change_url(page),
                        languages=above,
                    )
                )
    return sorted(hard, key=lambda item: item.title)


def editors():
    """Active accounts with an address that edit articles: superusers, and staff who are
    in the Editors group or may change articles."""
    can_edit = Permission.objects.filter(
        content_type__app_label="education", codename="change_article"
    )
    staff_editors = Q(is_staff=True) & (
        Q(groups__name=EDITORS_GROUP)
        | Q(groups__permissions__in=can_edit)
        | Q(user_permissions__in=can_edit)
    )
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    return users.filter(Q(is_superuser=True) | staff_editors).distinct().order_by("pk")


def digest_message(due, to, today, hard_to_read=()):
    overdue = [page for page in due if page.is_overdue]
    grace = grace_days()
    context = {
        "past_grace": [page for page in overdue if page.is_past_grace(grace)],
        "overdue": [page for page in overdue if not page.is_past_grace(grace)],
        "due_soon": [page for page in due if not page.is_overdue],
        "hard_to_read": hard_to_read,
        "hard_count": len(hard_to_read),
        "count": len(due),
        "overdue_count": len(overdue),
        "days": DUE_WITHIN_DAYS,
        "grace_days": grace,
        "max_age": max_reading_age(),
        "today": today,
        "admin_url": absolute_url(reverse("admin:index")),
    }
    subject = render_to_string("education/email/review_digest_subject.txt", context)
    text = render_to_string("education/email/review_digest.txt", context)
    html = render_to_string("education/email/review_digest.html", context)
    message = EmailMultiAlternatives(" ".join(subject.split()), text, to=[to])
    message.attach_alternative(html, "text/html")
    return message


def send_review_digest(today=None, mailer="default"):
    """Email each editor the pages due for review, and those that read too hard; send
    nothing when no page is either.

    Returns ``(pages due, emails sent)``.
    """
    today = today or timezone.localdate()
    due = pages_due_for_review(today)
    addresses = list(dict.fromkeys(user.email for user in editors()))
    if not addresses:
        return len(due), 0
    # Editors read the admin in the site's main language.
    with translation.override(settings.LANGUAGE_CODE):
        hard = pages_hard_to_read()
        if not due and not hard:
            return 0, 0
        messages = [digest_message(due, address, today, hard) for address in addresses]
    sent = mailers[mailer].send_messages(messages)
    return len(due), sent or 0
