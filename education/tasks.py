"""Background work, run by ``manage.py db_worker``. Arguments are JSON-serialisable."""

from django.tasks import task

from .review_digest import send_review_digest as send_review_digest_now


@task
def send_review_digest():
    """The weekly review-due digest; schedule it with cron or enqueue it from anywhere."""
    due, sent = send_review_digest_now()
    return {"pages_due": due, "emails_sent": sent}


@task
def check_reference_links(article_ids=None):
    """Check reference links (all articles, or the given ids) and record what was found."""
    from .linkcheck import check_articles

    return check_articles(article_ids)
