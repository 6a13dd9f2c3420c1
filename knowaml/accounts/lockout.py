"""Failed sign-ins, counted by django-axes in the database (settings: SIGN_IN_LOCKOUT_LIMITS)."""

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum

from knowaml.ratelimit import client_ip


def client_address(request):
    """The client's address as the rate limits see it (TRUSTED_PROXY_COUNT), with an IPv6
    address widened to its /64, which one home or phone gets whole."""
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return None
    address = getattr(address, "ipv4_mapped", None) or address
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit for each set of lockout parameters.

    Axes compares the worst count with one limit (AXES_FAILURE_LIMIT, the first set's), so
    each set's count is scaled to that limit: a set is over exactly when its own is reached.
    """

    def get_failures(self, request, credentials=None):
        limit = get_failure_limit(request, credentials)
        own_limits = [own for _parameters, own in settings.SIGN_IN_LOCKOUT_LIMITS]
        worst = 0
        for attempts, own in zip(
            self.get_user_attempts(request, credentials), own_limits, strict=True
        ):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            worst = max(worst, failures * limit // own)
        return worst

    def reset_user_attempts(self, request, credentials=None):
        """After a successful sign-in, forget that account's failures from that address only:
        signing in to one's own account must not wipe the address's failures against others."""
        username = get_client_username(request, credentials)
        attempts = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        )
        count, _ = attempts.delete()
        return count

    def locked_until(self, request, credentials=None):
        """When the last failure that counts falls out of the cool-off window (an upper
        bound: the lock may end sooner when older failures expire first)."""
        latest = None
        for attempts in self.get_user_attempts(request, credentials):
            last = attempts.aggregate(last=Max("attempt_time"))["last"]
            if last and (latest is None or last > latest):
                latest = last
        cool_off = get_cool_off(request)
        if latest is None or cool_off is None:
            return None
        return latest + cool_off
