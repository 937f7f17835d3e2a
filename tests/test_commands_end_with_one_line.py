"""A command that cannot do its work (no network, no mail server, a name taken, a folder missing) ends with one
line that says what happened and what to do next: never a traceback, never silence."""

import os
import subprocess
import sys

import pytest
import time_machine
from django.core.management import call_command

from tests.conftest import free_port
from tests.digests_support import TUESDAY_9AM, subscribe, voted_papers
from tests.shared_data import ROOT

NOWHERE = f"http://127.0.0.1:{free_port()}"  # nothing listens there: what an offline machine sees

CASES = {
    "ingest arxiv offline": (["ingest", "arxiv", "--from", "2026-11-01"], "arXiv could not be reached"),
    "ingest hf-daily offline": (["ingest", "hf-daily", "--date", "2026-11-01"], "Hugging Face could not be reached"),
    "ingest arxiv-ids offline": (["ingest", "arxiv-ids", "2401.12345"], "arXiv could not be reached"),
    "ingest file missing": (
        ["ingest", "file", "/nonexistent/papers.jsonl"],
        "No such file: /nonexistent/papers.jsonl; give the path",
    ),
    "eval beir missing": (["eval", "beir", "/nonexistent/scifact"], "is not a BEIR folder"),
}


def paperfeed(data_dir, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAPERFEED_")}
    env.update(
        PAPERFEED_DATA_DIR=str(data_dir),
        PAPERFEED_EMBEDDING_MODEL="",
        PAPERFEED_ARXIV_OAI_URL=f"{NOWHERE}/oai",
        PAPERFEED_ARXIV_API_URL=f"{NOWHERE}/api/query",
        PAPERFEED_HF_API_URL=f"{NOWHERE}/api",
        PAPERFEED_ARXIV_MAX_TRIES="1",
    )
    return subprocess.run(
        [sys.executable, "-m", "paperfeed", *args], cwd=ROOT, capture_output=True, text=True, env=env, timeout=180
    )


def last_line(result) -> str:
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    return result.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_command_that_cannot_work_says_why_in_one_line(tmp_path, case):
    args, says = CASES[case]
    result = paperfeed(tmp_path, *args)
    assert result.returncode == 1
    line = last_line(result)
    assert says in line
    assert any(hint in line for hint in ("try again", "check", "give the path", "needs")), line


def test_createadmin_twice_says_the_name_is_taken_and_what_to_use(tmp_path):
    assert paperfeed(tmp_path, "createadmin", "root", "--password", "a long enough password 42").returncode == 0
    again = paperfeed(tmp_path, "createadmin", "root", "--password", "a long enough password 42")
    assert again.returncode == 1
    assert "exists already" in last_line(again) and "paperfeed changepassword root" in last_line(again)


@pytest.mark.django_db
def test_digest_send_with_the_mail_server_down_says_the_digests_are_kept_and_what_to_check(
    settings, make_paper, capsys
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.PAPERFEED = {**settings.PAPERFEED, "DIGEST_RETRY_BASE_SECONDS": 0.01, "DIGEST_SMTP_RETRIES": 1}
    with time_machine.travel(TUESDAY_9AM, tick=False):
        voted_papers(make_paper, 3, day="2026-03-09")
        subscribe("reader@example.net")
        call_command("digest", "send")
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("1 digest could not be handed to the mail server at 127.0.0.1:")
    assert "they are kept" in err[0] and "PAPERFEED_EMAIL_HOST" in err[0]
