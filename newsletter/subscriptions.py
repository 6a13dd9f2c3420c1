"""What happens when someone signs up, confirms, changes language or leaves."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Subscriber
from .tasks import send_confirmation, send_issue


def _queue(task, *args):
    transaction.on_commit(lambda: task.enqueue(*args))


def _may_resend(subscriber, now):
    interval = timezone.timedelta(minutes=settings.NEWSLETTER_RESEND_INTERVAL_MINUTES)
    sent = subscriber.confirmation_sent_at
    return sent is None or sent <= now - interval


def subscribe(email, language, page, wording):
    """Record a sign-up and ask for confirmation; say nothing about who already subscribes.

    A pending or former subscriber gets a fresh confirmation email at most once per
    NEWSLETTER_RESEND_INTERVAL_MINUTES, so the form cannot be used to flood a mailbox.
    Confirmed and bounced addresses are left alone.
    """
    now = timezone.now()
    consent = {"consent_at": now, "consent_page": page, "consent_wording": wording}
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
        if subscriber is None:
            try:
                with transaction.atomic():
                    subscriber = Subscriber.objects.create(
                        email=email, language=language, confirmation_sent_at=now, **consent
                    )
            except IntegrityError:  # the same address, signed up a moment ago
                return None
            _queue(send_confirmation, subscriber.pk)
            return subscriber
        leaving = {Subscriber.Status.PENDING, Subscriber.Status.UNSUBSCRIBED}
        if subscriber.status not in leaving or not _may_resend(subscriber, now):
            return subscriber
        subscriber.status = Subscriber.Status.PENDING
        subscriber.language = language
        subscriber.confirmation_sent_at = now
        for field, value in consent.items():
            setattr(subscriber, field, value)
        subscriber.save()
        _queue(send_confirmation, subscriber.pk)
    return subscriber


def confirm(subscriber):
    if subscriber.status == Subscriber.Status.PENDING:
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["status", "confirmed_at"])
    return subscriber.status == Subscriber.Status.CONFIRMED


def unsubscribe(subscriber):
    if subscriber.status in {Subscriber.Status.CONFIRMED, Subscriber.Status.PENDING}:
        subscriber.leave(Subscriber.Status.UNSUBSCRIBED)


def queue_issue(issue):
    """Ask the worker to send (or resume) an issue once this transaction commits."""
    issue.send_requested_at = timezone.now()
    issue.save(update_fields=["send_requested_at"])
    _queue(send_issue, issue.pk)
