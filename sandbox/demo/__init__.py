"""Sandbox-only app: the ``setup_demo`` command and its generated demo images."""
