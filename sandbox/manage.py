#!/usr/bin/env python
"""Django's command-line utility for the sandbox site."""

import os
import sys


def main() -> None:
    # Put this folder first on the path, so the ``sandbox`` settings package
    # and the ``demo`` app import from any working directory.
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox.settings")

    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
