from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _


class RevisionQuerySet(models.QuerySet):
    OPEN = ("draft", "submitted", "changes-requested")

    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
        )

    def open(self):
        return self.filter(state__in=self.OPEN)


class Revision(models.Model):
    """A proposed change to live content, kept apart from the live row until it is approved."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        APPROVED = "approved", _("Approved")
        SCHEDULED = "scheduled", _("Approved, to go live at its time")
        CHANGES_REQUESTED = "changes-requested", _("Changes requested")
        DISCARDED = "discarded", _("Discarded")

    class Kind(models.TextChoices):
        CLINICAL = "clinical", _("Clinical change")
        MINOR = "minor", _("Minor, non-clinical change")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveIntegerField()
    content_object = GenericForeignKey()
    language = models.CharField(_("language"), max_length=10)
    values = models.JSONField(_("proposed values"))
    live_values = models.JSONField(_("live values when proposed"))
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CLINICAL)
    comment = models.TextField(_("reviewer's comment"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="revisions",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reviewer_role = models.CharField(_("reviewer's role"), max_length=200, blank=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "state"])]
        permissions = [("approve_clinical", "Can approve clinical changes")]

    def __str__(self):
        return f"{self.content_object} ({self.language}, {self.get_state_display()})"

    @property
    def language_name(self):
        return get_language_info(self.language)["name_translated"]
