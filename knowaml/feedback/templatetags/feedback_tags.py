from django import template

from knowaml.content import Localized

from ..forms import FeedbackForm, target_for

register = template.Library()


@register.inclusion_tag("feedback/includes/box.html", takes_context=True)
def feedback_box(context, obj):
    """ "Was this page helpful?": the same for every visitor, so the page stays cacheable."""
    if context.get("is_preview") or obj is None:
        return {"show": False}
    if isinstance(obj, Localized):
        obj = obj.object
    request = context.get("request")
    thanked = request is not None and request.GET.get("feedback") == "thanks"
    form = FeedbackForm(auto_id="feedback-%s", initial={"target": target_for(obj)})
    return {"show": True, "thanked": thanked, "form": form}
