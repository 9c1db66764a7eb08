"""URLs of the GraphQL endpoint. Include them at any prefix, e.g. ``graphql/``."""

from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from .graphql.views import graphql_view

app_name = "wagtail_write_graphql"

urlpatterns = [
    # The view applies its own CSRF rule: session-cookie requests are
    # checked, bearer-token requests are not.
    path("", csrf_exempt(graphql_view()), name="graphql"),
]
