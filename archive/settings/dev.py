"""Local development: debug on, embedded PostgreSQL unless DATABASE_URL is set."""
from .base import *  # noqa: F401,F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)

# Static files straight from static/ and the apps, with DEBUG on or off: no collectstatic needed
# locally (production settings use the hashed, compressed copies collectstatic writes to STATIC_ROOT).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
