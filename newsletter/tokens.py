"""Signed, expiring confirmation tokens.

The confirmation link holds the subscriber's id signed with SECRET_KEY and a timestamp, so
it cannot be forged or guessed and stops working after NEWSLETTER_CONFIRM_MAX_AGE_DAYS.
Unsubscribe and preferences links use the subscriber's random ``token`` instead: opaque,
never expiring (a years-old newsletter must still unsubscribe), and replaced on erasure.
"""

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "newsletter.confirm"


class InvalidToken(Exception):
    pass


class ExpiredToken(InvalidToken):
    pass


def make_confirm_token(subscriber):
    return signing.dumps([subscriber.pk, subscriber.token[:8]], salt=CONFIRM_SALT)


def read_confirm_token(token):
    """Return ``(subscriber_id, token_prefix)`` or raise InvalidToken / ExpiredToken."""
    max_age = settings.NEWSLETTER_CONFIRM_MAX_AGE_DAYS * 24 * 60 * 60
    try:
        subscriber_id, prefix = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
    except signing.SignatureExpired as error:
        raise ExpiredToken from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise InvalidToken from error
    return subscriber_id, prefix
