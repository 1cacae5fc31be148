"""Tests: a throwaway database (test_<name>) on the embedded server, or on DATABASE_URL when set."""
from .base import *  # noqa: F401,F403
from .base import env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast user fixtures
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # No collectstatic before tests: serve the plain files.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files come straight from the app and static/ folders (no collectstatic before tests).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
# Captures from the tests' own site on 127.0.0.1: no pauses between requests (unless a test of the
# pause sets ARCHIVE_CAPTURE_DELAY for the workers it starts), short waits.
ARCHIVE_CAPTURE_DELAY = float(env("ARCHIVE_CAPTURE_DELAY", "0"))
ARCHIVE_CAPTURE_TIMEOUT = 10  # (a loaded machine can be slow to answer even on 127.0.0.1)
ARCHIVE_CAPTURE_BACKOFF = 0.05
# The same file cache as deployed, in a folder of its own: the tests' web servers (gunicorn,
# workers) share it with the test process, and clearing it never touches a developer's pages.
CACHES["default"]["LOCATION"] = env("ARCHIVE_CACHE_DIR", str(BASE_DIR / "var" / "test-cache"))  # noqa: F405
