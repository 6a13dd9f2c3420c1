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


def test_a_failed_sign_in_record_keeps_no_csrf_token(client, db, admin_user):
    from axes.models import AccessAttempt

    client.post(
        "/admin/login/",
        {"username": "admin", "password": "wrong", "csrfmiddlewaretoken": "secret-token"},
    )
    stored = AccessAttempt.objects.get().post_data
    assert "secret-token" not in stored


def test_ipv4_clients_seen_through_ipv6_each_keep_their_own_address(rf):
    from knowaml.accounts.lockout import client_address
    from knowaml.ratelimit import address_key

    seen = [rf.get("/", REMOTE_ADDR=f"::ffff:{ip}") for ip in ("192.0.2.1", "192.0.2.2")]
    assert [client_address(r) for r in seen] == ["192.0.2.1", "192.0.2.2"]
    assert [address_key(r.META["REMOTE_ADDR"]) for r in seen] == ["192.0.2.1", "192.0.2.2"]
