from django.apps import AppConfig


class WagtailWriteGraphQLConfig(AppConfig):
    name = "wagtail_write_graphql"
    label = "wagtail_write_graphql"
    verbose_name = "Wagtail write GraphQL API"

    def ready(self) -> None:
        # Importing the module registers its system checks.
        from . import checks  # noqa: F401
