"""URLs of the sandbox: Wagtail admin, the API, media, then Wagtail pages."""

from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("graphql/", include("wagtail_write_graphql.urls")),
    path("api/write/v1/", include("wagtail_write_graphql.rest.urls")),
    # static() serves files only while DEBUG is on, which the sandbox always is.
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
    # Wagtail's page serving matches every path, so it must come last.
    path("", include(wagtail_urls)),
]
