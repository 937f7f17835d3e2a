"""The settings registry: every paperfeed setting is declared once here, with its type, default and help.

Values come from PAPERFEED_<NAME> environment variables. A value that does not parse stops start-up with a
message naming the variable (strict parsing that fails loudly, never a silent default). `paperfeed config`
prints the registry with secrets hidden; a test fails when a setting has no help text.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

PREFIX = "PAPERFEED_"


class ConfigError(Exception):
    pass


def _bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError("expected true/false")


def _list(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


def _path(raw: str) -> Path:
    return Path(raw).expanduser()


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str
    secret: bool = False

    @property
    def env(self) -> str:
        return PREFIX + self.name

    def read(self, environ=os.environ) -> Any:
        raw = environ.get(self.env)
        if raw is None:
            return self.default() if callable(self.default) else self.default
        try:
            return self.parse(raw)
        except (ValueError, TypeError) as exc:
            raise ConfigError(f"{self.env}={raw!r} is not valid: {exc}. {self.help}") from exc


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "paperfeed"


REGISTRY: list[Setting] = [
    Setting("DATA_DIR", _default_data_dir, "Directory for the SQLite database, search indexes and the generated secret key.", _path),
    Setting("DATABASE_URL", "", "Database URL, e.g. postgres://user@127.0.0.1:5432/paperfeed. Empty: SQLite file paperfeed.sqlite3 in DATA_DIR."),
    Setting("SECRET_KEY", "", "Django secret key. Empty: generated once and kept in DATA_DIR/secret_key.", secret=True),
    Setting("DEBUG", False, "Show Django's debug pages. Never on a public server.", _bool),
    Setting("ALLOWED_HOSTS", ["127.0.0.1", "localhost"], "Comma-separated host names this site answers to.", _list),
    Setting("SITE_URL", "http://127.0.0.1:8000", "Public base URL, used in emails, feeds and the User-Agent."),
    Setting("SITE_NAME", "paperfeed", "Name shown in the header and in emails."),
    Setting("CONTACT_EMAIL", "", "Operator's contact address, sent to arXiv in the User-Agent as its API terms ask."),
    Setting("TIME_ZONE", "UTC", "Time zone that decides what 'today' is for daily listings."),
    Setting("BIND", "127.0.0.1:8000", "Address and port `paperfeed serve` listens on."),
    Setting("WEB_WORKERS", 2, "Web server processes started by `paperfeed serve`.", int),
    Setting("WEB_THREADS", 4, "Threads per web server process.", int),
    Setting("PAGE_SIZE", 30, "Papers per listing page.", int),
    Setting("TRENDING_WINDOW_DAYS", 7, "Trending considers papers listed in this many recent days.", int),
    Setting("TRENDING_GRAVITY", 1.5, "Exponent of the time decay in the trending score; larger forgets faster.", float),
    Setting("TRENDING_AGE_OFFSET_HOURS", 2.0, "Hours added to a paper's age before decay, so brand-new papers don't get infinite scores.", float),
    Setting("MIN_VOTER_AGE_HOURS", 24.0, "Votes from accounts younger than this count zero in trending (they still show in the vote count).", float),
    Setting("ARXIV_API_URL", "https://export.arxiv.org/api/query", "arXiv API endpoint used for submissions and `ingest arxiv-ids`."),
    Setting("HTTP_TIMEOUT", 20.0, "Seconds to wait for an outside service before giving up.", float),
    Setting("EMAIL_HOST", "", "SMTP server host. Empty: emails are printed to the console (fine for a demo).",),
    Setting("EMAIL_PORT", 25, "SMTP server port (25, 465 or 587 usually).", int),
    Setting("EMAIL_HOST_USER", "", "SMTP user name, when the server wants a login."),
    Setting("EMAIL_HOST_PASSWORD", "", "SMTP password for EMAIL_HOST_USER.", secret=True),
    Setting("EMAIL_USE_TLS", False, "Use STARTTLS with the SMTP server.", _bool),
    Setting("DEFAULT_FROM_EMAIL", "paperfeed <noreply@localhost>", "From: address of mails the site sends."),
    # --- ingest ---
    # --- search ---
    # --- api and feeds ---
    # --- digests ---
]

BY_NAME = {s.name: s for s in REGISTRY}


def load(environ=os.environ) -> dict[str, Any]:
    unknown = sorted(k for k in environ if k.startswith(PREFIX) and k[len(PREFIX):] not in BY_NAME)
    if unknown:
        raise ConfigError(f"Unknown setting(s): {', '.join(unknown)}. `paperfeed config` lists the valid ones.")
    return {s.name: s.read(environ) for s in REGISTRY}


def describe(values: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(variable, shown value, help) for each setting, secrets hidden."""
    rows = []
    for s in REGISTRY:
        value = values[s.name]
        if s.secret and value:
            shown = "********"
        elif isinstance(value, list):
            shown = ",".join(value)
        else:
            shown = str(value)
        rows.append((s.env, shown, s.help))
    return rows
