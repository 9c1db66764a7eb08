"""The Strawberry GraphQL layer over :mod:`wagtail_write_graphql.operations`."""
