"""The groups staff accounts are given: each holds only what its work needs.

The data migration and ``manage.py create_groups`` both build the groups from this one
definition. Superusers hold every permission; nobody else gets subscriber export or erasure
unless it is granted on purpose.
"""

from django.apps import apps as global_apps
from django.utils.translation import get_language_info

from education.review_digest import EDITORS_GROUP

from .models import review_permission, translate_permission
from .registry import target_languages, translatable_models

NEWSLETTER_SENDERS_GROUP = "Newsletter senders"
CLINICAL_REVIEWERS_GROUP = "Clinical reviewers"
CONTENT_MODELS = {
    "education": ["section", "article", "page", "reference", "glossaryterm"],
    "stories": ["story"],
}


def translators_group(language):
    # English, like the permission names ("Can translate into Spanish").
    return f"Translators – {get_language_info(language)['name']}"


def editors_permissions():
    return [
        *(
            f"{app}.{action}_{model}"
            for app, models in CONTENT_MODELS.items()
            for model in models
            for action in ("add", "change", "view")
        ),
        "education.delete_reference",  # references are edited inline with their article
        "stories.delete_story",  # a story must go when consent is withdrawn
        "feedback.view_feedback",
        "feedback.view_pagefeedback",
        "feedback.delete_feedback",  # a comment may carry personal details
        "translations.edit_all_languages",
        *(f"search.{action}_synonym" for action in ("add", "change", "view", "delete")),
        "search.view_searchcount",
        "search.delete_searchcount",  # someone may have typed a name
    ]


def newsletter_senders_permissions():
    return [
        "newsletter.add_issue",
        "newsletter.change_issue",
        "newsletter.view_issue",
        "newsletter.send_issue",
        "newsletter.view_delivery",
        "newsletter.view_subscriber",
    ]


def clinical_reviewers_permissions():
    """Approving clinical changes; reading and correcting the content they approve."""
    return [
        "revisions.approve_clinical",
        "revisions.view_revision",
        *(
            f"{app}.{action}_{model}"
            for app, models in CONTENT_MODELS.items()
            for model in models
            for action in ("view", "change")
        ),
    ]


def translators_permissions(language):
    return [
        f"translations.{translate_permission(language)}",
        # Translators of a language check each other's work, never their own.
        f"translations.{review_permission(language)}",
        *(
            f"{model._meta.app_label}.view_{model._meta.model_name}"
            for model in translatable_models()
        ),
    ]


def group_permissions():
    """{group name: ["app_label.codename", ...]} for every group the site defines."""
    return {
        EDITORS_GROUP: editors_permissions(),
        NEWSLETTER_SENDERS_GROUP: newsletter_senders_permissions(),
        CLINICAL_REVIEWERS_GROUP: clinical_reviewers_permissions(),
        **{translators_group(code): translators_permissions(code) for code in target_languages()},
    }


def sync_groups(apps=global_apps, exact=True):
    """Create the groups and give them their permissions; return what changed.

    With ``exact`` a group also loses permissions it should not hold (the command repairs);
    without it (the migration) nothing an operator granted earlier is taken away.
    Returns (group, "created" | "added" | "removed" | "missing", permission or "") rows.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    known = {
        f"{permission.content_type.app_label}.{permission.codename}": permission
        for permission in Permission.objects.select_related("content_type")
    }
    changes = []
    for name, wanted in group_permissions().items():
        group, created = Group.objects.get_or_create(name=name)
        if created:
            changes.append((name, "created", ""))
        changes += [(name, "missing", label) for label in wanted if label not in known]
        held = {
            f"{permission.content_type.app_label}.{permission.codename}"
            for permission in group.permissions.select_related("content_type")
        }
        to_add = [label for label in wanted if label in known and label not in held]
        to_remove = sorted(held - set(wanted)) if exact else []
        group.permissions.add(*(known[label] for label in to_add))
        group.permissions.remove(*(known[label] for label in to_remove))
        changes += [(name, "added", label) for label in to_add]
        changes += [(name, "removed", label) for label in to_remove]
    return changes
