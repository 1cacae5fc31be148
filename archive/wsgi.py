"""WSGI entry point for gunicorn (production settings unless told otherwise)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings.prod")
application = get_wsgi_application()
