"""The admin page where a reviewer records a review that found nothing to change."""

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _

from ..languages import SOURCE_LANGUAGE, language_codes
from . import review_only
from .models import Revision

CONFIRM = gettext_lazy("I have read the live page in full and it needs no change.")


class TranslationReviewForm(forms.Form):
    confirm = forms.BooleanField(
        label=CONFIRM,
        error_messages={"required": gettext_lazy("Confirm that the page needs no change.")},
    )


class ClinicalReviewForm(TranslationReviewForm):
    role = forms.CharField(
        label=gettext_lazy("Your role, as shown to visitors"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("For example: Consultant haematologist."),
    )
    next_review = forms.DateField(
        label=gettext_lazy("Next review due"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": gettext_lazy("Give the date of the next review.")},
    )

    def clean_next_review(self):
        value = self.cleaned_data["next_review"]
        if value <= timezone.localdate():
            raise ValidationError(_("The next review must be after today."))
        return value

    field_order = ["role", "next_review", "confirm"]


def record_review_url(obj, language):
    content_type = ContentType.objects.get_for_model(type(obj))
    return reverse("admin:revisions_record_review", args=[content_type.pk, obj.pk, language])


def record_review_links(user, obj):
    """The reviews ``user`` may record on the live ``obj``, one link per language."""
    links = []
    for code in review_only.review_languages(user, obj):
        if code == SOURCE_LANGUAGE:
            label = _("Record a clinical review without changes")
        else:
            label = _("Record a review of the %(language)s translation without changes") % {
                "language": get_language_info(code)["name_translated"]
            }
        links.append({"language": code, "label": label, "url": record_review_url(obj, code)})
    return links


def default_role(user):
    """The role this reviewer last gave visitors."""
    last = (
        Revision.objects.filter(decided_by=user, state=Revision.State.APPROVED)
        .filter(language=SOURCE_LANGUAGE, kind=Revision.Kind.CLINICAL)
        .exclude(reviewer_role="")
        .order_by("-decided_at")
        .values_list("reviewer_role", flat=True)
        .first()
    )
    return last or _("Clinical reviewer")


def reviewed_object(content_type_id, object_id):
    model = get_object_or_404(ContentType, pk=content_type_id).model_class()
    if model not in review_only.REVIEWABLE:
        raise Http404
    return get_object_or_404(model._base_manager, pk=object_id)


def record_review_view(request, admin_site, content_type_id, object_id, language):
    obj = reviewed_object(content_type_id, object_id)
    user = request.user
    if language not in language_codes() or not review_only.may_record_review(user, obj, language):
        raise PermissionDenied
    clinical = language == SOURCE_LANGUAGE
    form_class = ClinicalReviewForm if clinical else TranslationReviewForm
    opts = obj._meta
    change_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    status = 200
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                reviewed = review_only.record_review(
                    obj,
                    user,
                    language=language,
                    role=form.cleaned_data.get("role", ""),
                    next_review=form.cleaned_data.get("next_review"),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, recorded_message(reviewed, language))
                return HttpResponseRedirect(change_url)
        status = 400
    else:
        form = form_class(initial={"role": default_role(user)} if clinical else None)
    language_name = get_language_info(language)["name_translated"]
    if clinical:
        title = _("Clinical review of “%(object)s”") % {"object": f"\u2068{obj}\u2069"}
    else:
        title = _("Review of the %(language)s translation of “%(object)s”") % {
            "language": language_name,
            "object": f"\u2068{obj}\u2069",
        }
    context = {
        **admin_site.each_context(request),
        "opts": opts,
        "title": title,
        "object": obj,
        "object_url": change_url,
        "clinical": clinical,
        "public_url": obj.get_absolute_url() if clinical else None,
        "language_name": language_name,
        "form": form,
    }
    return TemplateResponse(request, "admin/revisions/record_review.html", context, status=status)


def recorded_message(obj, language):
    if language != SOURCE_LANGUAGE:
        return _("Review recorded: the %(language)s translation is marked reviewed.") % {
            "language": get_language_info(language)["name_translated"]
        }
    return _("Review recorded. Next review due: %(date)s.") % {
        "date": date_format(obj.next_review, "DATE_FORMAT")
    }
