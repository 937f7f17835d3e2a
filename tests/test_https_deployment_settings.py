"""Served at an https address, the site sends its cookies with Secure and HSTS, trusts a reverse proxy's header
only when told to, and `check --deploy` finds nothing beyond the warnings docs/security.md explains."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTED = {"security.W005", "security.W008", "security.W021"}  # docs/security.md says why each stays

PROBE = """
import django, json
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.contrib.auth.models import User
from django.test import Client
call_command("migrate", verbosity=0)
User.objects.create_user("alice", password="correct horse battery staple 42")
client = Client(HTTP_X_FORWARDED_PROTO="https")
page = client.get("/accounts/login/", secure=True)
login = client.post("/accounts/login/", {"username": "alice", "password": "correct horse battery staple 42"},
                    secure=True)
plain = Client().get("/papers", HTTP_X_FORWARDED_PROTO="https")
print(json.dumps({
    "csrftoken_secure": bool(page.cookies["csrftoken"]["secure"]),
    "sessionid_secure": bool(login.cookies["sessionid"]["secure"]),
    "hsts": page.headers.get("Strict-Transport-Security"),
    "proxied_is_secure": plain.wsgi_request.is_secure(),
}))
"""


def run_django(tmp_path, code: str, **env) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("PAPERFEED_", "DJANGO_"))}
    environ.update(
        DJANGO_SETTINGS_MODULE="paperfeed.settings",
        PAPERFEED_DATA_DIR=str(tmp_path),
        PAPERFEED_ALLOWED_HOSTS="papers.example.org,testserver",
        PAPERFEED_SECRET_KEY="k" * 20 + "-a-long-random-production-secret-value-0123456789",
        **env,
    )
    return subprocess.run([sys.executable, *code], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120)


def probe(tmp_path, **env) -> dict:
    result = run_django(tmp_path, ["-c", PROBE], **env)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_an_https_site_sends_secure_cookies_and_hsts(tmp_path):
    seen = probe(tmp_path, PAPERFEED_SITE_URL="https://papers.example.org")
    assert seen["csrftoken_secure"] and seen["sessionid_secure"]
    assert seen["hsts"] == "max-age=31536000"
    assert seen["proxied_is_secure"] is False  # no proxy header is trusted unless configured


def test_a_plain_http_site_keeps_plain_cookies_and_sends_no_hsts(tmp_path):
    seen = probe(tmp_path, PAPERFEED_SITE_URL="http://127.0.0.1:8000")
    assert not seen["csrftoken_secure"] and not seen["sessionid_secure"] and seen["hsts"] is None


def test_the_proxy_header_is_trusted_once_configured(tmp_path):
    seen = probe(
        tmp_path, PAPERFEED_SITE_URL="https://papers.example.org", PAPERFEED_PROXY_SSL_HEADER="X-Forwarded-Proto"
    )
    assert seen["proxied_is_secure"] is True


@pytest.mark.parametrize("redirect", ["false", "true"])
def test_check_deploy_warns_only_of_what_the_docs_explain(tmp_path, redirect):
    result = run_django(
        tmp_path,
        ["-m", "paperfeed", "check", "--deploy"],
        PAPERFEED_SITE_URL="https://papers.example.org",
        PAPERFEED_SSL_REDIRECT=redirect,
        PAPERFEED_PROXY_SSL_HEADER="X-Forwarded-Proto",
    )
    found = set(re.findall(r"\(([a-z_]+\.[WE]\d+)\)", result.stdout + result.stderr))
    expected = DOCUMENTED - ({"security.W008"} if redirect == "true" else set())
    assert found == expected, result.stdout + result.stderr
    documented = (ROOT / "docs" / "security.md").read_text()
    assert all(code.split(".")[1] in documented for code in found)
