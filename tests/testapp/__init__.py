"""A test-only app with content that protects images from deletion."""
