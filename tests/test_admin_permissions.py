"""Least privilege in the admin: every action and custom admin view checks its permission.

The walks below read the admin's own registry, so an action or view added later is walked
too: with a staff account that may only view, and with a Spanish translator, each must be
refused or not offered, change nothing in the database, send nothing and produce no file.
"""

import csv
import io

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
from django.test import Client, RequestFactory, override_settings
from django.urls import URLPattern, reverse
from django.utils import timezone

from education.models import GlossaryTerm
from knowaml.feedback.models import Feedback
from knowaml.revisions import workflow
from knowaml.translations.models import TranslationRecord, source_hash
from knowaml.translations.registry import target_languages
from newsletter.models import Delivery, Issue, Subscriber, SubscriberAudit

from .stories_fixtures import make_story, story_text

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


# What the right account can do ----------------------------------------------


def run_action(client, action, objects, model="subscriber", **extra):
    url = reverse(f"admin:newsletter_{model}_changelist")
    data = {"action": action, ACTION_CHECKBOX_NAME: [o.pk for o in objects], "index": 0, **extra}
    return client.post(url, data)


def test_export_needs_its_own_permission_and_is_audited(make_subscriber):
    readers = [make_subscriber("es"), make_subscriber("fr")]
    holder = staff_with(Subscriber, ["view", "newsletter.export_subscribers"])
    response = run_action(login(holder), "export_csv", readers)
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert sorted(row["email"] for row in rows) == sorted(r.email for r in readers)
    (audit,) = SubscriberAudit.objects.all()
    assert (audit.user, audit.username, audit.action, audit.count) == (
        holder,
        "holder",
        SubscriberAudit.Action.EXPORT,
        2,
    )
    assert "@" not in str(list(SubscriberAudit.objects.values()))


def test_erase_needs_its_own_permission_and_is_audited(make_subscriber):
    reader = make_subscriber(email="private@example.com")
    holder = staff_with(Subscriber, ["view", "newsletter.erase_subscribers"])
    run_action(login(holder), "erase", [reader])
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.ERASED and reader.email is None
    (audit,) = SubscriberAudit.objects.all()
    assert (audit.username, audit.action, audit.count) == ("holder", "erase", 1)


def test_marking_bounced_needs_change_permission(make_subscriber):
    reader = make_subscriber()
    viewer_only = staff_with(Subscriber, ["view"], "looker")
    run_action(login(viewer_only), "mark_bounced", [reader])
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.CONFIRMED
    run_action(login(staff_with(Subscriber, ["view", "change"])), "mark_bounced", [reader])
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.BOUNCED


def test_sender_sends_issues_from_the_list(issue, subscribers, django_capture_on_commit_callbacks):
    sender = staff_with(Issue, ["view", "newsletter.send_issue"])
    with django_capture_on_commit_callbacks(execute=True):
        run_action(login(sender), "send_issues", [issue], model="issue", confirm="send")
    assert len(mail.outbox) == len(subscribers)


def test_sender_sends_and_tests_from_the_issue_page(
    issue, subscribers, django_capture_on_commit_callbacks
):
    sender = staff_with(Issue, ["view", "newsletter.send_issue"])
    client = login(sender)
    client.post(reverse("admin:newsletter_issue_test_send", args=[issue.pk]), {"language": "es"})
    assert [m.to for m in mail.outbox] == [["holder@example.org"]]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:newsletter_issue_send", args=[issue.pk]), {"confirm": "send"})
    assert len(mail.outbox) == 1 + len(subscribers)


def test_reference_check_needs_change_permission(site, django_capture_on_commit_callbacks):
    article = site["articles"][0]
    url = reverse("admin:education_article_changelist")
    data = {"action": "check_reference_links", ACTION_CHECKBOX_NAME: [article.pk], "index": 0}
    looker = staff_with(article, ["view"], "looker")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        login(looker).post(url, data)
    assert not callbacks
    changer = staff_with(article, ["view", "change"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        login(changer).post(url, data)
    assert len(callbacks) == 1  # the check is enqueued (not run here: no network in tests)


def test_viewer_previews_but_cannot_revert_history(site, every_kind_of_row):
    relapse = site["articles"][1]
    looker = staff_with(relapse, ["view"], "looker")
    client = login(looker)
    preview = client.get(reverse("admin:education_article_preview", args=[relapse.pk]))
    assert preview.status_code == 200
    url = reverse(
        "admin:education_article_simple_history",
        args=[relapse.pk, every_kind_of_row["history_id"]],
    )
    assert client.post(url, {}).status_code == 403
    relapse.refresh_from_db()
    assert relapse.title_en == "Relapse, second version"


def test_translator_confirms_their_own_language(translator_es, every_kind_of_row):
    relapse = every_kind_of_row["relapse"]
    url = reverse("admin:education_article_translation_action", args=[relapse.pk, "es", "confirm"])
    login(translator_es).post(url)
    record = TranslationRecord.objects.get(object_id=relapse.pk, language="es", field="title")
    assert record.source_hash == source_hash(relapse.title_en)


def test_audit_records_are_read_only_in_the_admin(admin_client, every_kind_of_row):
    audit = SubscriberAudit.objects.get()
    listing = admin_client.get(reverse("admin:newsletter_subscriberaudit_changelist"))
    assert listing.status_code == 200 and "admin" in listing.content.decode()
    change_url = reverse("admin:newsletter_subscriberaudit_change", args=[audit.pk])
    admin_client.post(change_url, {"count": 0, "username": "someone else"})
    admin_client.post(
        reverse("admin:newsletter_subscriberaudit_delete", args=[audit.pk]), {"post": "yes"}
    )
    audit.refresh_from_db()
    assert (audit.count, audit.username) == (4, "admin")


# Staff sessions ---------------------------------------------------------------

SESSION_MIDDLEWARE = "knowaml.adminsessions.RenewAdminSessionMiddleware"


def with_session_renewal(settings):
    middleware = list(settings.MIDDLEWARE)
    auth = middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    return [*middleware[: auth + 1], SESSION_MIDDLEWARE, *middleware[auth + 1 :]]


def test_admin_use_renews_a_working_day_session_but_public_pages_set_no_cookie(
    settings, admin_user, site
):
    with override_settings(MIDDLEWARE=with_session_renewal(settings), SESSION_COOKIE_AGE=8 * 3600):
        client = login(admin_user)
        public = client.get("/en/about-us/")
        assert public.status_code == 200 and not public.cookies
        assert "Cookie" not in public.get("Vary", "")
        work = client.get(reverse("admin:index"))
        assert work.cookies["sessionid"]["max-age"] == 8 * 3600
        session = Session.objects.get()
        left = session.expire_date - timezone.now()
        assert 7.9 * 3600 < left.total_seconds() <= 8 * 3600
