"""What the account with the right permission can do in the admin (each action it is
offered works, and is audited where it touches subscribers), and staff sessions."""

import csv
import io

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from knowaml.translations.models import TranslationRecord, source_hash
from newsletter.models import Issue, Subscriber, SubscriberAudit

from .admin_fixtures import login, staff_with


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
