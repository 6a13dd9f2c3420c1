"""Least privilege in the admin: every action and custom admin view checks its permission.

The walks below read the admin's own registry, so an action or view added later is walked
too: with a staff account that may only view, and with a Spanish translator, each must be
refused or not offered, change nothing in the database, send nothing and produce no file.
"""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import ActionLocation
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import RequestFactory
from django.urls import URLPattern, reverse

from knowaml.translations.registry import target_languages

from .admin_fixtures import login, staff_with

ACCOUNTS = ["viewer", "translator_es"]


def admin_of(label):
    return admin.site._registry[apps.get_model(label)]


def registered_actions():
    found = {
        (model._meta.label, action.name): None
        for model, model_admin in admin.site._registry.items()
        for location in ActionLocation
        for action in model_admin._get_base_actions(action_location=location)
    }
    return list(found)


def offered(model_admin, user):
    fake = RequestFactory().get("/admin/")
    fake.user = user
    return {
        name
        for location in ActionLocation
        for name in model_admin.get_actions(fake, action_location=location)
    }


def custom_urls():
    """Each ModelAdmin's URLs beyond the ones every ModelAdmin has."""
    found = []
    for model, model_admin in admin.site._registry.items():
        standard = {str(p.pattern) for p in ModelAdmin(model, admin.site).get_urls()}
        for pattern in model_admin.get_urls():
            if isinstance(pattern, URLPattern) and str(pattern.pattern) not in standard:
                found.append((model._meta.label, pattern.name))
    return found


# The permission each action needs: (model, action) → "change", "delete" (the model's own)
# or "app_label.codename". A new action fails test_every_action_has_an_owner until it is
# listed here.
ACTION_PERMISSIONS = {
    ("newsletter.Subscriber", "export_csv"): "newsletter.export_subscribers",
    ("newsletter.Subscriber", "mark_bounced"): "change",
    ("newsletter.Subscriber", "erase"): "newsletter.erase_subscribers",
    ("newsletter.Issue", "send_issues"): "newsletter.send_issue",
    ("education.Article", "check_reference_links"): "change",
    ("auth.User", "reset_two_factor"): "accounts.reset_two_factor",
    ("axes.AccessAttempt", "cleanup_expired_attempts"): "delete",
}
SITE_WIDE_ACTIONS = {"delete_selected": "delete"}
# Views that only show what the account may already read (the object's own page shows the
# same text): a GET answers, a POST is refused.
READ_ONLY_VIEWS = ("_preview", "_simple_history")


def database_state():
    """Every row of every table but the sessions."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
        if model is not Session
    }


@pytest.fixture
def viewer(db):
    """Staff who may view everything and nothing more."""
    user = get_user_model().objects.create_user("viewer", "viewer@example.org", "pw", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    return get_user_model().objects.get(pk=user.pk)


def refused_without_effect(client, method, url, data, capture):
    """Make the request; return the response after checking it changed and produced nothing."""
    before = database_state()
    with capture(execute=True):
        response = getattr(client, method)(url, data)
    assert database_state() == before, f"{method.upper()} {url} changed the database"
    assert not mail.outbox, f"{method.upper()} {url} sent email"
    assert "attachment" not in response.get("Content-Disposition", ""), f"{url} gave a file"
    assert not response.get("Content-Type", "").startswith("text/csv"), f"{url} gave a CSV"
    return response


# Every action ---------------------------------------------------------------


def test_every_action_has_an_owner():
    unknown = [
        key
        for key in registered_actions()
        if key not in ACTION_PERMISSIONS and key[1] not in SITE_WIDE_ACTIONS
    ]
    assert not unknown, f"say who may run these actions in ACTION_PERMISSIONS: {unknown}"


@pytest.mark.parametrize("account", ACCOUNTS)
@pytest.mark.parametrize("label,action", registered_actions())
def test_action_is_neither_offered_nor_run_for_a_viewer_or_translator(
    request, every_kind_of_row, account, label, action, django_capture_on_commit_callbacks
):
    user = request.getfixturevalue(account)
    model_admin = admin_of(label)
    assert action not in offered(model_admin, user)

    opts = model_admin.model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    pks = list(model_admin.model._base_manager.values_list("pk", flat=True)) or [0]
    data = {"action": action, ACTION_CHECKBOX_NAME: pks, "index": 0, "select_across": 0}
    response = refused_without_effect(
        login(user), "post", url, data, django_capture_on_commit_callbacks
    )
    assert response.status_code in (200, 302, 403)


@pytest.mark.parametrize("label,action", registered_actions())
def test_the_right_permission_is_offered_each_action(db, label, action):
    model = apps.get_model(label)
    model_admin = admin_of(label)
    superuser = get_user_model().objects.create_superuser("boss", "boss@example.org", "pw")
    if action not in offered(model_admin, superuser):
        return  # e.g. deleting is switched off for that model: nobody is offered it
    needed = ACTION_PERMISSIONS.get((label, action)) or SITE_WIDE_ACTIONS[action]
    assert action in offered(model_admin, staff_with(model, ["view", needed]))
    everything_else = [
        permission
        for permission in Permission.objects.filter(content_type__app_label=model._meta.app_label)
        if permission.codename != needed.split(".")[-1]
        and permission.codename != f"{needed}_{model._meta.model_name}"
    ]
    holder = staff_with(model, [], "others")
    holder.user_permissions.add(*everything_else)
    holder = get_user_model().objects.get(pk=holder.pk)
    assert action not in offered(model_admin, holder), f"{action} offered without {needed}"


# Every custom admin view ----------------------------------------------------


def url_for(label, name, language, action="review"):
    model = apps.get_model(label)
    obj = model._base_manager.order_by("pk").first()
    if name.endswith("_simple_history"):
        return reverse(f"admin:{name}", args=[obj.pk, obj.history.earliest().history_id])
    if name.endswith("_translation_action"):
        return reverse(f"admin:{name}", args=[obj.pk, language, action])
    if name.endswith("_revision_action"):
        return reverse(f"admin:{name}", args=[obj.pk, action])
    if name.endswith("_record_review"):
        article = apps.get_model("education.Article")._base_manager.order_by("pk").first()
        content_type = ContentType.objects.get_for_model(type(article))
        return reverse(f"admin:{name}", args=[content_type.pk, article.pk, language])
    if name.endswith("_preview") and label == "newsletter.Issue":
        return reverse(f"admin:{name}", args=[obj.pk, language])
    return reverse(f"admin:{name}", args=[obj.pk])


def custom_requests():
    for label, name in custom_urls():
        actions = ["review", "confirm"] if name.endswith("_translation_action") else ["-"]
        if name.endswith("_revision_action"):
            actions = ["submit", "approve", "request-changes", "discard"]
        for action in actions:
            yield label, name, action


@pytest.mark.parametrize("account", ACCOUNTS)
@pytest.mark.parametrize("label,name,action", list(custom_requests()))
def test_custom_admin_view_refuses_a_viewer_or_translator(
    request, every_kind_of_row, account, label, name, action, django_capture_on_commit_callbacks
):
    user = request.getfixturevalue(account)
    client = login(user)
    # The translator's own language is theirs to work in; every other one is refused.
    language = "fr" if account == "translator_es" else "es"
    url = url_for(label, name, language, action)
    capture = django_capture_on_commit_callbacks
    posted = refused_without_effect(client, "post", url, {"language": "en"}, capture)
    assert posted.status_code in (302, 403, 405), f"POST {url} answered {posted.status_code}"
    if posted.status_code == 302:
        assert "/login/" in posted["Location"] or posted["Location"] != url
    got = refused_without_effect(client, "get", url, {}, capture)
    if name.endswith(READ_ONLY_VIEWS):
        assert got.status_code in (200, 403)
    else:
        assert got.status_code in (302, 403, 405), f"GET {url} answered {got.status_code}"


@pytest.mark.parametrize("account", ACCOUNTS)
@pytest.mark.parametrize("view", ["dashboard", "export", "import"])
def test_translation_views_refuse_languages_that_are_not_the_accounts(
    request, every_kind_of_row, account, view, django_capture_on_commit_callbacks
):
    client = login(request.getfixturevalue(account))
    capture = django_capture_on_commit_callbacks
    for code in target_languages():
        if account == "translator_es" and code == "es":
            continue
        if view == "dashboard":
            if account == "translator_es":
                continue  # the dashboard shows the translator's own languages only
            url = reverse("translations:dashboard")
        else:
            url = reverse(f"translations:{view}", args=[code])
        for method in ("get", "post"):
            response = refused_without_effect(client, method, url, {}, capture)
            assert response.status_code == 403, f"{method.upper()} {url}"


def test_walks_cover_the_views_this_issue_is_about():
    names = {name for _label, name in custom_urls()}
    assert {
        "newsletter_issue_send",
        "newsletter_issue_test_send",
        "newsletter_issue_preview",
        "education_article_preview",
        "education_page_preview",
        "education_article_translation_action",
        "education_article_simple_history",
    } <= names
    actions = set(registered_actions())
    assert {
        ("newsletter.Subscriber", "export_csv"),
        ("newsletter.Subscriber", "erase"),
        ("newsletter.Subscriber", "mark_bounced"),
        ("newsletter.Issue", "send_issues"),
        ("education.Article", "check_reference_links"),
    } <= actions
