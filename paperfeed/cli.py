"""The `paperfeed` console script: paperfeed's own commands first, and every Django management command too.

`paperfeed help` lists paperfeed's commands with a line each, then Django's under their own heading;
`paperfeed help CMD [SUB]` is `paperfeed CMD [SUB] --help`; `paperfeed --version` is paperfeed's version.
"""

from __future__ import annotations

import os
import sys
import textwrap

from paperfeed import __version__


def main(argv=None):
    args = list(sys.argv[1:] if argv is None else argv)
    if args in (["--version"], ["version"]):
        print(f"paperfeed {__version__}")
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paperfeed.settings")
    from paperfeed.config import ConfigError

    try:
        if not args or args in (["help"], ["--help"], ["-h"]):
            print(overview())
            return
        if args[0] == "help":
            args = [*args[1:], "--help"]
        from django.core.management import execute_from_command_line

        execute_from_command_line(["paperfeed", *args])
    except ConfigError as exc:
        sys.exit(f"paperfeed: {exc}")


def overview() -> str:
    import django
    from django.core.management import get_commands, load_command_class

    django.setup()
    ours, theirs = [], []
    for name, app in sorted(get_commands().items()):
        (ours if app.startswith("paperfeed") else theirs).append((name, app))
    width = max(len(name) for name, _ in ours)
    lines = [f"paperfeed {__version__}: a self-hostable hub for trending research papers.", "", "Commands:"]
    for name, app in ours:
        summary = _first_sentence(load_command_class(app, name).help)
        lines.append(_wrap(summary, indent=f"  {name.ljust(width)}  ", hanging=" " * (width + 4)))
    lines += [
        "",
        "`paperfeed help COMMAND` (or `paperfeed COMMAND --help`) shows a command's options and an example;",
        "`paperfeed config` lists every setting. Django's own commands work too:",
        "",
        _wrap(", ".join(name for name, _ in theirs), indent="  "),
    ]
    return "\n".join(lines)


def _first_sentence(text: str) -> str:
    text = " ".join((text or "").split())
    ends = [i for i in (text.find(". "), text.find("; ")) if i > 0]
    return text[: min(ends)] + "." if ends else text


def _wrap(text: str, *, indent: str, hanging: str | None = None, width: int = 100) -> str:
    return textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=hanging or indent)


if __name__ == "__main__":
    main()
