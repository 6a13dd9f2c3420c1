from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from knowaml.content import (
    PublishableQuerySet,
    Scheduled,
    Status,
    TranslatedContent,
    slug_constraints,
)
from knowaml.languages import is_blank

from . import images


class Role(models.TextChoices):
    PATIENT = "patient", _("Patient")
    CAREGIVER = "caregiver", _("Caregiver")
    FAMILY = "family", _("Family member")


class Story(Scheduled, TranslatedContent):
    Role = Role
    Status = Status

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, allow_unicode=True, null=True, blank=True)
    first_name = models.CharField(
        _("first name"), max_length=100, help_text=_("Only a first name, never a surname.")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, db_index=True)
    summary = models.CharField(
        _("summary"), max_length=300, help_text=_("One or two plain sentences.")
    )
    body = models.TextField(_("story"), help_text=_("Markdown. Use ## for sub-headings."))
    portrait = models.ImageField(
        _("portrait"),
        upload_to=images.portrait_name,
        blank=True,
        validators=[images.validate_portrait],
        help_text=_(
            "JPEG, PNG or WebP, at least 320 pixels wide and high, at most 5 MB. Location and "
            "camera data are removed on upload."
        ),
    )
    portrait_alt = models.CharField(
        _("portrait description (alt text)"),
        max_length=250,
        blank=True,
        help_text=_("What the picture shows, for people who cannot see it."),
    )
    portrait_is_decorative = models.BooleanField(
        _("portrait is decorative"),
        default=False,
        help_text=_("Tick if the picture adds nothing the text does not say; it gets no alt text."),
    )
    renditions = models.JSONField(_("resized copies"), default=list, blank=True, editable=False)
    video_url = models.URLField(_("video URL"), blank=True)
    transcript = models.TextField(_("video transcript"), blank=True, help_text=_("Markdown."))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published = models.DateField(_("published"), default=timezone.localdate)
    consent_on_file = models.DateField(
        _("consent on file"),
        null=True,
        blank=True,
        help_text=_("The date the signed consent form was received. Needed before publishing."),
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        ordering = ["-published", "-pk"]
        constraints = slug_constraints("story")

    def __str__(self):
        return self.title_en or self.title or ""

    def save(self, *args, **kwargs):
        previous = list(self.renditions or [])
        if self.portrait and not self.portrait._committed:
            cleaned = images.strip_metadata(self.portrait)
            self.portrait.save(cleaned.name, cleaned, save=False)
            self.renditions = images.make_renditions(self.portrait.name)
        elif not self.portrait:
            self.renditions = []
        super().save(*args, **kwargs)
        images.delete_renditions([r for r in previous if r not in self.renditions])

    def get_absolute_url(self):
        return reverse("stories:detail", kwargs={"slug": self.effective_slug()})

    def clean(self):
        super().clean()
        errors = {}
        if (self.status == Status.PUBLISHED or self.go_live_at) and not self.consent_on_file:
            errors["consent_on_file"] = _(
                "A story can only be published once the person's consent is on file. Enter the "
                "date the signed consent form was received, or keep the story as a draft."
            )
        elif self.consent_on_file and self.consent_on_file > timezone.localdate():
            errors["consent_on_file"] = _("The consent date cannot be in the future.")
        if self.portrait and not self.portrait_is_decorative and is_blank(self.portrait_alt_en):
            errors["portrait_alt_en"] = _(
                "Describe the portrait for people who cannot see it, or tick "
                "“portrait is decorative”."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED

    def portrait_image(self, display_width=None):
        return images.responsive_image(self.renditions, display_width)

    def share_image(self, language=None):
        """The largest copy of the portrait, for link previews; None without a portrait."""
        if not self.renditions:
            return None
        largest = self.renditions[-1]
        shown = self.localized(language)
        return {
            "url": default_storage.url(largest["name"]),
            "width": largest["width"],
            "height": largest["height"],
            "alt": shown.portrait_alt or shown.title,
        }


@receiver(post_delete, sender=Story)
def delete_pictures(sender, instance, **kwargs):
    """A deleted story is often a withdrawn consent: its pictures go with it (bulk too)."""
    images.delete_renditions(list(instance.renditions or []))
    if instance.portrait:
        instance.portrait.storage.delete(instance.portrait.name)
