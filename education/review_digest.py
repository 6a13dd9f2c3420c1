"""The weekly review-due digest: which health pages need a clinician's review soon."""

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

from .models import Article, Page

DUE_WITHIN_DAYS = 30
EDITORS_GROUP = "Editors"


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


def pages_due_for_review(today=None, days=DUE_WITHIN_DAYS):
    """Published pages whose next review has passed or falls within ``days``, overdue first."""
    today = today or timezone.localdate()
    due = []
    for model in (Article, Page):
        pages = model.objects.published()
        pages = pages.review_overdue(today) | pages.review_due_within(days, today)
        for page in pages:
            opts = model._meta
            path = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[page.pk])
            due.append(
                DuePage(
                    title=str(page),
                    kind=str(opts.verbose_name),
                    next_review=page.next_review,
                    days_left=(page.next_review - today).days,
                    admin_url=absolute_url(path),
                )
            )
    return sorted(due, key=lambda item: (item.next_review, item.title))


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


def digest_message(due, to, today):
    overdue = [page for page in due if page.is_overdue]
    context = {
        "overdue": overdue,
        "due_soon": [page for page in due if not page.is_overdue],
        "count": len(due),
        "overdue_count": len(overdue),
        "days": DUE_WITHIN_DAYS,
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
    """Email each editor the list of pages due for review; send nothing when none is due.

    Returns ``(pages due, emails sent)``.
    """
    today = today or timezone.localdate()
    due = pages_due_for_review(today)
    if not due:
        return 0, 0
    addresses = list(dict.fromkeys(user.email for user in editors()))
    # Editors read the admin in the site's main language.
    with translation.override(settings.LANGUAGE_CODE):
        messages = [digest_message(due, address, today) for address in addresses]
    sent = mailers[mailer].send_messages(messages) if messages else 0
    return len(due), sent or 0
