"""A GraphQL API, and a REST shim over it, for uploading and managing Wagtail images."""

__version__ = "0.1.0"
