"""Data every page shows (navigation, latest story, glossary), cached per language.

Each fragment has a version number in the cache; saving or deleting any of its sources
bumps the version, so every language's copy is rebuilt on next use.
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils import translation


class LanguageFragment:
    def __init__(self, name, build, sources, timeout=60 * 60 * 24):
        self.name = name
        self.build = build
        self.timeout = timeout
        self.version_key = f"{name}:version"
        for model in sources:
            for signal in (post_save, post_delete):
                signal.connect(
                    self.forget, sender=model, dispatch_uid=f"{name}-{model._meta.label}"
                )

    def version(self):
        """A number that changes whenever a source is saved or deleted."""
        return cache.get_or_set(self.version_key, 1, None)

    def get(self, language=None):
        language = language or translation.get_language()
        key = f"{self.name}:{language}:{self.version()}"
        data = cache.get(key)
        if data is None:
            data = self.build(language)
            cache.set(key, data, self.timeout)
        return data

    def forget(self, **kwargs):
        try:
            cache.incr(self.version_key)
        except ValueError:
            cache.set(self.version_key, 2, None)
