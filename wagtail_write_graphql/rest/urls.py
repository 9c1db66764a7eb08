"""URLs of the REST shim. The documentation mounts them at ``api/write/v1/``.

The last pattern matches every other path below the mount and returns a 404 problem,
so a client never gets an HTML error page or a trailing-slash redirect.
"""

from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from .openapi import DOCUMENT_NAME, OpenAPIView
from .views import NOT_FOUND_URL_NAME, ImageDetailView, ImageListView, not_found

app_name = "wagtail_write_rest"

# Every view is CSRF-exempt for Django's middleware, because the views check
# CSRF themselves: session-cookie writes need a token, bearer requests do not.
urlpatterns = [
    path("images/", csrf_exempt(ImageListView.as_view()), name="image-list"),
    path("images/<int:image_id>/", csrf_exempt(ImageDetailView.as_view()), name="image-detail"),
    path(DOCUMENT_NAME, csrf_exempt(OpenAPIView.as_view()), name="openapi"),
    re_path(r"^(?P<unmatched_path>.*)$", csrf_exempt(not_found), name=NOT_FOUND_URL_NAME),
]
