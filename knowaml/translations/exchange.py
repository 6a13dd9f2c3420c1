"""PO files for translation agencies: export what is missing or out of date, import it back.

Each unit's context names the object, field and paragraph (``education.article:3:body:2``);
its extracted comment carries a fingerprint of the English field it was made from, so an
import can tell when the English has changed since the export.
"""

import datetime
import re
import tempfile
from dataclasses import dataclass, field

import polib
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime

from ..languages import SOURCE_LANGUAGE, is_blank
from .models import TranslationRecord, source_hash
from .registry import column, text_fields, translatable_models
from .status import records_by_object, status_of

EXPORTED_HEADER = "X-Know-AML-Exported"
HASH_PREFIX = "source: "
LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")
NUMBER = re.compile(r"[0-9]{1,18}")
ALLOWED_LINK = re.compile(r"^(https?://|mailto:|tel:|/|#)\S*$")


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

    def reject(self, unit, reason):
        self.rejected.append({"unit": unit, "reason": reason})


def _broken_links(text):
    if text.count("[") != text.count("]") or text.count("](") != len(LINK.findall(text)):
        return True
    return any(not ALLOWED_LINK.match(target.strip()) for _, target in LINK.findall(text))


def _resolve(label, pk, name):
    model_by_label = {m._meta.label_lower: m for m in translatable_models()}
    model = model_by_label.get(label)
    if model is None or name not in text_fields(model):
        return None, None
    return model, model._base_manager.filter(pk=pk).first()


def _parse(content):
    """Parse uploaded text; never let polib take it for a path on the server."""
    with tempfile.NamedTemporaryFile("w", suffix=".po", encoding="utf-8") as file:
        file.write(content)
        file.flush()
        try:
            return polib.pofile(file.name)
        except (OSError, ValueError, UnicodeError):
            return None


def import_po(content, language, apply=False):
    report = ImportReport()
    po = _parse(content)
    if po is None:
        report.reject("—", "Not a readable PO file.")
        return report
    if po.metadata.get("Language") != language:
        report.reject("—", f"This file is for “{po.metadata.get('Language')}”, not “{language}”.")
        return report
    try:
        exported_at = parse_datetime(po.metadata.get(EXPORTED_HEADER, "") or "")
    except ValueError:
        exported_at = None
    if exported_at is None:
        report.reject("—", f"The file has no valid {EXPORTED_HEADER} header; export it again.")
        return report
    if timezone.is_naive(exported_at):
        exported_at = timezone.make_aware(exported_at, datetime.UTC)
    groups = {}
    for entry in po:
        label, _, rest = (entry.msgctxt or "").partition(":")
        pk, _, rest = rest.partition(":")
        name, _, index = rest.partition(":")
        if not (NUMBER.fullmatch(pk) and NUMBER.fullmatch(index)):
            report.reject(entry.msgctxt or entry.msgid[:40], "Unknown unit.")
            continue
        groups.setdefault((label, int(pk), name), []).append((int(index), entry))
    pending = {}
    for (label, pk, name), units in groups.items():
        unit = f"{label}:{pk}:{name}"
        model, obj = _resolve(label, pk, name)
        if obj is None:
            report.reject(unit, "Unknown unit: no such page or field.")
            continue
        english = getattr(obj, column(name, SOURCE_LANGUAGE)) or ""
        if any(e.comment.strip() != f"{HASH_PREFIX}{source_hash(english)}" for _, e in units):
            report.reject(unit, "The English text changed after the export; export again.")
            continue
        if any(not e.msgstr.strip() or "fuzzy" in e.flags for _, e in units):
            continue  # not translated yet: nothing to do, nothing wrong
        expected = paragraphs(english, model, name)
        units.sort(key=lambda pair: pair[0])
        if [i for i, _ in units] != list(range(len(expected))):
            report.reject(unit, "Some paragraphs are missing from the file.")
            continue
        value = join(model, name, [e.msgstr.strip() for _, e in units])
        if _broken_links(value):
            report.reject(unit, "Broken Markdown link.")
            continue
        record = TranslationRecord.objects.for_object(obj).filter(field=name, language=language)
        record = record.first()
        if record and record.translated_at > exported_at:
            report.reject(unit, "Edited in the admin after the export; not overwritten.")
            continue
        current = getattr(obj, column(name, language)) or ""
        if value == current:
            report.unchanged += 1
            continue
        pending.setdefault((model, obj.pk), (obj, []))[1].append((name, current, value, unit))
    for obj, changes in pending.values():
        for name, _old, value, _unit in changes:
            setattr(obj, column(name, language), value)
        try:
            obj.full_clean()
        except ValidationError as error:
            for *_, unit in changes:
                report.reject(unit, "; ".join(error.messages))
            continue
        for name, old, value, unit in changes:
            report.changes.append({"unit": unit, "object": str(obj), "field": name,
                                   "old": old, "new": value})  # fmt: skip
        if apply:
            with transaction.atomic(), translation.override(language):
                obj.save()
    report.applied = apply
    return report
