"""PO files for translation agencies: export what is missing or out of date, import it back.

Each unit's context names the object, field and paragraph (``education.article:3:body:2``);
its extracted comment carries a fingerprint of the English field it was made from, so an
import can tell when the English has changed since the export. An import checks and writes
a batch of objects at a time, in a fixed number of queries per batch, so that tens of
thousands of units fit in one request.
"""

import datetime
import re
import tempfile
from dataclasses import dataclass, field

import polib
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, models, transaction
from django.db.models import Q
from django.db.models.signals import post_save
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from simple_history.utils import get_history_manager_for_model

from ..languages import SOURCE_LANGUAGE, is_blank, language_codes
from ..text import normalise_text
from .import_revisions import mark_for_review, propose_for_review, report_revisions, split_live
from .models import TranslationRecord, source_hash
from .registry import column, text_fields, translatable_models
from .signals import current_user
from .status import records_by_object, status_of

EXPORTED_HEADER = "X-Know-AML-Exported"
HASH_PREFIX = "source: "
LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")
NUMBER = re.compile(r"[0-9]{1,18}")
ALLOWED_LINK = re.compile(r"^(https?://|mailto:|tel:|/|#)\S*$")
UNIT_START = re.compile(r"^[ \t]*(?:#~[ \t]*)?msgid[ \t]", re.MULTILINE)
PO_HEADER = re.compile(r'\A\ufeff?(?:[ \t]*(?:#[^\n]*)?\r?\n)*msgid[ \t]+""[ \t]*\r?\nmsgstr[ \t]')
# Objects checked and written per batch: each batch costs a fixed number of queries, and
# IN lists and bulk statements stay well inside every database's limits.
BATCH_SIZE = 1000
RECORD_KEY = ["content_type", "object_id", "field", "language"]
RECORD_STAMP = [
    "source_hash",
    "source_text",
    "translated_at",
    "translated_by",
    "reviewed_at",
    "reviewed_by",
]


def paragraphs(text, model, name):
    """Long Markdown bodies travel as one unit per paragraph."""
    if isinstance(model._meta.get_field(name), models.TextField):
        return [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return [text.strip()]


def join(model, name, parts):
    return (
        "\n\n".join(parts)
        if isinstance(model._meta.get_field(name), models.TextField)
        else parts[0]
    )


def unit_context(obj, name, index):
    return f"{obj._meta.label_lower}:{obj.pk}:{name}:{index}"


def export_po(language):
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": "Know AML content",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        EXPORTED_HEADER: timezone.now().isoformat(),
    }
    for model in translatable_models():
        objects = list(model._base_manager.order_by("pk"))
        records = records_by_object(model, [o.pk for o in objects], language)
        for obj in objects:
            status = status_of(obj, language, records.get(obj.pk, {}))
            for name in text_fields(model):
                english = getattr(obj, column(name, SOURCE_LANGUAGE)) or ""
                current = getattr(obj, column(name, language)) or ""
                if is_blank(english) or (not is_blank(current) and name not in status.stale_fields):
                    continue
                source_parts = paragraphs(english, model, name)
                old_parts = paragraphs(current, model, name) if current else []
                aligned = len(old_parts) == len(source_parts)
                for index, part in enumerate(source_parts):
                    entry = polib.POEntry(
                        msgctxt=unit_context(obj, name, index),
                        msgid=part,
                        msgstr=old_parts[index] if aligned else "",
                        comment=f"{HASH_PREFIX}{source_hash(english)}",
                        tcomment=f"{model._meta.verbose_name}: {obj} — {name}",
                    )
                    if aligned and current:
                        entry.flags.append("fuzzy")
                    po.append(entry)
    return po


@dataclass
class ImportReport:
    changes: list = field(default_factory=list)
    rejected: list = field(default_factory=list)
    unchanged: int = 0
    applied: bool = False
    revisions: list = field(default_factory=list)  # applied changes waiting for review

    def reject(self, unit, reason):
        self.rejected.append({"unit": unit, "reason": reason})


@dataclass
class Change:
    name: str
    old: str
    new: str
    unit: str


def count_units(content):
    """How many units a PO file holds, counted without parsing it."""
    return len(UNIT_START.findall(content)) - bool(PO_HEADER.match(content))


def _broken_links(text):
    if text.count("[") != text.count("]") or text.count("](") != len(LINK.findall(text)):
        return True
    return any(not ALLOWED_LINK.match(target.strip()) for _, target in LINK.findall(text))


def _parse(content):
    """Parse uploaded text; never let polib take it for a path on the server."""
    with tempfile.NamedTemporaryFile("w", suffix=".po", encoding="utf-8") as file:
        file.write(content)
        file.flush()
        try:
            return polib.pofile(file.name)
        except (OSError, ValueError, UnicodeError):
            return None


def _exported_at(po):
    try:
        exported_at = parse_datetime(po.metadata.get(EXPORTED_HEADER, "") or "")
    except ValueError:
        return None
    if exported_at is not None and timezone.is_naive(exported_at):
        exported_at = timezone.make_aware(exported_at, datetime.UTC)
    return exported_at


def _units_by_object(po, report):
    """``{model: {pk: {field: [(index, entry), …]}}}`` in the file's order."""
    models_by_label = {m._meta.label_lower: m for m in translatable_models()}
    fields_by_model = {m: set(text_fields(m)) for m in models_by_label.values()}
    grouped = {}
    for entry in po:
        label, _, rest = (entry.msgctxt or "").partition(":")
        pk, _, rest = rest.partition(":")
        name, _, index = rest.partition(":")
        if not (NUMBER.fullmatch(pk) and NUMBER.fullmatch(index)):
            report.reject(entry.msgctxt or entry.msgid[:40], "Unknown unit.")
            continue
        model = models_by_label.get(label)
        if model is None or name not in fields_by_model[model]:
            report.reject(f"{label}:{pk}:{name}", "Unknown unit: no such page or field.")
            continue
        fields = grouped.setdefault(model, {}).setdefault(int(pk), {})
        fields.setdefault(name, []).append((int(index), entry))
    return grouped


def _new_text(obj, name, units, record, exported_at, report, unit):
    """The field's text in the file, or None when there is nothing to import."""
    model = type(obj)
    english = getattr(obj, column(name, SOURCE_LANGUAGE)) or ""
    fingerprint = f"{HASH_PREFIX}{source_hash(english)}"
    if any(e.comment.strip() != fingerprint for _, e in units):
        return report.reject(unit, "The English text changed after the export; export again.")
    if any(not e.msgstr.strip() or "fuzzy" in e.flags for _, e in units):
        return None  # not translated yet: nothing to do, nothing wrong
    units.sort(key=lambda pair: pair[0])
    if [i for i, _ in units] != list(range(len(paragraphs(english, model, name)))):
        return report.reject(unit, "Some paragraphs are missing from the file.")
    value = join(model, name, [normalise_text(e.msgstr) for _, e in units])
    if _broken_links(value):
        return report.reject(unit, "Broken Markdown link.")
    if record and record.translated_at > exported_at:
        return report.reject(unit, "Edited in the admin after the export; not overwritten.")
    return value


def _address_suspects(model, renamed, language):
    """Renamed objects whose new slug another page may already answer to: one query a space.

    Generous on purpose: a suspect gets the model's full validation, which decides and words
    the error; any other renamed object is cleared without a query of its own.
    """
    sample = next(iter(renamed.values()))[0]
    spaces = [model._base_manager.all(), *sample.address_neighbours()]
    slugs = {slug for _, slug in renamed.values()}
    taken = Q(**{f"slug_{language}__in": slugs}) | Q(**{f"slug_{SOURCE_LANGUAGE}__in": slugs})
    holders = {}
    for space in spaces:
        for pk, *held in space.filter(taken).values_list(
            "pk", f"slug_{language}", f"slug_{SOURCE_LANGUAGE}"
        ):
            for slug in set(held) & slugs:
                holders.setdefault(slug, set()).add((space.model, pk))
    suspects = {
        pk
        for pk, (obj, slug) in renamed.items()
        if holders.get(slug, set()) - {(model, pk)} or obj.address_is_fixed(language, slug)
    }
    return suspects, frozenset(space.model for space in spaces)


def _check_batch(model, batch, language, exported_at, report, claimed):
    """Check one batch of a model's objects; return ``[(obj, [Change, …])]`` that pass."""
    label = model._meta.label_lower
    objects = model._base_manager.in_bulk(list(batch))
    records = records_by_object(model, list(objects), language)
    pending = []
    for pk, fields in batch.items():
        obj, changes = objects.get(pk), []
        for name, units in fields.items():
            unit = f"{label}:{pk}:{name}"
            if obj is None:
                report.reject(unit, "Unknown unit: no such page or field.")
                continue
            record = records.get(pk, {}).get(name)
            value = _new_text(obj, name, units, record, exported_at, report, unit)
            if value is None:
                continue
            current = getattr(obj, column(name, language)) or ""
            if value == current:
                report.unchanged += 1
                continue
            changes.append(Change(name, current, value, unit))
        for change in changes:
            setattr(obj, column(change.name, language), change.new)
        if changes:
            pending.append((obj, changes))
    return _validate(model, pending, language, report, claimed)


def _validate(model, pending, language, report, claimed):
    """Validate the changed objects; return those that pass."""
    renamed = {
        obj.pk: (obj, getattr(obj, column("slug", language)))
        for obj, changes in pending
        if any(change.name == "slug" for change in changes)
    }
    if renamed and hasattr(model, "address_neighbours"):
        suspects, space = _address_suspects(model, renamed, language)
    else:  # no pages to compare with: whatever is renamed gets the model's own validation
        suspects, space = set(renamed), frozenset([model])
    passed = []
    for obj, changes in pending:
        changed = {column(change.name, language) for change in changes}
        exclude = [f.name for f in model._meta.fields if f.name not in changed]
        try:
            # Only this language's changed texts are new: the rest of the object was checked
            # when it was saved, and only a new slug can make it clash with another page.
            if obj.pk in suspects:
                obj.full_clean(exclude=exclude)
            else:
                obj.clean_fields(exclude=exclude)
        except ValidationError as error:
            for change in changes:
                report.reject(change.unit, "; ".join(error.messages))
            continue
        if obj.pk in renamed:
            address = (space, renamed[obj.pk][1])
            if address in claimed:
                for change in changes:
                    report.reject(
                        change.unit, f"The file gives “{address[1]}” to {claimed[address]} too."
                    )
                continue
            claimed[address] = f"{model._meta.label_lower}:{obj.pk}"
        for change in changes:
            report.changes.append(
                {
                    "unit": change.unit,
                    "object": str(obj),
                    "field": change.name,
                    "old": change.old,
                    "new": change.new,
                }
            )
        passed.append((obj, changes))
    return passed


def _update_columns(model, objects, columns):
    """One prepared UPDATE run for each object.

    ``bulk_update()`` builds a CASE per object and column, which took seconds for a thousand
    objects; this takes milliseconds.
    """
    fields = [model._meta.get_field(name) for name in columns]
    connection = connections[model._base_manager.db]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    # Only quoted names of our own table and columns are formatted in; values are parameters.
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET {assignments} "  # noqa: S608
        f"WHERE {quote(model._meta.pk.column)} = %s"
    )
    rows = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _save_batch(model, passed, language, now, user):
    """Write a checked batch in bulk: the texts with their history, then the records."""
    objects = [obj for obj, _ in passed]
    columns = sorted({column(c.name, language) for _, changes in passed for c in changes})
    _update_columns(model, objects, columns)
    # A history row also copies the plain attribute (``title``), which reads the active
    # language, as it does when one object is saved in the admin.
    with translation.override(language):
        get_history_manager_for_model(model).bulk_history_create(
            objects, batch_size=BATCH_SIZE, update=True
        )
    content_type = ContentType.objects.get_for_model(model)
    records = [
        TranslationRecord(
            content_type=content_type,
            object_id=obj.pk,
            field=change.name,
            language=language,
            source_hash=source_hash(getattr(obj, column(change.name, SOURCE_LANGUAGE))),
            source_text=getattr(obj, column(change.name, SOURCE_LANGUAGE)) or "",
            translated_at=now,
            translated_by=user,
        )
        for obj, changes in passed
        for change in changes
    ]
    TranslationRecord.objects.bulk_create(
        records,
        batch_size=BATCH_SIZE,
        update_conflicts=True,
        unique_fields=RECORD_KEY,
        update_fields=RECORD_STAMP,
    )
    for obj, changes in passed:
        old_slug = next((c.old for c in changes if c.name == "slug"), "")
        if old_slug:
            slugs = {f"slug_{code}": getattr(obj, f"slug_{code}") for code in language_codes()}
            obj._remember_old_slugs({**slugs, column("slug", language): old_slug})
        # Bulk updates send no signals. raw=True, as for fixtures, tells the receivers that
        # write history and translation records (done above, in bulk) to stand aside; the
        # caches still hear that the object changed.
        post_save.send(
            sender=model,
            instance=obj,
            created=False,
            raw=True,
            using=obj._state.db,
            update_fields=frozenset(columns),
        )


def import_po(content, language, apply=False):
    report = ImportReport()
    po = _parse(content)
    if po is None:
        report.reject("—", "Not a readable PO file.")
        return report
    if po.metadata.get("Language") != language:
        report.reject("—", f"This file is for “{po.metadata.get('Language')}”, not “{language}”.")
        return report
    exported_at = _exported_at(po)
    if exported_at is None:
        report.reject("—", f"The file has no valid {EXPORTED_HEADER} header; export it again.")
        return report
    checked, claimed = [], {}
    for model, units_by_pk in _units_by_object(po, report).items():
        pks = list(units_by_pk)
        for start in range(0, len(pks), BATCH_SIZE):
            batch = {pk: units_by_pk[pk] for pk in pks[start : start + BATCH_SIZE]}
            passed = _check_batch(model, batch, language, exported_at, report, claimed)
            if passed:
                checked.append((model, passed))
    # What visitors can see waits for review as a revision; the rest is written at once.
    checked = [(model, *split_live(passed, language)) for model, passed in checked]
    mark_for_review(report, [pair for _, live, _ in checked for pair in live])
    if apply and checked:
        now, user, revisions = timezone.now(), current_user(), []
        try:
            with transaction.atomic():
                for model, live, others in checked:
                    if others:
                        _save_batch(model, others, language, now, user)
                    revisions += propose_for_review(live, language, user, report)
        except IntegrityError:
            report.changes = []
            report.reject("—", "A page changed during the import; nothing was saved. Try again.")
            return report
        report_revisions(report, revisions)
    report.applied = apply
    return report
