"""Settings for every environment, read from environment variables only (see .env.example)."""

import importlib.util
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP  # type: ignore[import-not-found,unused-ignore]
from django.utils.translation import gettext_lazy as _

from ansinh.config.env import env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path(env_str("ANSINH_HOME", str(Path.cwd())))
VAR_DIR = Path(env_str("ANSINH_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see .env.example).")
    SECRET_KEY = "insecure-development-key-used-only-with-DEBUG"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # serves Swagger UI from the package, not a CDN
    "channels",
    "ansinh.core",
    "ansinh.geo",
    "ansinh.accounts",
    "ansinh.notify",
    "ansinh.dossiers",
    "ansinh.sos",
    "ansinh.unemployment",
    "ansinh.overseas",
    "ansinh.jobs",
    "ansinh.welfare",
    "ansinh.api",
    "ansinh.web",
]

MIDDLEWARE = [
    "ansinh.core.middleware.RequestIdMiddleware",
    "ansinh.core.middleware.NulCharacterGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ansinh.web.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ansinh.accounts.middleware.SecurityGateMiddleware",
]

ROOT_URLCONF = "ansinh.config.urls"
ASGI_APPLICATION = "ansinh.config.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ansinh.web.context_processors.shell",
            ],
        },
    }
]

# --- database -------------------------------------------------------------------------------------------
SQLITE_PATH = VAR_DIR / "ansinh.sqlite3"
DATABASE_URL = env_str("DATABASE_URL")
DB_POOL_MAX_SIZE = env_int("DB_POOL_MAX_SIZE", 10)
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and DB_POOL_MAX_SIZE > 0:
        # A pool per process (psycopg_pool): opening a PostgreSQL connection per request costs more than
        # most requests, and persistent connections leak under ASGI (each request runs in its own thread).
        # Django requires CONN_MAX_AGE = 0 with a pool.
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": DB_POOL_MAX_SIZE,
            "timeout": env_int("DB_POOL_TIMEOUT", 10),
        }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # the embedded database lives there
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": {
                # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN,
                # so two writers queue instead of failing with "database is locked" halfway through.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # A file, not shared-cache memory: shared cache locks whole tables and ignores the busy timeout,
            # so tests of concurrent writers would measure an artefact instead of SQLite's real behaviour.
            "TEST": {"NAME": str(VAR_DIR / "test.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- redis: cache, channel layer, celery broker ---------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [REDIS_URL]}}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", REDIS_URL)
# Without a broker (the embedded default) tasks run in-process when they are enqueued.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"

# --- auth and security ----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["ansinh.accounts.backends.LockoutAwareBackend"]
LOGIN_URL = "accounts:login"
# Without `next=`: a citizen lands on My services, staff on the home page (welfare.overview_views).
LOGIN_REDIRECT_URL = "welfare_overview:after_login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "ansinh.accounts.validators.NotUsernameValidator"},
    {"NAME": "ansinh.accounts.validators.NotIdentityNumberValidator"},
]
LOCKOUT_FAILURE_LIMIT = env_int("LOCKOUT_FAILURE_LIMIT", 5)
LOCKOUT_MINUTES = env_int("LOCKOUT_MINUTES", 15)
AUTH_RATE_LIMIT_PER_MINUTE = env_int("AUTH_RATE_LIMIT_PER_MINUTE", 30)
API_TOKEN_HOURS = env_int("API_TOKEN_HOURS", 12)
ONE_TIME_CODE_MINUTES = env_int("ONE_TIME_CODE_MINUTES", 10)

SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True  # the age above is an idle timeout
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP: dict[str, list[Any]] = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# --- language and time ----------------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

# --- static files ---------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
# Leaflet's own files, as django-leaflet ships them (not its Django app, which pulls in GeoDjango): the
# desk's map is served from this host like every other asset.
_LEAFLET = importlib.util.find_spec("leaflet")
STATICFILES_DIRS = (
    [Path(next(iter(_LEAFLET.submodule_search_locations))) / "static"]
    if _LEAFLET and _LEAFLET.submodule_search_locations
    else []
)
WHITENOISE_USE_FINDERS = True  # serve straight from the apps when collectstatic has not run
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"  # never routed: stored files are served only through views that check access

# Uploaded documents and issued PDFs go through Django's storage API: the local disk under var/ by default,
# any S3-compatible store in production (django-storages) when S3_BUCKET is set.
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if env_str("S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET"),
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID"),
            "secret_key": env_str("S3_SECRET_ACCESS_KEY"),
            "region_name": env_str("S3_REGION") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
DOSSIER_UPLOAD_MAX_BYTES = env_int("DOSSIER_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
# A partner sends its scans inside the JSON body (base64): room for a few documents at the size limit, on
# the partner paths only; every other form or JSON body stays small (core.middleware checks both).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 40 * 1024 * 1024)
SMALL_BODY_MAX_BYTES = env_int("SMALL_BODY_MAX_BYTES", 2_621_440)
LARGE_BODY_PATHS = ["/api/v1/partner/"]
# The address printed in QR codes on issued documents (the public verify page lives under it).
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# The workers-abroad desk (sos). Time limits for acknowledging a request; past the SOS limit the supervisors
# are told. The map's tile server is a setting: empty means no tiles, and the console shows coordinates and
# addresses without a map background (no page loads anything from another host unless this is set).
SOS_ACK_LIMIT_SECONDS = env_int("SOS_ACK_LIMIT_SECONDS", 5 * 60)
SUPPORT_ACK_LIMIT_SECONDS = env_int("SUPPORT_ACK_LIMIT_SECONDS", 24 * 3600)
SOS_MAP_TILE_URL = env_str("SOS_MAP_TILE_URL", "")
SOS_MAP_ATTRIBUTION = env_str("SOS_MAP_ATTRIBUTION", "")
SOS_PHOTO_MAX_BYTES = env_int("SOS_PHOTO_MAX_BYTES", 5 * 1024 * 1024)
# Partner systems (codes) of the social-insurance agency that pay unemployment benefits: "code" for every
# province, "code:<province code>" for one. Other partners cannot read the payment orders.
UNEMPLOYMENT_PAYER_PARTNERS = env_list("UNEMPLOYMENT_PAYER_PARTNERS", "")
# How old the whole country's statistics count may be before a page counts again (0: every request counts).
UNEMPLOYMENT_STATISTICS_CACHE_SECONDS = env_int("UNEMPLOYMENT_STATISTICS_CACHE_SECONDS", 300)
# How long a count of the workers abroad is kept per scope and question; a new worker or step counts again
# at once (0: every request counts).
OVERSEAS_STATISTICS_CACHE_SECONDS = env_int("OVERSEAS_STATISTICS_CACHE_SECONDS", 300)
# Days an uploaded worker list (personal data) is kept after it is saved, refused or given up; then its
# file, the rows kept from it and its error details are deleted, and only the record of the upload stays.
OVERSEAS_IMPORT_KEEP_DAYS = env_int("OVERSEAS_IMPORT_KEEP_DAYS", 30)
if SOS_MAP_TILE_URL:
    # The one host a page may load from, and only when the deployment chose a tile server.
    _tiles = urlsplit(SOS_MAP_TILE_URL)
    SECURE_CSP["img-src"].append(f"{_tiles.scheme}://{_tiles.netloc.replace('{s}.', '*.', 1)}")
# Development certificate authority and organisation signing keys (production: keys from the CA/HSM).
SIGNING_DIR = Path(env_str("SIGNING_DIR", str(VAR_DIR / "pki")))
# Web push (VAPID). Without a configured key one is generated once under var/.
WEBPUSH_VAPID_PRIVATE_KEY_FILE = Path(
    env_str("WEBPUSH_VAPID_PRIVATE_KEY_FILE", str(VAR_DIR / "vapid_private.pem"))
)
WEBPUSH_VAPID_SUBJECT = env_str("WEBPUSH_VAPID_SUBJECT", "mailto:no-reply@ansinh.invalid")

# --- e-mail and SMS -------------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ansinh <no-reply@ansinh.invalid>")
SMS_BACKEND = env_str("SMS_BACKEND", "ansinh.core.sms.ConsoleSmsBackend")
SMS_GATEWAY_URL = env_str("SMS_GATEWAY_URL")
SMS_GATEWAY_TOKEN = env_str("SMS_GATEWAY_TOKEN")
SMS_SENDER = env_str("SMS_SENDER", "ANSINH")

# --- logging: request id on every line, never personal data ---------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ansinh.core.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # WeasyPrint logs every font subset at INFO: a hundred lines per PDF.
        "fontTools": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
    },
}
