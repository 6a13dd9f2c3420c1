import datetime

from axes.models import AccessLog
from django.utils import timezone

from knowaml.accounts.tasks import forget_old_sign_ins


def test_sign_in_records_are_kept_thirty_days_then_forgotten(db):
    old = AccessLog.objects.create(username="editor", ip_address="192.0.2.1", user_agent="x")
    recent = AccessLog.objects.create(username="editor", ip_address="192.0.2.2", user_agent="x")
    AccessLog.objects.filter(pk=old.pk).update(
        attempt_time=timezone.now() - datetime.timedelta(days=31)
    )
    AccessLog.objects.filter(pk=recent.pk).update(
        attempt_time=timezone.now() - datetime.timedelta(days=29)
    )
    result = forget_old_sign_ins.enqueue()
    assert result.return_value == {"deleted": 1}
    assert list(AccessLog.objects.values_list("ip_address", flat=True)) == ["192.0.2.2"]
