from django.tasks import task

RUNS = []


@task
def note_a_run():
    RUNS.append("ran")
