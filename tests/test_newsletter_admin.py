"""What editors do with the newsletter in the admin."""

import csv
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from newsletter.models import Delivery, Issue, Subscriber
from newsletter.sending import send_issue_now

from .conftest import html

CONFIRMED = {"confirm": "send"}


def test_issue_form_has_a_tab_per_language(admin_client, issue):
    response = admin_client.get(reverse("admin:newsletter_issue_change", args=[issue.pk]))
    assert response.status_code == 200
    page = html(response)
    for code in ("en", "es", "fr", "de", "ar"):
        assert page.select_one(f"[name=subject_{code}]")
        assert page.select_one(f"[name=body_{code}]")
    assert page.select_one("#newsletter-send")


def test_preview_shows_the_email_as_readers_will_see_it(admin_client, issue):
    url = reverse("admin:newsletter_issue_preview", args=[issue.pk, "de"])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "'unsafe-inline'" in response["Content-Security-Policy"]
    assert "script" not in response["Content-Security-Policy"]
    note = html(response).select_one(".fallback-note")
    assert "Deutsch" in note.get_text()
    text = admin_client.get(url + "?part=text")
    assert text["Content-Type"].startswith("text/plain")
    assert "A new treatment trial.\n\nDates\n\nTalks in December." in text.content.decode()


def test_preview_is_for_editors_only(client, issue):
    response = client.get(reverse("admin:newsletter_issue_preview", args=[issue.pk, "en"]))
    assert response.status_code == 302


def test_test_send_goes_to_the_editors_own_address_only(admin_client, admin_user, issue):
    admin_user.email = "editor@example.com"
    admin_user.save()
    url = reverse("admin:newsletter_issue_test_send", args=[issue.pk])
    admin_client.post(url, {"language": "es"})
    (message,) = mail.outbox
    assert message.to == ["editor@example.com"]
    assert message.subject == "[TEST] Noticias de la LMA de noviembre"
    assert not Delivery.objects.exists()


def test_send_button_queues_the_send_after_commit(
    admin_client, issue, subscribers, django_capture_on_commit_callbacks
):
    url = reverse("admin:newsletter_issue_send", args=[issue.pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        admin_client.post(url, CONFIRMED)
    assert len(callbacks) == 1 and not mail.outbox  # nothing leaves before commit
    callbacks[0]()
    assert len(mail.outbox) == 4
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT and issue.send_requested_at


def test_send_asks_first_naming_how_many_readers_in_which_languages(
    admin_client, issue, subscribers, make_subscriber, django_capture_on_commit_callbacks
):
    make_subscriber("es")
    make_subscriber("fr", status=Subscriber.Status.PENDING)
    change = html(admin_client.get(reverse("admin:newsletter_issue_change", args=[issue.pk])))
    link = change.select_one("a#newsletter-send")
    assert link.get_text(strip=True) == "Send to 5 subscribers…"
    url = reverse("admin:newsletter_issue_send", args=[issue.pk])
    assert link["href"] == url
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        asked = admin_client.get(url)
        unconfirmed = admin_client.post(url)
    assert not callbacks and not mail.outbox and not Delivery.objects.exists()
    for response in (asked, unconfirmed):
        assert response.status_code == 200
        page = html(response)
        counts = [item.get_text(" ", strip=True) for item in page.select("#content-main li")]
        assert counts == [
            "English: 1",
            "Spanish: 2",
            "German: 1 (not translated yet: they will get the English version)",
            "Arabic: 1",
        ]
        assert "5 subscribers in all" in page.select_one("#content-main").get_text()
        form = page.select_one("#content-main form")
        assert form["method"] == "post" and not form.get("action")
        assert form.select_one("[name=confirm]")["value"] == "send"
        cancel = page.select_one("a.cancel-link")["href"]
        assert cancel == reverse("admin:newsletter_issue_change", args=[issue.pk])
        assert "@" not in page.select_one("#content-main").get_text()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT and issue.send_requested_at is None


def test_a_resumed_send_counts_only_readers_not_yet_reached(admin_client, issue, subscribers):
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENDING)
    Delivery.objects.create(issue=issue, subscriber=subscribers[1], status="sent")
    Delivery.objects.create(issue=issue, subscriber=subscribers[3], status="pending")
    page = html(admin_client.get(reverse("admin:newsletter_issue_send", args=[issue.pk])))
    counts = [item.get_text(" ", strip=True) for item in page.select("#content-main li")]
    assert counts[0] == "English: 1" and "Spanish" not in " ".join(counts)
    assert "Arabic: 1" in counts
    assert "3 subscribers in all" in page.get_text()


def test_sending_from_the_list_asks_first_too(
    admin_client, issue, subscribers, django_capture_on_commit_callbacks
):
    url = reverse("admin:newsletter_issue_changelist")
    chosen = {"action": "send_issues", "_selected_action": [issue.pk]}
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        asked = admin_client.post(url, {**chosen, "index": 0})
    assert not callbacks and not mail.outbox
    page = html(asked)
    assert "4 subscribers in all" in page.get_text()
    form = page.select_one("#content-main form")
    assert form["action"] == url
    fields = {field["name"]: field["value"] for field in form.select("input[type=hidden]")}
    assert fields["action"] == "send_issues" and fields["_selected_action"] == str(issue.pk)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, {**chosen, "confirm": "send"})
    assert len(mail.outbox) == 4


def test_issue_list_shows_progress_with_in_doubt_linked(admin_client, issue, make_subscriber):
    statuses = ["sent", "sent", "failed", "pending", "in_doubt"]
    for status in statuses:
        Delivery.objects.create(issue=issue, subscriber=make_subscriber(), status=status)
    page = html(admin_client.get(reverse("admin:newsletter_issue_changelist")))
    row = page.select_one("#result_list tbody tr")
    cells = {
        cell["class"][0].removeprefix("field-"): cell.get_text(strip=True)
        for cell in row.select("td")
    }
    assert (cells["sent"], cells["failed"], cells["pending"], cells["in_doubt"]) == (
        "2",
        "1",
        "1",
        "1",
    )
    assert "status__exact=in_doubt" in row.select_one(".field-in_doubt a")["href"]


def test_subscriber_search_and_filters(admin_client, make_subscriber):
    make_subscriber("es", email="lucia@example.com")
    make_subscriber("fr", email="marc@example.com", status=Subscriber.Status.PENDING)
    url = reverse("admin:newsletter_subscriber_changelist")
    assert "lucia@example.com" in admin_client.get(url, {"q": "lucia"}).content.decode()
    filtered = admin_client.get(url, {"language__exact": "fr", "status__exact": "pending"})
    text = filtered.content.decode()
    assert "marc@example.com" in text and "lucia@example.com" not in text


def run_action(admin_client, action, subscribers):
    url = reverse("admin:newsletter_subscriber_changelist")
    data = {"action": action, "_selected_action": [s.pk for s in subscribers]}
    return admin_client.post(url, data)


def test_csv_export_is_spreadsheet_safe(admin_client, make_subscriber):
    reader = make_subscriber("ar", email="reader@example.com", consent_page="=HYPERLINK(1)")
    response = run_action(admin_client, "export_csv", [reader])
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["email"] == "reader@example.com"
    assert rows[0]["language"] == "ar"
    assert rows[0]["consent_page"] == "'=HYPERLINK(1)"


def test_erase_removes_personal_data_but_keeps_counts(admin_client, issue, make_subscriber):
    reader = make_subscriber(email="private@example.com", consent_page="/en/")
    Delivery.objects.create(issue=issue, subscriber=reader, status="sent")
    old_token = reader.token
    run_action(admin_client, "erase", [reader])
    reader.refresh_from_db()
    assert reader.email is None and reader.consent_page == ""
    assert reader.token != old_token
    assert reader.status == Subscriber.Status.ERASED
    assert issue.progress()["sent"] == 1
    assert "private@example.com" not in str(list(Subscriber.objects.values()))


def test_bounced_readers_are_left_out_of_the_next_issue(admin_client, issue, make_subscriber):
    bounced, reader = make_subscriber(), make_subscriber()
    run_action(admin_client, "mark_bounced", [bounced])
    bounced.refresh_from_db()
    assert bounced.status == Subscriber.Status.BOUNCED
    send_issue_now(issue.pk)
    assert [message.to for message in mail.outbox] == [[reader.email]]


def test_translator_can_neither_send_nor_test_send(
    client, translator_es, issue, subscribers, django_capture_on_commit_callbacks
):
    client.force_login(translator_es)
    page = html(client.get(reverse("admin:newsletter_issue_change", args=[issue.pk])))
    assert page.select_one("[name=subject_es]"), "the translator still works on the issue"
    assert not page.select("#newsletter-send, #newsletter-test-send, [form=newsletter-send]")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        sent = client.post(reverse("admin:newsletter_issue_send", args=[issue.pk]))
        tested = client.post(reverse("admin:newsletter_issue_test_send", args=[issue.pk]))
    assert sent.status_code == tested.status_code == 403
    assert not callbacks and not mail.outbox and not Delivery.objects.exists()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT and issue.send_requested_at is None


def test_sent_issue_is_not_sent_again_to_later_subscribers(
    admin_client, issue, make_subscriber, django_capture_on_commit_callbacks
):
    make_subscriber()
    send_issue_now(issue.pk)
    newcomer = make_subscriber()
    change_url = reverse("admin:newsletter_issue_change", args=[issue.pk])
    page = html(admin_client.get(change_url))
    assert not page.select_one("#newsletter-send")
    assert page.select_one("#newsletter-test-send"), "a test to oneself is still fine"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin_client.post(
            reverse("admin:newsletter_issue_send", args=[issue.pk]), CONFIRMED, follow=True
        )
        listed = admin_client.post(
            reverse("admin:newsletter_issue_changelist"),
            {"action": "send_issues", "_selected_action": [issue.pk], **CONFIRMED},
            follow=True,
        )
    assert not callbacks
    assert "already been sent" in html(response).select_one(".messagelist .error").get_text()
    assert "already been sent" in html(listed).select_one(".messagelist").get_text()
    # Even a send queued earlier (a double click) reaches nobody new.
    assert send_issue_now(issue.pk)["already_sent"]
    assert len(mail.outbox) == 1 and not Delivery.objects.filter(subscriber=newcomer).exists()


def test_send_resumes_an_issue_that_stopped_half_way(
    admin_client, issue, subscribers, django_capture_on_commit_callbacks
):
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENDING)
    page = html(admin_client.get(reverse("admin:newsletter_issue_change", args=[issue.pk])))
    assert page.select_one("#newsletter-send")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("admin:newsletter_issue_send", args=[issue.pk]), CONFIRMED)
    assert len(mail.outbox) == 4


def test_line_breaks_in_a_translated_subject_are_a_form_error(client, translator_es, issue):
    client.force_login(translator_es)
    url = reverse("admin:newsletter_issue_change", args=[issue.pk])
    response = client.post(
        url, {"subject_es": "Hola\r\nBcc: x@evil.example", "body_es": "Cuerpo", "_save": "1"}
    )
    assert response.status_code == 200
    assert html(response).select_one(".field-subject_es .errorlist")
    issue.refresh_from_db()
    assert issue.subject_es == "Noticias de la LMA de noviembre"


@pytest.mark.parametrize("subject", ["Two\nlines", "Tab\there", "NUL\x00", "Sep\u2028arator"])
def test_every_subject_column_refuses_control_characters(issue, subject):
    issue.subject_ar = subject
    with pytest.raises(ValidationError) as raised:
        issue.full_clean()
    assert set(raised.value.message_dict) == {"subject_ar"}
    issue.subject_ar = "أخبار نوفمبر"
    issue.full_clean()


@pytest.mark.parametrize("language", ["xx", "", "es\x00", "../en"])
def test_test_send_with_an_odd_language_sends_english(admin_client, admin_user, issue, language):
    admin_user.email = "editor@example.com"
    admin_user.save()
    url = reverse("admin:newsletter_issue_test_send", args=[issue.pk])
    response = admin_client.post(url, {"language": language})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject == "[TEST] AML news for November"


def test_test_send_without_an_address_says_what_to_do(admin_client, admin_user, issue):
    admin_user.email = ""
    admin_user.save()
    url = reverse("admin:newsletter_issue_test_send", args=[issue.pk])
    response = admin_client.post(url, {"language": "es"}, follow=True)
    assert response.status_code == 200
    assert "Add an email address" in html(response).select_one(".messagelist .error").get_text()
    assert not mail.outbox
