#!/usr/bin/env python
"""Django's command-line utility.

manage.py is the developer's entry point, so it defaults to DJANGO_DEBUG=1; the WSGI and ASGI
entry points that serve production default to debug off.
"""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apc_tracker.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
