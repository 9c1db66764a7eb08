"""Django settings of the sandbox: a local Wagtail demo site for the API.

These settings are for a demo on your own machine only. ``DEBUG`` is on, the
secret key has a public default, and ``ALLOWED_HOSTS`` accepts only
localhost and 127.0.0.1.

Environment variables:

- ``DATABASE_URL``: a database URL as dj-database-url parses it, e.g.
  ``postgres://postgres@127.0.0.1:5432/sandbox``. The default is the SQLite
  file ``sandbox/db.sqlite3``.
- ``MEDIA_ROOT``: folder for uploaded images and renditions. The default is
  ``sandbox/media/``.
- ``PORT``: port of ``runserver``, used in the URLs that ``setup_demo`` prints
  and in ``WAGTAILADMIN_BASE_URL``. The default is 8000.
- ``DJANGO_SECRET_KEY``: replaces the public demo key. API tokens are stored
  as HMACs keyed by it, so changing it invalidates every token.
"""

import os
from pathlib import Path

import dj_database_url

#: The ``sandbox/`` folder, which contains ``manage.py``.
BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "sandbox-insecure-local-demo-key-do-not-deploy"
)
DEBUG = True
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]

#: Base URL of the running sandbox, without a trailing slash.
SANDBOX_BASE_URL = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"

INSTALLED_APPS = [
    "demo",
    "wagtail_write_graphql",
    # Provides the ``export_schema`` management command.
    "strawberry_django",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "sandbox.urls"
WSGI_APPLICATION = "sandbox.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=0
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = os.environ.get("MEDIA_ROOT") or str(BASE_DIR / "media")

WAGTAIL_SITE_NAME = "wagtail-write-graphql sandbox"
WAGTAILADMIN_BASE_URL = SANDBOX_BASE_URL
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database"},
}

# The API's options, set here so they are easy to change while trying the API.
# wagtail_write_graphql/conf.py documents each option and its default.
WAGTAIL_WRITE_API = {
    "IMAGE_RENDITIONS": {
        "thumbnail": "fill-100x100",
        "medium": "max-800x600",
        "large": "max-1600x1200",
    },
    "DEFAULT_PAGE_SIZE": 20,
    "MAX_PAGE_SIZE": 100,
    # True: the images and image queries need a token or a logged-in user.
    "REQUIRE_AUTH_FOR_READ": True,
    # True: a browser's GET /graphql/ serves the GraphiQL IDE.
    "GRAPHIQL": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "console": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "console"},
    },
    "loggers": {
        "wagtail_write_graphql": {
            "handlers": ["console"],
            "level": "INFO",
            "propagate": False,
        },
    },
}
