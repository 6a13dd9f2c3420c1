from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from knowaml.admin_tools import ScheduleFilter, TranslatedAdmin, search_in_every_language

from . import images
from .models import Story


@admin.register(Story)
class StoryAdmin(TranslatedAdmin):
    list_display = ("__str__", "first_name", "role", "status", "published", "consent_on_file")
    list_filter = ("role", "status", ScheduleFilter, TranslatedAdmin.translation_filter)
    search_fields = ("first_name", *search_in_every_language("title", "summary", "body"))
    date_hierarchy = "published"
    readonly_fields = ("portrait_preview",)
    prepopulated_fields = {"slug": ("title",)}
    fieldsets = (
        (None, {"fields": ("status", "published", "consent_on_file")}),
        (_("Schedule"), {"fields": ("go_live_at", "take_down_at")}),
        (_("Person"), {"fields": ("first_name", "role")}),
        (_("Text"), {"fields": ("title", "slug", "summary", "body")}),
        (
            _("Portrait"),
            {"fields": ("portrait", "portrait_preview", "portrait_alt", "portrait_is_decorative")},
        ),
        (_("Video"), {"fields": ("video_url", "transcript")}),
    )

    def revision_upload(self, obj, name, file):
        if name == "portrait":
            # No location or camera data is stored, even while the revision waits.
            cleaned = images.strip_metadata(file)
            file.save(cleaned.name, cleaned, save=False)
            return file.name
        return super().revision_upload(obj, name, file)

    @admin.display(description=_("current portrait"))
    def portrait_preview(self, obj):
        image = obj.portrait_image(display_width=160) if obj else None
        if not image:
            return "—"
        return format_html(
            '<img src="{}" width="{}" height="{}" alt="">',
            image["src"],
            image["width"],
            image["height"],
        )
