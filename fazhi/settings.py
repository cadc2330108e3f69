"""One environment-driven settings module (see README's configuration table)."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("FAZHI_DATA_DIR", "./data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)  # the embedded default keeps its database, files and logs here


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("FAZHI_DEBUG", False)
SECRET_KEY = os.environ.get("FAZHI_SECRET_KEY") or "fazhi-insecure-dev-key-set-FAZHI_SECRET_KEY-in-production"
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("FAZHI_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("FAZHI_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

FAZHI_APPS = [
    "fazhi.core",
    "fazhi.accounts",
    "fazhi.audit",
    "fazhi.organization",
    "fazhi.education",
    "fazhi.decisions",
    "fazhi.disclosure",
    "fazhi.enforcement",
    "fazhi.evidence",
    "fazhi.mediation",
    "fazhi.reports",
    "fazhi.portal",
    "fazhi.api",
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks",
    "django_tasks_db",
    *FAZHI_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "fazhi.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "fazhi.accounts.middleware.TwoFactorMiddleware",
    "fazhi.core.access.ReadOnlyRoleMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "fazhi.urls"
WSGI_APPLICATION = "fazhi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fazhi.core.context.shell",
            ],
        },
    },
]

# --- Database: SQLite (WAL, IMMEDIATE, busy timeout) by default; PostgreSQL when DATABASE_URL is set.
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "fazhi.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                    "PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and security
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "fazhi.accounts.hashers.FazhiArgon2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_AGE = int(os.environ.get("FAZHI_SESSION_IDLE_SECONDS", "1800"))  # idle timeout
SESSION_SAVE_EVERY_REQUEST = True  # sliding expiry: the clock restarts on every request
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("FAZHI_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
AXES_FAILURE_LIMIT = int(os.environ.get("FAZHI_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "法治 Fazhi"

# --- Internationalisation: Chinese first, English available
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Files: static via WhiteNoise (no CDN), uploads via the storage API (local disk by default)
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "files"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if os.environ.get("FAZHI_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["FAZHI_S3_BUCKET"],
            "endpoint_url": os.environ.get("FAZHI_S3_ENDPOINT_URL"),
        },
    }
WHITENOISE_USE_FINDERS = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Background tasks: the same code runs embedded (SQLite) and at scale (PostgreSQL)
TASKS = {
    "default": {
        "BACKEND": os.environ.get("FAZHI_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- Shared cache (rate limits on public forms must hold across worker processes and app servers)
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "fazhi_cache"}}
# Number of reverse proxies in front of the app whose X-Forwarded-For may be trusted (0: use REMOTE_ADDR).
FAZHI_TRUSTED_PROXY_COUNT = int(os.environ.get("FAZHI_TRUSTED_PROXY_COUNT", "0"))

# --- Evidence store
FAZHI_EVIDENCE_MAX_BYTES = int(os.environ.get("FAZHI_EVIDENCE_MAX_BYTES", str(20 * 1024**3)))

# --- Audit chain
FAZHI_AUDIT_CHECKPOINT_EVERY = int(os.environ.get("FAZHI_AUDIT_CHECKPOINT_EVERY", "1000"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_4xx_traceback": {"()": "fazhi.core.logfilters.NoTracebackBelow500"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["no_4xx_traceback"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("FAZHI_LOG_LEVEL", "WARNING")},
}
