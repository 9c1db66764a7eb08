from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path

urlpatterns = [
    path("graphql/", include("wagtail_write_graphql.urls")),
    path("api/write/v1/", include("wagtail_write_graphql.rest.urls")),
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
]
