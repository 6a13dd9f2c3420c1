"""Strings of Django's own admin that Django 6.1's catalogues leave untranslated in some of
our languages (the action button, a select's empty choice, the delete confirmation, the
labels screen readers hear on lists and filters, background task states). Named here so that
``makemessages`` keeps them in ``locale/``, which Django reads before its own catalogues; the
French ones repeat Django's own translations. Never imported: only read by ``makemessages``.
"""

from django.utils.translation import gettext_noop, ngettext_lazy, pgettext_lazy

ADMIN = [
    gettext_noop("Run"),
    gettext_noop("- Select an option -"),
    gettext_noop("Filter by %(field_name)s"),
    gettext_noop("Search %(name)s"),
    gettext_noop("Pagination %(name)s"),
    gettext_noop("Pagination %(name)s entries"),
    gettext_noop("Logout"),
    gettext_noop("No %s matches the given query."),
    gettext_noop(
        "Are you sure you want to delete the %(object_name)s “%(escaped_object)s”? All of "
        "the following related items will be deleted:"
    ),
    gettext_noop(
        "Deleting the %(object_name)s “%(escaped_object)s” would require deleting the "
        "following protected related objects:"
    ),
    gettext_noop(
        "Deleting the %(object_name)s “%(escaped_object)s” would result in deleting related "
        "objects, but your account doesn't have permission to delete the following types of "
        "objects:"
    ),
]
MORE_OBJECTS = ngettext_lazy("…and %(count)d more object.", "…and %(count)d more objects.", "count")
TASK_STATES = [
    pgettext_lazy("Task", "Ready"),
    pgettext_lazy("Task", "Running"),
    pgettext_lazy("Task", "Failed"),
    pgettext_lazy("Task", "Successful"),
]
