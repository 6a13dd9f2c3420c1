import re

from django import forms
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from .models import COMMENT_MAX_LENGTH

# Kinds of page that may collect feedback; any other target is refused.
FEEDBACK_MODELS = {"education.article", "education.page", "stories.story"}


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(
        label=_("Was this page helpful?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        error_messages={"required": _("Choose “Yes” or “No”.")},
    )
    comment = forms.CharField(
        label=_("What could be better? (optional)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": COMMENT_MAX_LENGTH}),
    )
    # Honeypot: hidden from people (and screen readers), filled in by form-filling bots.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    target = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def is_bot(self):
        return bool(self.data.get("website"))


def target_for(obj):
    content_type = ContentType.objects.get_for_model(obj)
    return f"{content_type.app_label}.{content_type.model}:{obj.pk}"


def find_target(value):
    """The page a form names, or None when it names nothing we collect feedback on."""
    label, _colon, pk = (value or "").partition(":")
    # str.isdigit() accepts "²" and Arabic-Indic digits, which int() then refuses or misreads.
    if label not in FEEDBACK_MODELS or not re.fullmatch(r"[0-9]{1,18}", pk):
        return None
    try:
        model = apps.get_model(label)
    except LookupError:
        return None
    obj = model._default_manager.filter(pk=int(pk)).first()
    if obj is None or not getattr(obj, "is_published", True):
        return None
    return obj
