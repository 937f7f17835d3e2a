"""The `paperfeed` console script: Django's management commands with paperfeed's settings.

`paperfeed demo | serve | createadmin | config` are paperfeed's own commands; every other Django command
(`migrate`, `shell`, `dbshell`, ...) is reachable the same way.
"""

import os
import sys


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paperfeed.settings")
    from paperfeed.config import ConfigError

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["paperfeed", *(sys.argv[1:] if argv is None else argv)])
    except ConfigError as exc:
        sys.exit(f"paperfeed: {exc}")


if __name__ == "__main__":
    main()
