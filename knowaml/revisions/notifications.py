"""Tell the people who may decide on a submitted revision that it waits for them."""

import logging

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, mailers
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from education.review_digest import EDITORS_GROUP

from ..addresses import absolute_url
from ..languages import SOURCE_LANGUAGE, language_codes
from ..translations.models import review_permission
from .models import Revision

logger = logging.getLogger(__name__)
# Where group and account permissions are kept.
BACKEND = "django.contrib.auth.backends.ModelBackend"


def reviewers(revision):
    """Active accounts with an address who may decide on ``revision``, its author aside."""
    users = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")
    if revision.language != SOURCE_LANGUAGE:
        permission = f"translations.{review_permission(revision.language)}"
        users = users.intersection(
            get_user_model().objects.with_perm(
                permission, include_superusers=False, backend=BACKEND
            )
        )
    elif revision.kind == Revision.Kind.CLINICAL:
        users = users.intersection(
            get_user_model().objects.with_perm(
                "revisions.approve_clinical", include_superusers=False, backend=BACKEND
            )
        )
    else:
        users = users.filter(groups__name=EDITORS_GROUP)
    return [user for user in users if user.pk != revision.author_id]


def reader_language(revision):
    """A translation's reviewers hold that language's review right, so they read it."""
    return revision.language if revision.language in language_codes() else SOURCE_LANGUAGE


def review_message(revision, to):
    """The message in the active language, which names its language in a header."""
    context = {
        "revision": revision,
        "object": revision.content_object,
        "kind": revision.get_kind_display()
        if revision.language == SOURCE_LANGUAGE
        else gettext("Translation"),
        "author": revision.author.get_full_name() or revision.author.get_username()
        if revision.author
        else "",
        "url": absolute_url(reverse("admin:revisions_revision_change", args=[revision.pk])),
    }
    subject = render_to_string("revisions/email/submitted_subject.txt", context)
    text = render_to_string("revisions/email/submitted.txt", context)
    headers = {"Content-Language": translation.get_language()}
    return EmailMessage(" ".join(subject.split()), text, to=[to], headers=headers)


def notify_reviewers(revision, mailer="default"):
    """One email to each reviewer (nobody sees the others' addresses); returns how many."""
    addresses = list(dict.fromkeys(user.email for user in reviewers(revision)))
    with translation.override(reader_language(revision)):
        messages = [review_message(revision, address) for address in addresses]
    if not messages:
        return 0
    try:
        return mailers[mailer].send_messages(messages) or 0
    except OSError:
        logger.exception("Could not email the reviewers of revision %s", revision.pk)
        return 0
