from django.contrib.auth.management import create_permissions
from django.db import migrations

LANGUAGES = ("es", "fr", "de", "ar")


def split_review_permission(apps, schema_editor):
    """Whoever could review every language keeps that, as one permission per language."""
    from knowaml.translations.groups import sync_groups

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(
            app_config, verbosity=0, using=schema_editor.connection.alias, apps=apps
        )
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    mine = Permission.objects.filter(content_type__app_label="translations")
    old = mine.filter(codename="review_translation").first()
    if old is not None:
        per_language = list(mine.filter(codename__in=[f"review_{c}" for c in LANGUAGES]))
        for user in old.user_set.all():
            user.user_permissions.add(*per_language)
        for group in old.group_set.all():
            group.permissions.add(*per_language)
        old.delete()
    sync_groups(apps, exact=False)


class Migration(migrations.Migration):
    dependencies = [
        ("translations", "0003_tidy_text_and_english_slugs"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="translationrecord",
            options={
                "permissions": [
                    ("edit_all_languages", "Can edit the English source and every language"),
                    ("translate_es", "Can translate into Spanish"),
                    ("translate_fr", "Can translate into French"),
                    ("translate_de", "Can translate into German"),
                    ("translate_ar", "Can translate into Arabic"),
                    ("review_es", "Can review Spanish translations"),
                    ("review_fr", "Can review French translations"),
                    ("review_de", "Can review German translations"),
                    ("review_ar", "Can review Arabic translations"),
                ],
                "verbose_name": "translation record",
                "verbose_name_plural": "translation records",
            },
        ),
        migrations.RunPython(split_review_permission, migrations.RunPython.noop),
    ]
