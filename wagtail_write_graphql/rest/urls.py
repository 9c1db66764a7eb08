"""URLs of the REST shim. The documentation mounts them at ``api/write/v1/``."""

# TODO: the REST endpoints are not implemented yet.
urlpatterns: list = []
