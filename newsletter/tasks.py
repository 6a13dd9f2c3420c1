"""Background work, run by ``manage.py db_worker``. Arguments are ids: JSON-serialisable."""

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from .emails import confirmation_message
from .models import Subscriber
from .sending import send_issue_now


@task
def send_confirmation(subscriber_id):
    subscriber = Subscriber.objects.filter(pk=subscriber_id, status=Subscriber.Status.PENDING)
    subscriber = subscriber.first()
    if subscriber is None:  # confirmed, purged or erased in the meantime
        return False
    confirmation_message(subscriber).send(using=settings.NEWSLETTER_MAILER)
    return True


@task
def send_issue(issue_id):
    return send_issue_now(issue_id)


@task
def purge_unconfirmed():
    return purge_unconfirmed_now()


def purge_unconfirmed_now(now=None):
    """Delete sign-ups never confirmed within NEWSLETTER_PURGE_UNCONFIRMED_DAYS."""
    stale = Subscriber.objects.unconfirmed_for(
        settings.NEWSLETTER_PURGE_UNCONFIRMED_DAYS, now or timezone.now()
    )
    deleted, _by_model = stale.filter(deliveries__isnull=True).delete()
    return deleted
