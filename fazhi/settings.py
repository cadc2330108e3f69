"""One environment-driven settings module (see README's configuration table)."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("FAZHI_DATA_DIR", "./data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)  # the embedded default keeps its database, files and logs here


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("FAZHI_DEBUG", False)
DEV_SECRET_KEY = "fazhi-insecure-dev-key-set-FAZHI_SECRET_KEY-in-production"


def read_secret_key() -> str | None:
    """FAZHI_SECRET_KEY, else the file FAZHI_SECRET_KEY_FILE names, else DATA_DIR/secret_key (`make demo` writes it)."""
    if os.environ.get("FAZHI_SECRET_KEY"):
        return os.environ["FAZHI_SECRET_KEY"]
    named = os.environ.get("FAZHI_SECRET_KEY_FILE")
    path = Path(named) if named else DATA_DIR / "secret_key"
    if not path.is_file():
        if named:
            raise ImproperlyConfigured(f"FAZHI_SECRET_KEY_FILE 指向的文件不存在：{path}（file not found）")
        return None
    return path.read_text(encoding="utf-8").strip() or None


SECRET_KEY = read_secret_key() or DEV_SECRET_KEY
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    # Sessions, password-reset links and CSRF tokens would be forgeable by anyone who read the source.
    raise ImproperlyConfigured(
        "未设置密钥：生产环境（FAZHI_DEBUG=0）不能使用开发密钥。请设置环境变量 FAZHI_SECRET_KEY（50个以上随机字符，"
        "例如 python3 -c 'import secrets; print(secrets.token_urlsafe(50))' 的输出），或用 FAZHI_SECRET_KEY_FILE "
        "指向保存密钥的文件。 / No secret key: FAZHI_DEBUG=0 refuses the development key. Set FAZHI_SECRET_KEY "
        "(50+ random characters) or FAZHI_SECRET_KEY_FILE (a file holding it); `make demo` generates "
        "DATA_DIR/secret_key for a local demo."
    )
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
    "fazhi.oversight",
    "fazhi.imports",
    "fazhi.reports",
    "fazhi.portal",
    "fazhi.api",
    "fazhi.field",
    "fazhi.help",
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
    "fazhi.core.middleware.SecurityHeadersMiddleware",
    "fazhi.core.middleware.KnownMethodsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "fazhi.core.middleware.SessionTouchMiddleware",
    "fazhi.core.dbrouter.ReplicaMiddleware",
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
    "fazhi.core.middleware.WriteConflictMiddleware",  # lost races → retry or 409, never a 500
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
                "fazhi.help.context.help_link",
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
            # A connection per worker thread, kept: opening one and running its PRAGMAs cost more than a
            # signed-in trivial page's reads (≈ 4 ms of every request before).
            "CONN_MAX_AGE": int(os.environ.get("FAZHI_SQLITE_CONN_MAX_AGE", "600")),
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
# Read replicas (streaming hot standbys): comma-separated URLs; read-only requests read from them through
# fazhi.core.dbrouter, a user who just wrote reads from the primary for FAZHI_READ_YOUR_WRITES_SECONDS.
for _i, _url in enumerate(u.strip() for u in os.environ.get("DATABASE_REPLICA_URLS", "").split(",") if u.strip()):
    DATABASES[f"replica{_i}"] = {**dj_database_url.parse(_url, conn_max_age=60), "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["fazhi.core.dbrouter.ReplicaRouter"]
FAZHI_READ_YOUR_WRITES_SECONDS = int(os.environ.get("FAZHI_READ_YOUR_WRITES_SECONDS", "5"))
# Behind pgbouncer in transaction mode: no server-side cursors (they outlive a transaction), no
# persistent connections held by Django (the pooler keeps them).
if env_bool("FAZHI_PGBOUNCER", False):
    for _db in DATABASES.values():
        _db["DISABLE_SERVER_SIDE_CURSORS"] = True
        _db["CONN_MAX_AGE"] = 0
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
    "fazhi.accounts.backends.ModelBackend",  # Django's, reading the user without building a query
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_ENGINE = "fazhi.accounts.session_store"  # Django's database sessions, read without building a query
SESSION_COOKIE_AGE = int(os.environ.get("FAZHI_SESSION_IDLE_SECONDS", "1800"))  # idle timeout
# Sliding expiry: the clock restarts on activity, saved at most once a minute per session
# (fazhi.core.middleware.SessionTouchMiddleware) so a logged-in GET is not a write transaction.
SESSION_SAVE_EVERY_REQUEST = False
FAZHI_SESSION_TOUCH_SECONDS = int(os.environ.get("FAZHI_SESSION_TOUCH_SECONDS", "60"))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("FAZHI_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if SESSION_COOKIE_SECURE:  # HTTPS deployment: browsers must never fall back to plain HTTP (HSTS)
    SECURE_HSTS_SECONDS = int(os.environ.get("FAZHI_HSTS_SECONDS", str(365 * 24 * 3600)))
    # Behind a TLS-terminating proxy the request arrives over HTTP; the proxy says so in X-Forwarded-Proto.
    if int(os.environ.get("FAZHI_TRUSTED_PROXY_COUNT", "0")):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
AXES_FAILURE_LIMIT = int(os.environ.get("FAZHI_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # a (user, address) pair: nobody locks a user out from elsewhere
# The client address as the public rate limits see it (X-Forwarded-For behind FAZHI_TRUSTED_PROXY_COUNT proxies),
# not the proxy's own address, which would put every client behind the proxy into one lockout.
AXES_CLIENT_IP_CALLABLE = "fazhi.core.ratelimit.client_ip"
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

# --- Shared cache (rate limits on public forms must hold across worker processes and app servers,
# and the kept to-do lists, one per user and day): Django's default of 300 entries would cull both at county scale.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "fazhi_cache",
                      "OPTIONS": {"MAX_ENTRIES": 20_000}}}
# Number of reverse proxies in front of the app whose X-Forwarded-For may be trusted (0: use REMOTE_ADDR).
FAZHI_TRUSTED_PROXY_COUNT = int(os.environ.get("FAZHI_TRUSTED_PROXY_COUNT", "0"))

# --- Evidence store
FAZHI_EVIDENCE_MAX_BYTES = int(os.environ.get("FAZHI_EVIDENCE_MAX_BYTES", str(20 * 1024**3)))

# --- Audit chain
FAZHI_AUDIT_CHECKPOINT_EVERY = int(os.environ.get("FAZHI_AUDIT_CHECKPOINT_EVERY", "1000"))
# Ed25519 key that signs checkpoints: outside the database (an insider who rewrites the log cannot re-sign);
# created with mode 0600 by the first `migrate` when absent. Back it up separately from the database.
FAZHI_AUDIT_KEY_FILE = Path(os.environ.get("FAZHI_AUDIT_KEY_FILE", str(DATA_DIR / "audit_ed25519.key")))
# The public keyring (each key's window and its predecessor's endorsement); next to the key unless set, e.g. on a
# read-only volume the verifiers share.
FAZHI_AUDIT_KEYRING_FILE = os.environ.get("FAZHI_AUDIT_KEYRING_FILE", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_4xx_traceback": {"()": "fazhi.core.logfilters.NoTracebackBelow500"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["no_4xx_traceback"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("FAZHI_LOG_LEVEL", "WARNING")},
}
