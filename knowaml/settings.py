"""Settings for Know AML, read from the environment.

Development needs no configuration. Production (``DJANGO_ENV=production``, chosen the
same way by every entry point: see knowaml/environment.py) refuses to start without
``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``SITE_URL``.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

ENVIRONMENT = os.environ.get("DJANGO_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    # A typo ("prod") must not quietly run a public site with development settings.
    raise ImproperlyConfigured(
        f"DJANGO_ENV must be 'production' or 'development', not {ENVIRONMENT!r}"
    )
PRODUCTION = ENVIRONMENT == "production"


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


if PRODUCTION:
    missing = [
        name for name in ("SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL") if not os.environ.get(name)
    ]
    if missing:
        raise ImproperlyConfigured(
            f"Production needs these environment variables: {', '.join(missing)}"
        )
    SECRET_KEY = os.environ["SECRET_KEY"]
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    DEBUG = False
else:
    SECRET_KEY = os.environ.get("SECRET_KEY", "development-only-not-secret")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
    DEBUG = env_bool("DEBUG", True)

# The public address: every absolute link the site writes (canonical, hreflang, sitemap,
# feeds, emails) starts with it, never with the request's Host header.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
ADMINS = env_list("ADMINS")

INSTALLED_APPS = [
    "modeltranslation",
    # Django's admin with our site: staff pass a second factor where it is required.
    "knowaml.accounts.apps.KnowAmlAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Before django_tasks_db: its db_worker command is replaced by one that survives
    # database restarts and notices dead workers.
    "knowaml.scheduling",
    "django_tasks_db",
    "simple_history",
    "knowaml.slughistory",
    "knowaml.translations",
    "knowaml.revisions",
    "knowaml.feedback",
    "knowaml.backups",
    "knowaml.search",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # After django_otp's plugins: its admin takes their device lists out of the admin.
    "knowaml.accounts",
    "education",
    "stories",
    "newsletter",
    # Demo admin and benchmarks: development and tests only (it may import every app).
    *([] if PRODUCTION else ["knowaml.dev"]),
]

# Public pages are cached whole (knowaml/pagecache.py) right after static files, as
# measured fastest, already compressed; a save forgets the pages that show what changed.
PAGE_CACHE_MIDDLEWARE = ["knowaml.pagecache.PageCacheMiddleware"]
MIDDLEWARE = [
    "knowaml.requestlog.RequestLogMiddleware",
    "knowaml.search.stats.SearchStatsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # On by default in production with a shared cache (every process must see a content
    # change); off in development, where templates change under the developer's hands.
    *(
        PAGE_CACHE_MIDDLEWARE
        if env_bool("PAGE_CACHE", PRODUCTION and bool(os.environ.get("REDIS_URL")))
        else []
    ),
    # Brotli or gzip for public pages when the page cache is off (it compresses them once).
    "knowaml.compression.CompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "knowaml.adminsessions.RenewAdminSessionMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "knowaml.urls"
WSGI_APPLICATION = "knowaml.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "knowaml" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "libraries": {
                "site": "knowaml.templatetags.site",
                "editor_dashboard": "knowaml.templatetags.editor_dashboard",
            },
        },
    },
]

SQLITE_PATH = BASE_DIR / "var" / "db.sqlite3"
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{SQLITE_PATH}", conn_max_age=int(os.environ.get("CONN_MAX_AGE", 60))
    )
}
# A database restart must cost one reconnect, not a 500 on every stale pooled connection.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    SQLITE_PATH.parent.mkdir(exist_ok=True)
    # runserver and db_worker share one file: WAL plus IMMEDIATE transactions avoid
    # "database is locked" on concurrent writes. Connections are kept (CONN_MAX_AGE) as
    # for PostgreSQL: opening one costs more than the queries of a whole page.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if os.environ.get("REDIS_URL"):
    # The cache is an accelerator, never a dependency: a Redis that is down or hangs costs
    # one short timeout, then the site runs uncached for a few seconds (knowaml/cache.py).
    CACHES = {
        "default": {
            "BACKEND": "knowaml.cache.ResilientRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "knowaml",
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("REDIS_TIMEOUT_SECONDS", 0.25)),
                "socket_timeout": float(os.environ.get("REDIS_TIMEOUT_SECONDS", 0.25)),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Enqueued by `manage.py run_periodic_tasks` (one process) when due; db_worker runs them.
PERIODIC_TASKS = {
    "newsletter.tasks.purge_unconfirmed": datetime.timedelta(days=1),
    "education.tasks.send_review_digest": datetime.timedelta(weeks=1),
    "education.tasks.check_reference_links": datetime.timedelta(weeks=1),
    "knowaml.accounts.tasks.forget_old_sign_ins": datetime.timedelta(days=1),
}
# Enqueued whenever the clock's check finds work (the check is a cheap query, run each time).
TASKS_WHEN_DUE = {"knowaml.publishing.carry_out_schedules": "knowaml.publishing.anything_due"}
# Articles past their next review by more than this many days tell visitors they are being
# reviewed.
REVIEW_GRACE_DAYS = int(os.environ.get("REVIEW_GRACE_DAYS", 30))
# Texts for readers older than this are marked on the change form and listed in the digest
# (NHS guidance aims at a reading age of about 9 to 11).
PLAIN_LANGUAGE_MAX_READING_AGE = int(os.environ.get("PLAIN_LANGUAGE_MAX_READING_AGE", 11))
# Who signed in from where (django-axes' logs) is kept as long as the web server's logs.
SIGN_IN_LOG_DAYS = int(os.environ.get("SIGN_IN_LOG_DAYS", 30))

# A running task whose worker has shown no sign of life for this long is taken to be dead
# (knowaml/scheduling/leases.py). Tasks listed here are run again; any other task may
# already have sent email, so it is marked failed ("in doubt") for an editor to check.
TASK_LEASE_SECONDS = int(os.environ.get("TASK_LEASE_SECONDS", 120))
TASKS_SAFE_TO_RETRY = {
    "newsletter.tasks.purge_unconfirmed",
    "knowaml.accounts.tasks.forget_old_sign_ins",
    "education.tasks.check_reference_links",
}

# Axes first: a locked-out sign-in is refused before any password is hashed.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("de", _("German")),
    ("ar", _("Arabic")),
]
FORMAT_MODULE_PATH = ["knowaml.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
MODELTRANSLATION_AUTO_POPULATE = False
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "knowaml" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    # Uploads (story portraits): any Django storage backend, e.g. an S3 one in production.
    "default": {
        "BACKEND": os.environ.get("MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage")
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SESSION_COOKIE_HTTPONLY = True
# Staff sessions end after a working day without admin activity; only admin requests renew
# them (knowaml/adminsessions.py), so public pages never set a cookie.
SESSION_COOKIE_AGE = 8 * 60 * 60
CSRF_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading is hard to undo, so it is the operator's explicit choice.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Know AML <newsletter@knowaml.example>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
if PRODUCTION or os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("EMAIL_PORT", 587)),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 30,
            },
        }
    }
else:
    # Development: every email is a file under var/mail/ that a newcomer can open.
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": BASE_DIR / "var" / "mail"},
        }
    }

PUBLIC_CACHE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS", 300))
# Search results stay in the page cache this long at most: any new word may change them.
PAGE_CACHE_SEARCH_SECONDS = int(os.environ.get("PAGE_CACHE_SEARCH_SECONDS", 60))
# Each process keeps this many bytes of pages it served (knowaml/localpages.py; 0 = none),
# trusting them at most this long without asking Redis, which announces every change.
PAGE_CACHE_LOCAL_BYTES = int(os.environ.get("PAGE_CACHE_LOCAL_BYTES", 32 * 1024 * 1024))
PAGE_CACHE_LOCAL_SECONDS = float(os.environ.get("PAGE_CACHE_LOCAL_SECONDS", 1.0))
# Saved pages are forgotten once the save commits (knowaml/invalidation.py); tests, whose
# transactions never commit, forget them at the save as well.
PAGE_CACHE_FORGET_BEFORE_COMMIT = False
# Each process writes its search counts (knowaml/search/stats.py) at most this often.
SEARCH_STATS_SECONDS = 60

# One line per event on stdout, each tagged with the request's id; errors also reach ADMINS.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "knowaml.requestlog.RequestIdFilter"}},
    "formatters": {
        "line": {
            "()": "knowaml.requestlog.OneLineFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": "line",
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True},
        # runserver's own access line would repeat knowaml.requests' line.
        "django.server": {"level": "WARNING"},
        "knowaml": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True},
        # Failures and lockouts (warnings) are logged; every successful sign-in is not.
        "axes": {"level": "WARNING"},
    },
}

# ---------------------------------------------------------------------------
# Newsletter: sign-up protection, double opt-in and sending.
# ---------------------------------------------------------------------------
NEWSLETTER_MAILER = os.environ.get("NEWSLETTER_MAILER", "default")
NEWSLETTER_CONFIRM_MAX_AGE_DAYS = int(os.environ.get("NEWSLETTER_CONFIRM_MAX_AGE_DAYS", 3))
NEWSLETTER_PURGE_UNCONFIRMED_DAYS = int(os.environ.get("NEWSLETTER_PURGE_UNCONFIRMED_DAYS", 7))
NEWSLETTER_RESEND_INTERVAL_MINUTES = int(os.environ.get("NEWSLETTER_RESEND_INTERVAL_MINUTES", 15))
# Sign-ups allowed per client address (IPv6: per /64) per window of seconds.
NEWSLETTER_SIGNUP_RATE = (int(os.environ.get("NEWSLETTER_SIGNUPS_PER_MINUTE", 10)), 60)
# A send that shows no sign of life for this long is taken to have died.
NEWSLETTER_SEND_LEASE_SECONDS = int(os.environ.get("NEWSLETTER_SEND_LEASE_SECONDS", 120))
# How many reverse proxies in front of the app append to X-Forwarded-For. 0 means none:
# X-Forwarded-For is ignored, since any client can send it.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", 0))

# ---------------------------------------------------------------------------
# Feedback and editors' emails.
# ---------------------------------------------------------------------------
# "Was this page helpful?" answers allowed per client address per window of seconds.
FEEDBACK_RATE = (int(os.environ.get("FEEDBACK_PER_MINUTE", 10)), 60)

# A PO import is checked and applied within one request (knowaml/translations/exchange.py);
# past either limit the form says so and nothing is saved.
TRANSLATION_IMPORT_MAX_BYTES = int(os.environ.get("TRANSLATION_IMPORT_MAX_BYTES", 5 * 1024 * 1024))
TRANSLATION_IMPORT_MAX_UNITS = int(os.environ.get("TRANSLATION_IMPORT_MAX_UNITS", 50_000))

# ---------------------------------------------------------------------------
# Sign-in security: lockout and two-factor sign-in (knowaml/accounts).
# ---------------------------------------------------------------------------
# Failed sign-ins are counted in the database (never the cache, which may be away) per
# (account, client address) and per client address, each with its own limit: from one
# address an attacker can lock only themselves out, never an editor who signs in elsewhere.
SIGN_IN_LOCKOUT_LIMITS = [
    (["username", "ip_address"], int(os.environ.get("SIGN_IN_FAILURES_PER_ACCOUNT", 5))),
    ("ip_address", int(os.environ.get("SIGN_IN_FAILURES_PER_ADDRESS", 30))),
]
if any(limit < 1 for _parameters, limit in SIGN_IN_LOCKOUT_LIMITS):
    raise ImproperlyConfigured("SIGN_IN_FAILURES_PER_ACCOUNT and _PER_ADDRESS must be 1 or more")
AXES_LOCKOUT_PARAMETERS = [parameters for parameters, _limit in SIGN_IN_LOCKOUT_LIMITS]
# A failed attempt's form is stored for editors to see; the CSRF token in it is a secret.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "csrfmiddlewaretoken"]
AXES_FAILURE_LIMIT = SIGN_IN_LOCKOUT_LIMITS[0][1]
AXES_HANDLER = "knowaml.accounts.lockout.LockoutHandler"
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("SIGN_IN_LOCKOUT_MINUTES", 30)))
# Attempts while locked out are refused without being counted, so the lock ends a fixed
# time after it began and the lockout page can say when.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "knowaml.accounts.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "knowaml.accounts.views.locked_out"
AXES_VERBOSE = False
# Who to ask for an earlier unlock, named on the lockout page (the first of ADMINS if unset).
SIGN_IN_HELP_CONTACT = os.environ.get("SIGN_IN_HELP_CONTACT", "")

# Staff must pass a one-time code (an authenticator app or a backup code) to use the admin:
# always in production; in development only with REQUIRE_TWO_FACTOR=1, so the printed demo
# credentials are enough for a newcomer.
REQUIRE_TWO_FACTOR = True if PRODUCTION else env_bool("REQUIRE_TWO_FACTOR", False)
OTP_TOTP_ISSUER = "Know AML"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
TWO_FACTOR_BACKUP_CODES = 10
