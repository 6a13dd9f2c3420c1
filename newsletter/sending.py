"""Sending an issue: idempotent, resumable, and honest about what may have gone out.

Every (issue, subscriber) pair has one Delivery row. A row is claimed ("sending") just
before its message is handed to SMTP and marked sent or failed just after, one row at a
time, so a worker killed mid-send leaves at most one row in "sending". The next run holds
the issue's lease, so any "sending" row of another run belongs to a dead worker: it is
reported "in doubt" in the admin and never resent silently.
"""

import logging
import re
import smtplib
import time
import uuid

from django.conf import settings
from django.core.mail import mailers
from django.db.models import Count, Q
from django.utils import timezone

from .emails import Editions
from .models import Delivery, Issue, Subscriber

logger = logging.getLogger(__name__)

BATCH = 200
# The server answered "no": the message was certainly not accepted.
REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException)


# Anything shaped like an address, bare or in <>, as servers quote them in refusals.
ADDRESS = re.compile(r"[^\s<>()\[\]{},;:\"']+@[^\s<>()\[\]{},;:\"']+")


class Busy(Exception):
    """Another run holds this issue's lease."""


def without_addresses(text):
    return ADDRESS.sub("<address>", text)


def _text(value):
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return without_addresses(" ".join(str(value).split()))


def describe_error(error):
    """What went wrong, for the admin: SMTP codes and texts, never the reader's address.

    ``str(SMTPRecipientsRefused)`` is a dict keyed by address, and the server's text
    often quotes it too; erasing the reader would leave it behind in Delivery.error.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = [f"{code} {_text(text)}" for code, text in error.recipients.values()]
        return "Refused: " + ("; ".join(answers) or "no recipient accepted")
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{type(error).__name__}: {error.smtp_code} {_text(error.smtp_error)}"
    return f"{type(error).__name__}: {_text(error)}"


def acquire_lease(issue_id, run):
    """Take the issue for this run, unless another run holds it or it was sent already.

    A sent issue is never sent again: a second run would reach everyone who subscribed
    since. Only a draft, or a send that stopped half-way, may (re)start.
    """
    now = timezone.now()
    stale = now - timezone.timedelta(seconds=settings.NEWSLETTER_SEND_LEASE_SECONDS)
    free = Q(send_run="") | Q(send_heartbeat__isnull=True) | Q(send_heartbeat__lt=stale)
    taken = (
        Issue.objects.filter(pk=issue_id)
        .filter(free)
        .exclude(status=Issue.Status.SENT)
        .update(send_run=run, send_heartbeat=now, status=Issue.Status.SENDING)
    )
    return taken == 1


def renew_lease(issue_id, run):
    return (
        Issue.objects.filter(pk=issue_id, send_run=run).update(send_heartbeat=timezone.now()) == 1
    )


def report_in_doubt(issue_id, run):
    return (
        Delivery.objects.filter(issue_id=issue_id, status=Delivery.Status.SENDING)
        .exclude(run=run)
        .update(
            status=Delivery.Status.IN_DOUBT,
            finished_at=timezone.now(),
            error="The sending worker stopped while this message was being handed to SMTP.",
        )
    )


def audience(issue):
    """Who sending (or resuming) the issue now would reach: (language, count) in site order.

    Confirmed readers, less those this issue has already reached or failed to reach.
    """
    settled = Delivery.objects.filter(issue_id=issue.pk).exclude(status=Delivery.Status.PENDING)
    counts = dict(
        Subscriber.objects.receiving()
        .exclude(pk__in=settled.values("subscriber_id"))
        .order_by()
        .values_list("language")
        .annotate(count=Count("pk"))
    )
    return [(code, counts[code]) for code, _name in settings.LANGUAGES if counts.get(code)]


def create_deliveries(issue_id):
    """One pending row for each confirmed subscriber who has none for this issue yet."""
    new = (
        Subscriber.objects.receiving()
        .exclude(deliveries__issue_id=issue_id)
        .values_list("pk", flat=True)
    )
    rows = [Delivery(issue_id=issue_id, subscriber_id=pk) for pk in new.iterator()]
    Delivery.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    return len(rows)


class Sender:
    def __init__(self, issue, run, mailer_alias=None):
        self.issue = issue
        self.run = run
        self.editions = Editions(issue)
        self.mailer = mailers[mailer_alias or settings.NEWSLETTER_MAILER]
        self.counts = dict.fromkeys(Delivery.Status.values, 0)
        self.renewed = time.monotonic()

    def pending(self, after):
        return list(
            Delivery.objects.filter(
                issue_id=self.issue.pk, status=Delivery.Status.PENDING, pk__gt=after
            )
            .select_related("subscriber")
            .order_by("pk")[:BATCH]
        )

    def claim(self, delivery, language):
        claimed = Delivery.objects.filter(
            pk=delivery.pk,
            status=Delivery.Status.PENDING,
            subscriber__status=Subscriber.Status.CONFIRMED,
        ).update(
            status=Delivery.Status.SENDING,
            run=self.run,
            claimed_at=timezone.now(),
            language=language,
        )
        if not claimed:  # unsubscribed a moment ago, or claimed by someone else
            Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.PENDING).update(
                status=Delivery.Status.SKIPPED, finished_at=timezone.now()
            )
        return claimed == 1

    def finish(self, delivery, status, error=""):
        Delivery.objects.filter(pk=delivery.pk, run=self.run).update(
            status=status, finished_at=timezone.now(), error=error
        )
        self.counts[status] += 1

    def build(self, delivery):
        """The message, fully serialised once so that a bad header fails here, unclaimed."""
        edition = self.editions[delivery.subscriber.language]
        message = edition.message(delivery.subscriber)
        message.message()  # raises on CR/LF in a header, a malformed address, …
        return edition, message

    def fail_unbuilt(self, delivery, error):
        """Nothing was handed to SMTP: the message certainly did not go out."""
        logger.warning("Delivery %s failed before sending: %r", delivery.pk, error)
        failed = Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.FAILED,
            run=self.run,
            finished_at=timezone.now(),
            error="The message could not be built: " + describe_error(error),
        )
        self.counts[Delivery.Status.FAILED if failed else Delivery.Status.SKIPPED] += 1

    def send_one(self, delivery):
        try:
            edition, message = self.build(delivery)
        except Exception as error:  # noqa: BLE001 - recorded on the delivery, run goes on
            self.fail_unbuilt(delivery, error)
            return
        self.mailer.open()  # fails before the claim if the server is unreachable
        if not self.claim(delivery, edition.language):
            self.counts[Delivery.Status.SKIPPED] += 1
            return
        try:
            self.mailer.send_messages([message])
        except REFUSED as error:
            self.finish(delivery, Delivery.Status.FAILED, describe_error(error))
        except Exception as error:
            # The connection broke mid-conversation: the server may have accepted it.
            logger.warning("Delivery %s in doubt: %r", delivery.pk, error)
            self.finish(delivery, Delivery.Status.IN_DOUBT, describe_error(error))
            self.reconnect()
        else:
            self.finish(delivery, Delivery.Status.SENT)

    def reconnect(self):
        try:
            self.mailer.close()
        except Exception:  # noqa: BLE001 - the connection is already broken
            self.mailer.connection = None

    def keep_lease(self):
        if time.monotonic() - self.renewed < settings.NEWSLETTER_SEND_LEASE_SECONDS / 4:
            return True
        self.renewed = time.monotonic()
        return renew_lease(self.issue.pk, self.run)

    def run_all(self):
        after = 0
        try:
            while batch := self.pending(after):
                for delivery in batch:
                    after = delivery.pk
                    self.send_one(delivery)
                    if not self.keep_lease():
                        raise Busy("lost the lease")
        finally:
            self.reconnect()


def send_issue_now(issue_id, mailer_alias=None):
    """Send (or resume sending) an issue; return the counts of this run and in doubt."""
    run = uuid.uuid4().hex
    if not acquire_lease(issue_id, run):
        if Issue.objects.filter(pk=issue_id, status=Issue.Status.SENT).exists():
            logger.warning("Issue %s was sent already; not sending it again.", issue_id)
            return {
                "created": 0,
                "newly_in_doubt": 0,
                "already_sent": True,
                **dict.fromkeys(Delivery.Status.values, 0),
            }
        raise Busy(f"issue {issue_id} is being sent by another worker")
    issue = Issue.objects.get(pk=issue_id)
    in_doubt = report_in_doubt(issue_id, run)
    created = create_deliveries(issue_id)
    sender = Sender(issue, run, mailer_alias)
    sender.run_all()
    Issue.objects.filter(pk=issue_id, send_run=run).update(
        status=Issue.Status.SENT, finished_at=timezone.now(), send_run=""
    )
    return {"created": created, "newly_in_doubt": in_doubt, **sender.counts}
