"""Settings shared by every environment. Everything a deployer changes is read from the environment here."""
from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name: str, default: list[str]) -> list[str]:
    value = env(name)
    return [item.strip() for item in value.split(",") if item.strip()] if value else default


# Each process keeps its connection for a minute, checked before each request is served: a new
# one costs a server process and Django's type lookups (about 4 ms here), more than many pages.
# A connection found dead (the server restarted) is replaced, so the site recovers by itself.
CONNECTION_REUSE = {"CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}


def database_config(url: str | None, embedded_dir: Path) -> dict:
    """DATABASE_URL when given; otherwise the embedded PostgreSQL kept in `embedded_dir`."""
    if url:
        import dj_database_url

        config = dj_database_url.parse(url)
        if config["ENGINE"] != "django.db.backends.postgresql":
            raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL (postgres://...): the archive's search needs it.")
        return {**config, **CONNECTION_REUSE}
    return {
        **CONNECTION_REUSE,
        # Starts the bundled PostgreSQL 16 (pgserver) on first connection, so commands
        # that need no database (ingest --dry-run) never start it.
        "ENGINE": "archive.embedded_postgres",
        "NAME": env("ARCHIVE_DB_NAME", "archive"),
        "USER": "postgres",
        "HOST": "",
        "PGDATA": str(embedded_dir),
        # PostgreSQL's default cache (128 MB) holds less than the gram index of 20,000 notices,
        # so searches read it back from the operating system again and again (README: Performance).
        "SERVER_SETTINGS": {"shared_buffers": env("ARCHIVE_PG_SHARED_BUFFERS", "1GB")},
    }


SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and Redoc served from our own static files: no CDN
    "procrastinate.contrib.django",  # the job queue: its tables, migrations and `manage.py procrastinate`
    "notices",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "archive.middleware.TextGateMiddleware",  # before anything reads a parameter
    "archive.middleware.DatabaseFaultMiddleware",  # around everything that may query
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "archive.replicas.ReplicaReadsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "archive.urls"
WSGI_APPLICATION = "archive.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# The embedded server's data folder: reused across runs, safe to delete to start afresh.
EMBEDDED_PGDATA = Path(env("ARCHIVE_PGDATA", str(BASE_DIR / "var" / "pgdata")))
DATABASES = {"default": database_config(env("DATABASE_URL"), EMBEDDED_PGDATA)}
# Streaming replicas of that server, for readers' pages and searches (archive/replicas.py).
DATABASE_REPLICAS = []
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS", []), start=1):
    DATABASES[f"replica{_number}"] = {**database_config(_url, EMBEDDED_PGDATA), "TEST": {"MIRROR": "default"}}
    DATABASE_REPLICAS.append(f"replica{_number}")
DATABASE_ROUTERS = ["archive.replicas.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rendered public pages and whole-archive summaries (notices/views/cached.py, opendata/caching.py)
# are kept in files every web process reads, so a page one process rendered serves the others.
# (With each process's own memory cache, three processes rendered each search three times; under
# 50 readers that repetition was most of the work.) Entries are gzipped pages of a few KB, bounded
# in number; keys hold the archive's fingerprint, which names its database.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env("ARCHIVE_CACHE_DIR", str(BASE_DIR / "var" / "cache")),
        "OPTIONS": {"MAX_ENTRIES": 10000},
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Uploads: notices are small; anything larger is refused with a message, not stored.
ARCHIVE_MAX_UPLOAD_BYTES = int(env("ARCHIVE_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
# Capture from the web (notices/capture/): the same size cap as uploads. The contact goes in
# the User-Agent so that a site's operator can reach the archive; set it in production.
ARCHIVE_CAPTURE_CONTACT = env("ARCHIVE_CAPTURE_CONTACT", "")
ARCHIVE_CAPTURE_DELAY = float(env("ARCHIVE_CAPTURE_DELAY", "2"))  # seconds between two requests to one host
ARCHIVE_CAPTURE_TIMEOUT = float(env("ARCHIVE_CAPTURE_TIMEOUT", "20"))  # seconds without an answer
ARCHIVE_CAPTURE_RETRIES = int(env("ARCHIVE_CAPTURE_RETRIES", "2"))  # after timeouts, lost connections, 5xx
ARCHIVE_CAPTURE_BACKOFF = float(env("ARCHIVE_CAPTURE_BACKOFF", "2"))  # seconds before the first retry, doubling
ARCHIVE_CAPTURE_MAX_REDIRECTS = int(env("ARCHIVE_CAPTURE_MAX_REDIRECTS", "5"))
# A notice whose text is at least this alike (Jaccard of 5-character shingles, notices/copies.py)
# to a stored one is linked to it as another source. Measured by tools/near_duplicates.py on
# built pairs: every copy scored 0.84 or more, every pair of different notices 0.17 or less.
ARCHIVE_NEAR_DUPLICATE_THRESHOLD = float(env("ARCHIVE_NEAR_DUPLICATE_THRESHOLD", "0.7"))
# The most text one notice may hold, in characters (notices/parsing/decode.py says why 500,000).
ARCHIVE_MAX_TEXT_CHARS = int(env("ARCHIVE_MAX_TEXT_CHARS", "500000"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# OCR of scans and of PDF pages without a readable text layer (notices/parsing/ocr/).
# The text read is kept in ARCHIVE_OCR_CACHE keyed by the file's sha256 and the engine's
# version, so the same bytes are never read twice; the limits refuse a file past them.
ARCHIVE_OCR = {
    "engine": env("ARCHIVE_OCR_ENGINE", "rapidocr"),
    "threads": int(env("ARCHIVE_OCR_THREADS", "2")),
    "dpi": int(env("ARCHIVE_OCR_DPI", "200")),
    "max_pages": int(env("ARCHIVE_OCR_MAX_PAGES", "60")),
    "max_seconds": float(env("ARCHIVE_OCR_MAX_SECONDS", "900")),
    "cache_dir": env("ARCHIVE_OCR_CACHE", str(BASE_DIR / "var" / "ocr")),
    "low_confidence": float(env("ARCHIVE_OCR_LOW_CONFIDENCE", "0.85")),
}
# An admin upload with more pages to OCR than this is read by a worker (a job with its pages on
# the 任务 page), not in the request: a page takes 5-35 s on 2 cores, gunicorn's timeout is 60 s.
ARCHIVE_OCR_INLINE_PAGES = int(env("ARCHIVE_OCR_INLINE_PAGES", "1"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Every statement a web request runs ends after this long (a clear 503 page, not a worker held
# for minutes); gunicorn's own timeout (gunicorn.conf.py) is well above it. 0: no limit.
ARCHIVE_STATEMENT_TIMEOUT_MS = int(env("ARCHIVE_STATEMENT_TIMEOUT_MS", "15000"))

# The open-data API (notices/api/): public, read-only, JSON only, no sessions or CSRF.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "notices.opendata.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "巡视巡察整改通报库 API",
    "DESCRIPTION": (
        "只读的开放数据：通报、问题、整改措施、单位和分面计数，检索与筛选条件和通报列表相同；同样的选择可下载为 CSV"
        "（/export/notices.csv、/export/problems.csv）或订阅 Atom（/feeds/notices.atom）。出错时返回 400，"
        "说明哪个参数有误、应当怎样写。\n\n"
        "Read-only open data: notices, problems, measures, agencies and facet counts, with the same filters "
        "and search as the notice list. The same selections download as CSV (/export/notices.csv, "
        "/export/problems.csv) and as Atom (/feeds/notices.atom)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},  # no badge from an outside validator
    "ENUM_ADD_EXPLICIT_BLANK_NULL_CHOICE": False,
    "ENUM_NAME_OVERRIDES": {"ProblemStatusEnum": "notices.models.Status", "LevelEnum": "notices.models.Level"},
}

# Background jobs (notices/jobs/): procrastinate keeps its queue in this same database.
PROCRASTINATE_IMPORT_PATHS = ["notices.jobs.tasks", "notices.harvest.tasks"]
PROCRASTINATE_AUTODISCOVER_MODULE_NAME = ""
# A job whose worker sent no heartbeat for this long (killed, machine gone) is run again.
ARCHIVE_JOB_STALLED_SECONDS = int(env("ARCHIVE_JOB_STALLED_SECONDS", "60"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
