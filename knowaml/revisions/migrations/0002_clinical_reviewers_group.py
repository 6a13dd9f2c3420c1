from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_groups(apps, schema_editor):
    from knowaml.translations.groups import sync_groups

    # Permissions are normally created after the last migration; the group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(
            app_config, verbosity=0, using=schema_editor.connection.alias, apps=apps
        )
        app_config.models_module = None
    sync_groups(apps, exact=False)


def forget_typed_review_records(apps, schema_editor):
    """"Reviewed by" and "Last reviewed" now come only from an approved clinical revision;
    what was typed before is no such record (the history keeps it)."""
    for name in ("Article", "Page"):
        model = apps.get_model("education", name)
        blank_roles = {
            field.attname: ""
            for field in model._meta.concrete_fields
            if field.name.startswith("reviewer_role")
        }
        model.objects.update(last_reviewed=None, reviewer_name="", **blank_roles)


class Migration(migrations.Migration):
    dependencies = [
        ("revisions", "0001_initial"),
        ("translations", "0004_review_per_language"),
        ("education", "0007_scheduled_publishing"),
        ("stories", "0004_scheduled_publishing"),
    ]

    operations = [
        migrations.RunPython(create_groups, migrations.RunPython.noop),
        migrations.RunPython(forget_typed_review_records, migrations.RunPython.noop),
    ]
