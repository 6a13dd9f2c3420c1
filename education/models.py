import datetime

from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Max, Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from knowaml.content import (
    PublishableQuerySet,
    Scheduled,
    Status,
    TranslatedContent,
    TranslatedQuerySet,
    fixed_route_at,
    slug_constraints,
)
from knowaml.languages import SOURCE_LANGUAGE
from knowaml.rendering import render_markdown
from knowaml.text import normalise_text
from knowaml.translations.registry import column, text_fields

PLACE_LAST = _("Leave empty to place it after the others.")
# The stand-alone page that says who runs the site.
ABOUT_PAGE_SLUG = "about-us"


class OrderedLast:
    """A new object without an order goes after its peers, instead of jumping to the top."""

    order_among = ()  # fields whose values make the peers (an article's section)

    def save(self, *args, **kwargs):
        if self.order is None:
            peers = type(self)._base_manager.filter(
                **{name: getattr(self, name) for name in self.order_among}
            )
            self.order = (peers.aggregate(last=Max("order"))["last"] or 0) + 1
        super().save(*args, **kwargs)


class TopLevelAddress:
    """Sections and stand-alone pages share the addresses /<lang>/<slug>/."""

    def get_absolute_url(self):
        return reverse("education:section", kwargs={"section": self.effective_slug()})

    def address_neighbours(self):
        return [
            model._base_manager.all() for model in (Section, Page) if not isinstance(self, model)
        ]

    def address_is_fixed(self, language, slug):
        return fixed_route_at(language, f"{slug}/", "education:section")


class SectionQuerySet(TranslatedQuerySet):
    def with_published_articles(self):
        """Each section with its published articles in order, in two queries."""
        articles = Article.objects.published().in_section_order()
        return self.prefetch_related(
            Prefetch("articles", queryset=articles, to_attr="published_articles")
        )


class Section(OrderedLast, TopLevelAddress, TranslatedContent):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, allow_unicode=True, null=True, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    intro = models.TextField(_("introduction"), blank=True, help_text=_("Markdown."))
    order = models.PositiveIntegerField(_("order"), blank=True, help_text=PLACE_LAST)

    objects = SectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["order", "pk"]
        constraints = slug_constraints("section")

    def __str__(self):
        return self.title_en or self.title or ""

    @property
    def intro_html(self):
        return render_markdown(self.intro).html


class HealthPageQuerySet(PublishableQuerySet):
    def review_overdue(self, today=None):
        return self.filter(next_review__lt=today or timezone.localdate())

    def review_due_within(self, days, today=None):
        today = today or timezone.localdate()
        return self.filter(
            next_review__gte=today, next_review__lte=today + datetime.timedelta(days)
        )


class HealthPage(Scheduled, TranslatedContent):
    """Fields every reviewed health page has: text, status and review record."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, allow_unicode=True, null=True, blank=True)
    summary = models.CharField(
        _("summary"), max_length=300, help_text=_("One or two plain sentences.")
    )
    body = models.TextField(
        _("body"), help_text=_("Markdown. Use ## for sub-headings; they build the contents list.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published = models.DateField(_("first published"), default=timezone.localdate)
    updated = models.DateField(_("last updated"), default=timezone.localdate)
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    next_review = models.DateField(_("next review due"), null=True, blank=True)
    reviewer_name = models.CharField(_("reviewer's name"), max_length=200, blank=True)
    reviewer_role = models.CharField(_("reviewer's role"), max_length=200, blank=True)

    objects = HealthPageQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return self.title_en or self.title or ""

    def save(self, *args, **kwargs):
        if self.pk and self.english_text_changed_alone():
            self.updated = timezone.localdate()
        super().save(*args, **kwargs)

    def english_text_changed_alone(self):
        """The English text changed and the editor left "last updated" as it was."""
        english = [column(name, "en") for name in text_fields(type(self))]
        before = type(self)._base_manager.filter(pk=self.pk).values("updated", *english).first()
        return (
            before is not None
            and before["updated"] == self.updated
            and any((before[c] or "") != (normalise_text(getattr(self, c)) or "") for c in english)
        )

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED

    def schema_type(self):
        """What the page is, in schema.org's words, for search engines."""
        return "WebPage"


class ArticleQuerySet(HealthPageQuerySet):
    def in_section_order(self):
        return self.order_by("order", "pk")

    def recently_updated(self):
        return self.select_related("section").order_by("-updated", "-pk")


class Article(OrderedLast, HealthPage):
    Status = Status
    order_among = ("section",)

    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="articles"
    )
    video_url = models.URLField(
        _("explainer video URL"), blank=True, help_text=_("YouTube or Vimeo address.")
    )
    video_title = models.CharField(_("video title"), max_length=200, blank=True)
    video_file = models.FileField(
        _("video file"),
        upload_to="videos/",
        blank=True,
        validators=[FileExtensionValidator(["mp4", "webm"])],
        help_text=_("A video hosted on this site (MP4 or WebM), instead of a video address."),
    )
    video_captions = models.FileField(
        _("captions (WebVTT)"),
        upload_to="captions/",
        blank=True,
        validators=[FileExtensionValidator(["vtt"])],
        help_text=_("Captions in this language for the video file (.vtt)."),
    )
    transcript = models.TextField(_("video transcript"), blank=True, help_text=_("Markdown."))
    order = models.PositiveIntegerField(_("order in section"), blank=True, help_text=PLACE_LAST)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["section__order", "order", "pk"]
        constraints = slug_constraints("article")

    def get_absolute_url(self):
        return reverse(
            "education:article",
            kwargs={"section": self.section.effective_slug(), "article": self.effective_slug()},
        )

    def schema_type(self):
        return "MedicalWebPage"

    def siblings(self):
        """The published articles of its section, itself included, in order."""
        return self.section.articles.published().in_section_order()


class Page(OrderedLast, TopLevelAddress, HealthPage):
    """A stand-alone page such as About Us or the editorial policy."""

    Status = Status

    order = models.PositiveIntegerField(_("order in footer"), blank=True, help_text=PLACE_LAST)

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["order", "pk"]
        constraints = slug_constraints("page")

    def schema_type(self):
        return (
            "AboutPage" if self.value_in("slug", SOURCE_LANGUAGE) == ABOUT_PAGE_SLUG else "WebPage"
        )


class LinkStatus(models.TextChoices):
    UNCHECKED = "unchecked", _("Not checked yet")
    OK = "ok", _("Working")
    MOVED = "moved", _("Moved")
    BROKEN = "broken", _("Broken")


class Reference(models.Model):
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="references"
    )
    citation = models.TextField(_("citation"))
    url = models.URLField(_("address"), max_length=500, blank=True)
    published = models.CharField(
        _("published"), max_length=40, blank=True, help_text=_("For example 2022 or 2022-09-22.")
    )
    accessed = models.DateField(_("accessed"), null=True, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    link_status = models.CharField(
        _("link check"), max_length=10, choices=LinkStatus.choices, default=LinkStatus.UNCHECKED
    )
    link_checked = models.DateTimeField(_("link checked"), null=True, blank=True)
    link_note = models.CharField(_("link check result"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("reference")
        verbose_name_plural = _("references")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.citation[:80]


class GlossaryTerm(TranslatedContent):
    """A medical word explained in plain language, on the A–Z page and inside articles."""

    term = models.CharField(_("term"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, allow_unicode=True, null=True, blank=True)
    definition = models.TextField(
        _("definition"), help_text=_("Markdown. One to three plain sentences.")
    )
    also_matches = models.CharField(
        _("other forms"),
        max_length=300,
        blank=True,
        help_text=_(
            "Other forms of the word found in articles, separated by commas (for example "
            "“blasts” for “blast”)."
        ),
    )

    class Meta:
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")
        ordering = ["pk"]
        constraints = slug_constraints("glossaryterm")

    def __str__(self):
        return self.term_en or self.term or ""

    def get_absolute_url(self):
        return f"{reverse('glossary')}#term-{self.effective_slug()}"

    def variants(self, language):
        """The term and its other forms, as written in ``language``."""
        shown = self.localized(language)
        words = [shown.term, *shown.also_matches.split(",")]
        return [word.strip() for word in words if word.strip()]
