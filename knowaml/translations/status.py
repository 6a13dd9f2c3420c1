"""Is an object translated, missing or out of date in a language?"""

from dataclasses import dataclass, field

from ..content import missing_translation
from ..fragments import Versioned
from ..languages import SOURCE_LANGUAGE, is_blank
from .models import TranslationRecord
from .registry import column, text_fields

TRANSLATED, MISSING, NEEDS_UPDATE = "translated", "missing", "needs-update"

# Pages that show a translation's status keep it until a record changes.
records = Versioned("translations:records", [TranslationRecord])


@dataclass
class LanguageStatus:
    state: str
    stale_fields: list = field(default_factory=list)
    missing_fields: list = field(default_factory=list)
    reviewed_at: object = None
    translated_at: object = None

    @property
    def needs_update(self):
        return self.state == NEEDS_UPDATE


def status_of(obj, language, records):
    """``records`` maps field name → TranslationRecord for this object and language."""
    model = type(obj)
    missing = missing_translation(obj, language)
    stale = []
    for name in text_fields(model):
        record = records.get(name)
        value = getattr(obj, column(name, language))
        if record and not is_blank(value):
            if record.is_stale(getattr(obj, column(name, SOURCE_LANGUAGE))):
                stale.append(name)
    reviewed = [r.reviewed_at for r in records.values() if r.reviewed_at]
    translated = [r.translated_at for r in records.values()]
    if missing:
        state = MISSING
    elif stale:
        state = NEEDS_UPDATE
    else:
        state = TRANSLATED
    # A review counts only if it happened after the latest translation.
    reviewed_at = (
        max(reviewed) if reviewed and (not translated or min(reviewed) >= max(translated)) else None
    )
    return LanguageStatus(
        state=state,
        stale_fields=stale,
        missing_fields=missing,
        reviewed_at=reviewed_at,
        translated_at=max(translated) if translated else None,
    )


def records_by_object(model, ids, language):
    grouped = {}
    for record in TranslationRecord.objects.for_objects(model, ids).filter(language=language):
        grouped.setdefault(record.object_id, {})[record.field] = record
    return grouped


def status_for(obj, language):
    """One query: the status of one object in one language."""
    records = records_by_object(type(obj), [obj.pk], language).get(obj.pk, {})
    return status_of(obj, language, records)
