"""Sending an issue: languages, parts, headers, and a worker killed half-way."""

import email
import email.policy
import smtplib
import socket

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from newsletter.models import Delivery, Issue, Subscriber
from newsletter.sending import Busy, send_issue_now
from newsletter.tasks import send_issue

NOTE = "This newsletter is not yet available in %(language)s. Here is the English version."
LOCMEM = {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}


def by_recipient():
    return {message.to[0]: message for message in mail.outbox}


def test_each_reader_gets_the_issue_in_their_language(issue, subscribers):
    result = send_issue.enqueue(issue.pk)
    assert result.return_value["sent"] == 4
    messages = by_recipient()
    en, es, de, ar = (messages[s.email] for s in subscribers)
    assert es.subject == "Noticias de la LMA de noviembre"
    assert ar.subject == "أخبار نوفمبر"
    assert 'dir="rtl"' in ar.alternatives[0].content
    assert en.subject == de.subject == "AML news for November"
    assert "not yet available" not in en.body


def test_missing_language_falls_back_to_english_with_a_translated_note(issue, subscribers):
    send_issue.enqueue(issue.pk)
    german = by_recipient()[subscribers[2].email]
    assert german.extra_headers["Content-Language"] == "en"
    html_part = german.alternatives[0].content
    assert '<html lang="de"' in html_part
    assert '<div lang="en" dir="ltr">' in html_part
    with translation.override("de"):
        note = gettext(NOTE) % {"language": "Deutsch"}
    assert german.body.startswith(note)
    assert note in html_part.replace("\n", " ")
    assert Delivery.objects.get(subscriber=subscribers[2]).language == "en"


def test_every_message_has_html_and_text_and_one_click_headers(issue, subscribers):
    send_issue.enqueue(issue.pk)
    for subscriber in subscribers:
        message = by_recipient()[subscriber.email]
        assert "A new treatment trial." in message.body or subscriber.language != "en"
        (alternative,) = message.alternatives
        assert alternative.mimetype == "text/html"
        unsubscribe = f"http://127.0.0.1:8000/newsletter/unsubscribe/{subscriber.token}/"
        assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert unsubscribe in message.body and unsubscribe in alternative.content
        with translation.override(subscriber.language):
            preferences = reverse("newsletter:preferences", args=[subscriber.token])
        assert f'href="http://127.0.0.1:8000{preferences}"' in alternative.content


def test_only_confirmed_readers_receive_it(issue, make_subscriber):
    reader = make_subscriber()
    for status in ("pending", "unsubscribed", "bounced"):
        make_subscriber(status=status)
    make_subscriber().leave(Subscriber.Status.ERASED)
    send_issue.enqueue(issue.pk)
    assert [message.to for message in mail.outbox] == [[reader.email]]
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT


def test_sending_twice_sends_nobody_a_second_copy(issue, subscribers):
    send_issue_now(issue.pk)
    send_issue_now(issue.pk)
    assert len(mail.outbox) == 4


class KilledWorker(BaseEmailBackend):
    """Hands two messages over, then the process dies while handing over the third."""

    delivered = []

    def send_messages(self, messages):
        if len(self.delivered) == 2:
            raise SystemExit("worker killed")
        self.delivered.extend(message.to[0] for message in messages)
        return len(messages)


def test_killed_and_restarted_send_skips_nobody_and_reports_the_one_in_flight(
    issue, make_subscriber, settings
):
    readers = [make_subscriber() for _ in range(6)]
    KilledWorker.delivered = []
    settings.MAILERS = {"default": LOCMEM, "dying": {"BACKEND": f"{__name__}.KilledWorker"}}
    settings.NEWSLETTER_MAILER = "dying"
    with pytest.raises(SystemExit):
        send_issue_now(issue.pk)
    assert issue.progress() | {} == {
        "pending": 3,
        "sending": 1,
        "sent": 2,
        "failed": 0,
        "in_doubt": 0,
        "skipped": 0,
    }
    # While the dead run's lease lasts, nobody else may send.
    with pytest.raises(Busy):
        send_issue_now(issue.pk)
    Issue.objects.filter(pk=issue.pk).update(
        send_heartbeat=timezone.now() - timezone.timedelta(minutes=10)
    )
    settings.NEWSLETTER_MAILER = "default"
    result = send_issue.enqueue(issue.pk)
    assert result.return_value["newly_in_doubt"] == 1
    in_doubt = Delivery.objects.get(status=Delivery.Status.IN_DOUBT).subscriber.email
    resent = [message.to[0] for message in mail.outbox]
    assert len(resent) == 3
    assert not set(resent) & set(KilledWorker.delivered), "nobody sent twice"
    assert in_doubt not in resent, "the in-flight message is reported, not resent"
    everyone = set(KilledWorker.delivered) | set(resent) | {in_doubt}
    assert everyone == {reader.email for reader in readers}, "nobody skipped"
    assert issue.progress()["pending"] == issue.progress()["sending"] == 0


def test_reader_who_unsubscribes_mid_send_is_skipped(issue, make_subscriber):
    stays, leaves = make_subscriber(), make_subscriber()
    Delivery.objects.bulk_create(
        [Delivery(issue=issue, subscriber=stays), Delivery(issue=issue, subscriber=leaves)]
    )
    leaves.leave(Subscriber.Status.UNSUBSCRIBED)
    result = send_issue_now(issue.pk)
    assert [message.to for message in mail.outbox] == [[stays.email]]
    assert result["skipped"] == 1


class RefusingServer(BaseEmailBackend):
    def send_messages(self, messages):
        address = messages[0].to[0]
        if address.startswith("refused"):
            raise smtplib.SMTPRecipientsRefused({address: (550, b"no such user")})
        raise smtplib.SMTPServerDisconnected("connection lost")


def test_refused_is_failed_and_a_broken_connection_is_in_doubt(issue, make_subscriber, settings):
    make_subscriber(email="refused@example.com")
    make_subscriber(email="lost@example.com")
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingServer"}}
    result = send_issue_now(issue.pk)
    assert (result["failed"], result["in_doubt"]) == (1, 1)
    statuses = dict(Delivery.objects.values_list("subscriber__email", "status"))
    assert statuses == {"refused@example.com": "failed", "lost@example.com": "in_doubt"}


class Sink:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": LOCMEM,
        "loopback": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 5},
        },
    }
    settings.NEWSLETTER_MAILER = "loopback"
    yield sink
    controller.stop()


def test_real_smtp_delivery_carries_the_headers_mailbox_providers_check(
    issue, subscribers, make_subscriber, smtp_server
):
    idn_reader = make_subscriber("fr", email="lecteur@bücher.example")
    result = send_issue.enqueue(issue.pk)
    assert result.return_value["sent"] == 5
    received = {
        envelope.rcpt_tos[0]: email.message_from_bytes(
            envelope.original_content, policy=email.policy.default
        )
        for envelope in smtp_server.envelopes
    }
    assert set(received) == {s.email for s in subscribers} | {"lecteur@xn--bcher-kva.example"}
    spanish = received[subscribers[1].email]
    raw = next(e.original_content for e in smtp_server.envelopes if e.rcpt_tos == [spanish["To"]])
    # Not folded or encoded: a DKIM-signed header must reach the provider byte for byte.
    assert b"\r\nList-Unsubscribe: <http://127.0.0.1:8000/newsletter/unsubscribe/" in raw
    token = subscribers[1].token
    assert spanish["List-Unsubscribe"] == (
        f"<http://127.0.0.1:8000/newsletter/unsubscribe/{token}/>"
    )
    assert spanish["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert spanish["Content-Language"] == "es"
    assert spanish["Subject"] == "Noticias de la LMA de noviembre"
    assert spanish.get_content_type() == "multipart/alternative"
    parts = [part.get_content_type() for part in spanish.iter_parts()]
    assert parts == ["text/plain", "text/html"]
    assert "tratamiento" in spanish.get_body(("html",)).get_content()
    french = received["lecteur@xn--bcher-kva.example"]
    assert french["Content-Language"] == "en"
    assert idn_reader.token in french["List-Unsubscribe"]


class QuotingServer(BaseEmailBackend):
    """Refuses every reader, quoting the address the way real servers do."""

    def send_messages(self, messages):
        address = messages[0].to[0]
        text = f"5.1.1 <{address}>: Recipient address rejected".encode()
        raise smtplib.SMTPRecipientsRefused({address: (550, text)})


def test_refusal_is_recorded_without_the_readers_address(issue, make_subscriber, settings):
    reader = make_subscriber(email="alice.private@example.com")
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.QuotingServer"}}
    assert send_issue_now(issue.pk)["failed"] == 1
    delivery = Delivery.objects.get(subscriber=reader)
    assert delivery.status == Delivery.Status.FAILED
    assert "550" in delivery.error and "Recipient address rejected" in delivery.error
    assert "alice" not in delivery.error and "@" not in delivery.error


def test_erasing_a_reader_blanks_the_errors_of_their_deliveries(issue, make_subscriber):
    reader, other = make_subscriber(), make_subscriber()
    Delivery.objects.create(
        issue=issue, subscriber=reader, status="failed", error=f"550 <{reader.email}> unknown"
    )
    Delivery.objects.create(issue=issue, subscriber=other, status="failed", error="550 full")
    reader.leave(Subscriber.Status.ERASED)
    assert Delivery.objects.get(subscriber=reader).error == ""
    assert Delivery.objects.get(subscriber=other).error == "550 full"
    assert issue.progress()["failed"] == 2


def test_a_subject_that_cannot_be_a_header_fails_its_readers_not_in_doubt(issue, make_subscriber):
    # Saved around the form's validation (an import, the shell): sending still copes.
    Issue.objects.filter(pk=issue.pk).update(subject_es="Hola\nBcc: evil@example.net")
    spanish, english = make_subscriber("es"), make_subscriber("en")
    result = send_issue_now(issue.pk)
    assert (result["sent"], result["failed"], result["in_doubt"]) == (1, 1, 0)
    assert [message.to for message in mail.outbox] == [[english.email]]
    failed = Delivery.objects.get(subscriber=spanish)
    assert failed.status == Delivery.Status.FAILED and failed.finished_at
    assert "could not be built" in failed.error and "evil" not in failed.error
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
