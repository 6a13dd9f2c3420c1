"""An editor saving the Relapse article every few seconds (run by the benchmark in a side
process with the site's environment file): `python -m knowaml.dev.bench.editor EVERY SECONDS`.

Each save changes the English text visitors read, through the model's save() in a
transaction, and so through the same signals and commit as the admin. One line per save:
wall-clock time it returned and how long it took.
"""

import sys
import time

from knowaml.environment import configure

MARK = " (Checked by the editor.)"


def main(every, duration):
    configure()
    import django

    django.setup()
    from django.db import transaction

    from education.models import Article
    from knowaml.content import SOURCE_SLUG

    article = Article.objects.get(**{SOURCE_SLUG: "relapse"})
    print("ready", flush=True)
    deadline = time.monotonic() + duration + 0.001
    next_save = time.monotonic() + every
    while next_save < deadline:
        time.sleep(max(0.0, next_save - time.monotonic()))
        started = time.monotonic()
        summary = article.summary_en
        article.summary_en = summary[: -len(MARK)] if summary.endswith(MARK) else summary + MARK
        with transaction.atomic():  # as the admin saves
            article.save()
        print(f"{time.time():.3f} {time.monotonic() - started:.3f}", flush=True)
        next_save += every


if __name__ == "__main__":
    main(float(sys.argv[1]), float(sys.argv[2]))
