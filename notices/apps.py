from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = "整改通报"
    default_auto_field = "django.db.models.BigAutoField"
