"""Settings for the CCEE Assistance Portal: one module, every deployment value from the environment.

Defaults give the embedded mode of ``make run``: SQLite under var/, mail written to files under
var/mail, Celery on a file-system broker under var/celery (no service needed). Production and the
test suite set DATABASE_URL and REDIS_URL. Every key is listed in .env.example.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

# .env first (it never overrides a variable that is set), so that every value below, VAR_DIR
# included, can come from it. Importing the settings creates no folder: each is made where it
# is used (see VAR_DIR's users below).
env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    environ.Env.read_env(env_file)

# Where the embedded mode keeps its state: the SQLite file (`make run` creates the folder),
# private media (the storage makes its folders on save), collected static files (collectstatic
# makes STATIC_ROOT), mail files (the file-based backend makes its folder) and the file-system
# broker's folders (made when the Celery app is configured, ccee_portal/celery.py).
VAR_DIR = Path(env.str("CCEE_VAR_DIR", default=str(BASE_DIR / "var")))

# --- Core ---------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/ref/settings/#debug
DEBUG = env.bool("DJANGO_DEBUG", default=False)

# https://docs.djangoproject.com/en/5.2/ref/settings/#secret-key
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random value (for example the output "
            "of `python -c 'import secrets; print(secrets.token_urlsafe(50))'`), or set "
            "DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "insecure-local-development-key-never-used-when-debug-is-off"  # noqa: S105

# https://docs.djangoproject.com/en/5.2/ref/settings/#allowed-hosts
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Absolute base of links in notices (emails are read outside the site).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "core.apps.PortalAdminConfig",  # django.contrib.admin with the portal's admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Index operator classes (the LEA picker's trigram indexes); harmless on SQLite.
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    # MFA (TOTP and recovery codes) and the health endpoints.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "health_check",
    "core",
    "ccee_portal",
    "accounts",
    "eligibility",
    "notices",
    "requests_intake",
    "contracts",
    "engagements",  # after the executed agreement
    # The provider registry: after engagements, whose execution hook must run first.
    "providers",
    # reporting (issue 17): OKR report, public dashboard, read API (django-ninja, not an app
    # here: its Swagger page and 8 MB of static files are left out; the schema is the doc)
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.upload_limits.RequestBodyLimitMiddleware",  # before anything reads the body
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    # headers, session idle timeout, second factor (see "Security (headers, sessions, MFA)").
    "core.csp.CachedPolicyCSPMiddleware",  # django-csp, its policy built once per process
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SessionIdleTimeoutMiddleware",
    "accounts.middleware.SecondFactorRequiredMiddleware",
    "accounts.middleware.NoStoreMiddleware",
]

ROOT_URLCONF = "ccee_portal.urls"
WSGI_APPLICATION = "ccee_portal.wsgi.application"

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
                "ccee_portal.context_processors.portal",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
# https://django-environ.readthedocs.io/en/latest/types.html#environ-env-db-url
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{(VAR_DIR / 'ccee_portal.sqlite3').as_posix()}"
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections: a request reuses its process's connection for up to a minute instead
# of opening one (a new PostgreSQL connection costs more than a light page), and Django checks
# it is still alive before reusing it, so a restarted database costs one failed check, not errors.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("DATABASE_CONN_HEALTH_CHECKS", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg 3 sends the parameters apart from the SQL (server-side binding), so PostgreSQL can
    # keep a statement a process has run this many times parsed and planned, and run it again
    # without doing either: half the database's CPU of a page. "off" prepares nothing. Added to
    # the options DATABASE_URL's query string gives (sslmode=require, say), never in their place.
    _prepare = env.str("DATABASE_PREPARE_THRESHOLD", default="5")
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True,
        prepare_threshold=None if _prepare == "off" else int(_prepare),
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process and the Celery worker of `make run` share the file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- People -------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/topics/auth/customizing/
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.throttling.LoginFailuresPerIpBackend",  # failures per IP across accounts
    "accounts.permission_backend.ModelBackendOneQuery",  # ModelBackend, permissions in 1 query
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Failed-login throttling: https://django-axes.readthedocs.io/en/latest/4_configuration.html
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.throttling.axes_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 8)

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/Los_Angeles"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ------------------------------------------------------------
# https://whitenoise.readthedocs.io/en/stable/django.html
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "DJANGO_STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
# Attachments live outside any served path; only the authorised download view reads them.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
MAX_UPLOAD_BYTES = 20 * 1024 * 1024

# --- the agreement: the administrative agent's name, the seal of e-signed PDFs ------------
# The name the agreement gives the administrative agent (a new draft starts with it).
ADMINISTRATIVE_AGENT_NAME = env.str(
    "ADMINISTRATIVE_AGENT_NAME", default="Riverside County Office of Education"
)
# The key and certificate (PEM) that seal e-signed agreements (contracts/signature.py). When
# unset, a self-signed pair is generated on first use under AGREEMENT_SEAL_DIR: for development
# and tests only; production configures its own.
AGREEMENT_SEAL_KEY_FILE = env.str("AGREEMENT_SEAL_KEY_FILE", default="")
AGREEMENT_SEAL_CERT_FILE = env.str("AGREEMENT_SEAL_CERT_FILE", default="")
AGREEMENT_SEAL_KEY_PASSPHRASE = env.str("AGREEMENT_SEAL_KEY_PASSPHRASE", default="")
AGREEMENT_SEAL_DIR = Path(env.str("AGREEMENT_SEAL_DIR", default=str(VAR_DIR / "seal")))
# ------------------------------------------------------------------------------------------------
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# --- Uploads (issue 18 §2): core.files checks every upload; core.upload_limits bounds the body.
# A body over MAX_REQUEST_BYTES is answered 413 before it is read; a file past MAX_UPLOAD_BYTES
# stops being kept and is refused next to its field. The proxy caps the body at the same size.
MAX_REQUEST_BYTES = env.int("MAX_REQUEST_BYTES", default=2 * MAX_UPLOAD_BYTES + 2 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "core.upload_limits.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
OOXML_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024  # a Word or Excel file, once decompressed
OOXML_MAX_COMPRESSION_RATIO = 100  # above 10 MB decompressed
OOXML_MAX_PARTS = 5000
# Agreement templates (contracts.documents): rendering bounds, checked at upload.
AGREEMENT_RENDER_SECONDS = env.float("AGREEMENT_RENDER_SECONDS", default=10.0)
AGREEMENT_MAX_OUTPUT_BYTES = 10 * 1024 * 1024
# --- end of uploads

# --- Mail ---------------------------------------------------------------------------------
# https://django-environ.readthedocs.io/en/latest/types.html#environ-env-email-url
if "EMAIL_URL" in env:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = env.str(
        "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend"
    )
    EMAIL_FILE_PATH = VAR_DIR / "mail"
    EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
    EMAIL_PORT = env.int("EMAIL_PORT", default=25)
    EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="CCEE Assistance Portal <noreply@ccee-ca.org>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery -------------------------------------------------------------------------------
# https://docs.celeryq.dev/en/stable/userguide/configuration.html
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # An unacknowledged message (its worker was killed) goes back to the queue after this long.
    # It stays above the longest task time limit (CELERY_TASK_TIME_LIMIT), so a running task is
    # never handed out twice; notices do not wait for it: the outbox sweep (every
    # NOTICE_OUTBOX_SWEEP_SECONDS) hands a stuck notice over again within a minute.
    "visibility_timeout": 360,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Web-side publishes of notices use shorter timeouts still, no retry and a circuit breaker
# (notices.broker, NOTICE_BROKER_* below).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
if CELERY_BROKER_URL == "filesystem://":
    _queue_dir = VAR_DIR / "celery"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir / "queue"),
        "data_folder_out": str(_queue_dir / "queue"),
        "processed_folder": str(_queue_dir / "processed"),
        "store_processed": False,
        "control_folder": str(_queue_dir / "control"),
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
# At-least-once delivery: a task is acknowledged after it ran, and requeued if its worker dies.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Stay well below the broker's visibility timeout so a running task is never handed out twice.
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# How often the beat sweep looks for due reminders, escalations and overdue agreements.
NOTICE_SWEEP_SECONDS = env.int("NOTICE_SWEEP_SECONDS", default=120)
# --- Outbox delivery (notices/: README "Notices") ---
# How often beat sweeps the outbox, and how long a notice may stay pending after it was last
# handed to Celery before the sweep hands it over again: together, a notice whose worker died or
# whose publish failed is handed over again 30 to 45 s later.
NOTICE_OUTBOX_SWEEP_SECONDS = env.int("NOTICE_OUTBOX_SWEEP_SECONDS", default=15)
NOTICE_STUCK_AFTER_SECONDS = env.int("NOTICE_STUCK_AFTER_SECONDS", default=30)
# An attempt that began this long ago and never ended is taken as dead (its worker was killed):
# the one-notice delivery task's hard time limit, above EMAIL_TIMEOUT.
NOTICE_ATTEMPT_SECONDS = env.int("NOTICE_ATTEMPT_SECONDS", default=40)
# Tries per notice when the mail server refuses it; the waits double from the base (60 s, 2 min…).
NOTICE_MAX_ATTEMPTS = env.int("NOTICE_MAX_ATTEMPTS", default=5)
NOTICE_RETRY_BASE_SECONDS = env.int("NOTICE_RETRY_BASE_SECONDS", default=60)
# A delivery task that meets a database error retries after 1 s, 2 s, 4 s … (at most 60 s apart).
NOTICE_DB_RETRY_BASE_SECONDS = env.float("NOTICE_DB_RETRY_BASE_SECONDS", default=1.0)
NOTICE_DB_RETRY_MAX_SECONDS = env.float("NOTICE_DB_RETRY_MAX_SECONDS", default=60.0)
NOTICE_DB_MAX_RETRIES = env.int("NOTICE_DB_MAX_RETRIES", default=12)
# Requests (and stuck notices) one sweep handles at most; the rest wait for the next sweep.
NOTICE_SWEEP_BATCH = env.int("NOTICE_SWEEP_BATCH", default=2000)
# Notice ids per broker message: a transaction's notices travel in one publish.
NOTICE_PUBLISH_BATCH = env.int("NOTICE_PUBLISH_BATCH", default=50)
# A web-side publish waits at most this long for Redis (connect, then answer), once: a failure
# opens the process's circuit breaker for NOTICE_BROKER_BREAKER_SECONDS (publishes skip the
# broker; the sweep delivers later).
NOTICE_BROKER_TIMEOUT_SECONDS = env.float("NOTICE_BROKER_TIMEOUT_SECONDS", default=0.5)
NOTICE_BROKER_BREAKER_SECONDS = env.int("NOTICE_BROKER_BREAKER_SECONDS", default=30)

# --- Engagements' progress reports -----------------------------------------
# A report is due this many California business days after its period ends; it is "due" (the
# reminder) from N business days before, "overdue" N after, "very late" (escalation) N after.
ENGAGEMENT_REPORT_DUE_BUSINESS_DAYS = env.int("ENGAGEMENT_REPORT_DUE_BUSINESS_DAYS", default=10)
ENGAGEMENT_REPORT_REMINDER_BUSINESS_DAYS = env.int(
    "ENGAGEMENT_REPORT_REMINDER_BUSINESS_DAYS", default=5
)
ENGAGEMENT_REPORT_OVERDUE_BUSINESS_DAYS = env.int(
    "ENGAGEMENT_REPORT_OVERDUE_BUSINESS_DAYS", default=1
)
ENGAGEMENT_REPORT_VERY_LATE_BUSINESS_DAYS = env.int(
    "ENGAGEMENT_REPORT_VERY_LATE_BUSINESS_DAYS", default=10
)
# An active engagement whose end date is this many days away or fewer shows as ending soon.
ENGAGEMENT_ENDING_SOON_DAYS = env.int("ENGAGEMENT_ENDING_SOON_DAYS", default=60)

# --- Reporting (issue 17) ------------------------------------------------------------------
# How often beat counts the portal's own work as direct support, and how long the public
# dashboard's figures are cached (they are recomputed at once when the totals change).
REPORTING_COUNT_SECONDS = env.int("REPORTING_COUNT_SECONDS", default=600)
PUBLIC_DASHBOARD_CACHE_SECONDS = env.int("PUBLIC_DASHBOARD_CACHE_SECONDS", default=900)

# --- Security (production) ----------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
# The proxy's headers (X-Forwarded-Proto, X-Forwarded-For) are trusted only when the portal
# sits behind the reverse proxy that sets them (docker-compose's `proxy`): off by default, since
# a client talking to gunicorn directly could otherwise claim https or any address.
TRUST_PROXY_HEADERS = env.bool("DJANGO_TRUST_PROXY_HEADERS", default=False)
if TRUST_PROXY_HEADERS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
# Opt-in: both bind every sub-domain of the host, and preload is hard to undo.
HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = HSTS_INCLUDE_SUBDOMAINS
    SECURE_HSTS_PRELOAD = HSTS_PRELOAD
# Django's deployment check recommends both; leaving them off is the operator's choice here.
SILENCED_SYSTEM_CHECKS = [
    check
    for check, on in (("security.W005", HSTS_INCLUDE_SUBDOMAINS), ("security.W021", HSTS_PRELOAD))
    if not on
]
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# --- Security (headers, sessions, MFA, rate limits) ---------------------------------------
# Content-Security-Policy (django-csp): no inline script or style anywhere, the admin included;
# pages put their JavaScript and CSS in static/ and their data in json_script blocks. One style
# attribute of django-simple-history's history page is allowed by its hash alone.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": [
            "'unsafe-hashes'",
            "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",
        ],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Permissions-Policy (django-permissions-policy): the portal uses none of these features.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
        "browsing-topics",
    )
}
# A session ends after this much inactivity (seconds), besides SESSION_COOKIE_AGE's absolute age:
# 30 minutes for staff (reviewers, leads, agents, superusers), 2 hours for LEA staff.
SESSION_IDLE_TIMEOUT_STAFF = env.int("SESSION_IDLE_TIMEOUT_STAFF", default=30 * 60)
SESSION_IDLE_TIMEOUT_LEA = env.int("SESSION_IDLE_TIMEOUT_LEA", default=2 * 60 * 60)
# MFA (django-otp): the issuer shown in the authenticator app; staff must pass a second factor.
OTP_TOTP_ISSUER = "CCEE Assistance Portal"
# Nobody, superusers included, reads another person's authenticator key or QR code in the admin.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Rate limits (django-ratelimit's counters, in the cache): "count/period", period s, m, h or d.
RATELIMIT_IP_META_KEY = "accounts.throttling.client_ip"
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_ip"
RATE_SIGNUP_PER_IP = env.str("RATE_SIGNUP_PER_IP", default="10/h")
RATE_SIGNUP_PER_ADDRESS = env.str("RATE_SIGNUP_PER_ADDRESS", default="3/h")
RATE_PASSWORD_RESET_PER_IP = env.str("RATE_PASSWORD_RESET_PER_IP", default="10/h")
RATE_PASSWORD_RESET_PER_ADDRESS = env.str("RATE_PASSWORD_RESET_PER_ADDRESS", default="3/h")
# Failed sign-ins from one address across every account (password spraying); axes locks one
# account per address after AXES_FAILURE_LIMIT.
RATE_LOGIN_FAILURES_PER_IP = env.str("RATE_LOGIN_FAILURES_PER_IP", default="30/h")
# Opening or answering a county confirmation link, per network address (guessing links).
RATE_COUNTY_CONFIRMATION_PER_IP = env.str("RATE_COUNTY_CONFIRMATION_PER_IP", default="30/h")
# How long the county office's and geographic lead's confirmation link stays valid (days).
COUNTY_CONFIRMATION_DAYS = env.int("COUNTY_CONFIRMATION_DAYS", default=10)
# Colleague invitations an LEA member may send (requests_intake/invitations.py), and how long
# an invitation's link works.
RATE_INVITATIONS_PER_MEMBER = env.str("RATE_INVITATIONS_PER_MEMBER", default="10/h")
INVITATION_MAX_AGE_DAYS = env.int("INVITATION_MAX_AGE_DAYS", default=14)
# The cache holding the counters: Redis when there is one (shared by every gunicorn worker),
# else this process's memory (the single web process of `make run`).
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env.str("CACHE_REDIS_URL", default=REDIS_URL),
            "KEY_PREFIX": "ccee",
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# An anonymous visitor's unsaved section answers are kept in the session up to this size (bytes).
ANONYMOUS_STASH_MAX_BYTES = env.int("ANONYMOUS_STASH_MAX_BYTES", default=64 * 1024)

# --- Forms --------------------------------------------------------------------------------
# https://django-crispy-forms.readthedocs.io/
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Demo data ----------------------------------------------------------------------------
# The documented demo passwords are refused unless this is on (and it never is with DEBUG off).
DEMO_ACCOUNTS_ENABLED = DEBUG and env.bool("CCEE_DEMO_ACCOUNTS", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint reports each step of every PDF it makes (and of its own stylesheet, on
        # import) at INFO: only its warnings are worth a line.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Periodic work, run by exactly one beat process (docker-compose's `beat`, or `make run`'s worker).
CELERY_BEAT_SCHEDULE = {
    # Notices still pending a while after they were handed to Celery are handed over again.
    "notice-sweep": {
        "task": "notices.sweep.notice_sweep_task",
        "schedule": NOTICE_OUTBOX_SWEEP_SECONDS,
    },
    # Due 24-hour reminders and 48-hour escalations of the verification clock become notices.
    "verification-clock": {
        "task": "requests_intake.tasks.verification_clock_sweep_task",
        "schedule": NOTICE_SWEEP_SECONDS,
    },
    # Agreement due-date reminders (one business day before) and overdue escalations.
    "contract-sweep": {
        "task": "contracts.tasks.contract_sweep_task",
        "schedule": NOTICE_SWEEP_SECONDS,
    },
    # Progress reports due, overdue and very late: reminders and escalations, once each.
    "engagement-report-sweep": {
        "task": "engagements.tasks.report_sweep_task",
        "schedule": NOTICE_SWEEP_SECONDS,
    },
    # reporting (issue 17): verified requests and active engagements become Direct Technical
    # Assistance support records, once per LEA and quarter, and the report's totals follow.
    "reporting-portal-support": {
        "task": "reporting.tasks.count_portal_support_task",
        "schedule": REPORTING_COUNT_SECONDS,
    },
}
