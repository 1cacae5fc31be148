from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = "整改通报"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.conf import settings

        from . import checks  # noqa: F401  (registers the system checks)
        from .parsing import OcrSettings, configure_ocr

        configure_ocr(OcrSettings(**settings.ARCHIVE_OCR))
