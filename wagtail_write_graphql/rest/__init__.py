"""The REST shim: the documented ``/images/`` endpoints, served by the GraphQL resolvers."""
