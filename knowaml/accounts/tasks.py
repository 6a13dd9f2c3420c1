"""Sign-in records are personal data: keep them no longer than the privacy notice says."""

import datetime

from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.tasks import task
from django.utils import timezone


def forget_old_sign_ins_now(now=None):
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.SIGN_IN_LOG_DAYS)
    deleted = 0
    for model in (AccessLog, AccessFailureLog):
        deleted += model.objects.filter(attempt_time__lt=cutoff).delete()[0]
    return deleted


@task
def forget_old_sign_ins():
    return {"deleted": forget_old_sign_ins_now()}
