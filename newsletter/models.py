import re
import secrets
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from knowaml.content import Translatable, TranslatedQuerySet


def new_token():
    return secrets.token_urlsafe(24)


# What new_token() makes (32 characters today), with room for older or longer tokens. An
# address that cannot be a token never reaches the database: PostgreSQL refuses NUL bytes.
TOKEN_FORMAT = re.compile(r"[A-Za-z0-9_-]{16,64}")


def is_token(value):
    return isinstance(value, str) and TOKEN_FORMAT.fullmatch(value) is not None


def has_control_characters(text):
    """True for CR, LF, NUL, tab and other C0/C1 controls, and Unicode line separators."""
    return any(unicodedata.category(char) in {"Cc", "Zl", "Zp"} for char in text or "")


class SubscriberQuerySet(models.QuerySet):
    def receiving(self):
        """Who gets the newsletter: confirmed, not unsubscribed, not bounced, not erased."""
        return self.filter(status=Subscriber.Status.CONFIRMED)

    def pending(self):
        return self.filter(status=Subscriber.Status.PENDING)

    def unconfirmed_for(self, days, now=None):
        cutoff = (now or timezone.now()) - timezone.timedelta(days=days)
        return self.pending().filter(created__lt=cutoff)


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Subscribed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        BOUNCED = "bounced", _("Bounced (suppressed)")
        ERASED = "erased", _("Erased")

    # NULL once erased, so the row (and every count built on it) survives.
    email = models.EmailField(_("email address"), max_length=254, null=True, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    token = models.CharField(
        _("unsubscribe token"), max_length=64, unique=True, default=new_token, editable=False
    )
    created = models.DateTimeField(_("signed up"), default=timezone.now, db_index=True)
    confirmation_sent_at = models.DateTimeField(_("confirmation sent"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    left_at = models.DateTimeField(_("unsubscribed, bounced or erased"), null=True, blank=True)
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    consent_page = models.CharField(_("consent given on page"), max_length=500, blank=True)
    consent_wording = models.CharField(_("consent wording version"), max_length=40, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["email"], name="newsletter_unique_subscriber_email")
        ]
        # Stored in the database, so plain English like Django's own permission names.
        permissions = [
            ("export_subscribers", "Can export subscribers (CSV of addresses)"),
            ("erase_subscribers", "Can erase subscribers' personal data"),
        ]

    def __str__(self):
        return self.email or _("erased subscriber #%(pk)s") % {"pk": self.pk}

    def leave(self, status):
        """Unsubscribe, bounce or erase; effective for the very next message."""
        self.status = status
        self.left_at = timezone.now()
        fields = ["status", "left_at"]
        if status != self.Status.ERASED:
            self.save(update_fields=fields)
            return
        self.email = None
        self.consent_page = ""
        self.token = new_token()
        fields += ["email", "consent_page", "token"]
        with transaction.atomic():
            self.save(update_fields=fields)
            # A server's refusal may quote the address; erasure leaves none behind.
            self.deliveries.exclude(error="").update(error="")


class IssueQuerySet(TranslatedQuerySet):
    def with_progress(self):
        counts = {
            f"{state}_count": Count("deliveries", filter=Q(deliveries__status=state))
            for state in Delivery.Status.values
        }
        return self.annotate(**counts)


class Issue(Translatable, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), help_text=_("Markdown. Use ## for sub-headings."))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created = models.DateTimeField(_("created"), default=timezone.now)
    send_requested_at = models.DateTimeField(_("sending requested"), null=True, blank=True)
    finished_at = models.DateTimeField(_("sending finished"), null=True, blank=True)
    # The running send holds a lease; a lease left to expire means that run died.
    send_run = models.CharField(_("sending run"), max_length=32, blank=True, editable=False)
    send_heartbeat = models.DateTimeField(_("last sign of life"), null=True, editable=False)

    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        ordering = ["-created", "-pk"]
        permissions = [("send_issue", "Can send issues to subscribers")]

    def __str__(self):
        return self.subject_en or self.subject or ""

    def clean_fields(self, exclude=None):
        """Every language's subject becomes a mail header: one line, no control characters.

        Checked here rather than in clean() so that a column left out of the form (a
        translator sees only their own language) is not reported against a missing field.
        """
        errors = {}
        try:
            super().clean_fields(exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        skip = set(exclude or ()) | set(errors)
        for name in self.subject_columns():
            if name not in skip and has_control_characters(getattr(self, name, "")):
                errors[name] = [
                    ValidationError(
                        _("The subject must be one line without control characters."),
                        code="control_characters",
                    )
                ]
        if errors:
            raise ValidationError(errors)

    @classmethod
    def subject_columns(cls):
        return [
            field.name
            for field in cls._meta.concrete_fields
            if field.name == "subject" or field.name.startswith("subject_")
        ]

    def progress(self):
        counts = dict.fromkeys(Delivery.Status.values, 0)
        rows = self.deliveries.values_list("status").annotate(n=Count("pk")).order_by()
        counts.update(dict(rows))
        return counts


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Handed to SMTP")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        IN_DOUBT = "in_doubt", _("In doubt")
        SKIPPED = "skipped", _("Skipped (left before sending)")

    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="deliveries"
    )
    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    language = models.CharField(_("language sent"), max_length=10, blank=True)
    run = models.CharField(_("sending run"), max_length=32, blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "subscriber"], name="newsletter_one_delivery_per_subscriber"
            )
        ]
        indexes = [models.Index(fields=["issue", "status"], name="newsletter_delivery_progress")]

    def __str__(self):
        return f"{self.issue} → {self.subscriber}"


class SubscriberAudit(models.Model):
    """Who exported or erased subscribers, when and how many; never the addresses."""

    class Action(models.TextChoices):
        EXPORT = "export", _("Exported as CSV")
        ERASE = "erase", _("Erased")

    created = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text too, so the record outlives the account.
    username = models.CharField(_("account"), max_length=150)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    count = models.PositiveIntegerField(_("subscribers"))

    class Meta:
        verbose_name = _("subscriber audit record")
        verbose_name_plural = _("subscriber audit records")
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"{self.created:%Y-%m-%d %H:%M} {self.username} {self.action} {self.count}"

    @classmethod
    def record(cls, user, action, count):
        return cls.objects.create(
            user=user, username=user.get_username(), action=action, count=count
        )
