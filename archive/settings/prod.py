"""Production: refuses to start without a real secret key and explicit hosts."""
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import env, env_bool

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY or SECRET_KEY.startswith("dev-only") or len(SECRET_KEY) < 32:
    raise ImproperlyConfigured(
        "Set SECRET_KEY to a random string of at least 32 characters, for example the output of "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
    )
DEBUG = env_bool("DEBUG", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
# HTTPS only: plain HTTP is redirected, and browsers told to use HTTPS for a year (HSTS). Behind
# a TLS proxy that sets X-Forwarded-Proto (README, "Behind a TLS reverse proxy") nothing loops.
# To try the site over plain HTTP, turn all three off: SECURE_COOKIES, SECURE_SSL_REDIRECT=false
# and SECURE_HSTS_SECONDS=0.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
# Whether every subdomain is HTTPS too, and the browsers' preload list, are for the owner of the
# domain to decide (the archive may live under a department's domain): off unless set.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]  # those two decisions, above
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
