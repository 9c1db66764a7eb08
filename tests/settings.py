"""Django settings for the test suite.

``DATABASE_URL`` selects the database (SQLite in memory by default; the CI
script also runs the suite on PostgreSQL). ``MEDIA_ROOT`` is a fresh temporary
folder for each test session, so tests see real files on disk.
"""

import os
import tempfile

import dj_database_url

BASE_DIR = os.path.dirname(os.path.abspath(__file__))

SECRET_KEY = "tests-only-secret-key"
DEBUG = False
ALLOWED_HOSTS = ["*"]
USE_TZ = True
TIME_ZONE = "UTC"

INSTALLED_APPS = [
    "wagtail_write_graphql",
    "strawberry_django",
    "wagtail.images",
    "wagtail.documents",
    "wagtail.users",
    "wagtail.admin",
    "wagtail",
    "modelsearch",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "tests.testapp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "tests.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "sqlite://:memory:"), conn_max_age=0
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

MEDIA_ROOT = tempfile.mkdtemp(prefix="wagtail-write-graphql-media-")
MEDIA_URL = "/media/"
STATIC_URL = "/static/"

WAGTAIL_SITE_NAME = "wagtail-write-graphql tests"
WAGTAILADMIN_BASE_URL = "http://localhost"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"null": {"class": "logging.NullHandler"}},
    "loggers": {"wagtail_write_graphql": {"handlers": ["null"], "level": "DEBUG"}},
}
