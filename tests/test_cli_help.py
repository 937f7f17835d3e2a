"""Every paperfeed command has help with an example, and the console script reaches Django's commands."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class

import paperfeed

PACKAGE = Path(paperfeed.__file__).parent
OURS = sorted(name for name, app in get_commands().items() if app.startswith("paperfeed"))


def test_paperfeed_has_its_own_commands():
    assert {"demo", "serve", "createadmin", "config"} <= set(OURS)


@pytest.mark.parametrize("name", OURS)
def test_every_command_has_help_with_an_example(name):
    command = load_command_class(get_commands()[name], name)
    text = command.create_parser("paperfeed", name).format_help()
    assert command.help and len(command.help) > 20
    assert "example:" in text and "paperfeed" in text.split("example:")[1]


def test_console_script_runs_django_commands(tmp_path):
    env = {**os.environ, "PAPERFEED_DATA_DIR": str(tmp_path), "PAPERFEED_DATABASE_URL": ""}
    out = subprocess.run(
        [sys.executable, "-m", "paperfeed", "help"], capture_output=True, text=True, env=env, check=True
    ).stdout
    assert "migrate" in out and "demo" in out and "serve" in out
    out = subprocess.run(
        [sys.executable, "-m", "paperfeed", "demo", "--help"], capture_output=True, text=True, env=env, check=True
    ).stdout
    assert "example:" in out


def test_a_bad_setting_stops_the_cli_with_the_variable_named(tmp_path):
    env = {**os.environ, "PAPERFEED_DATA_DIR": str(tmp_path), "PAPERFEED_PAGE_SIZE": "lots"}
    result = subprocess.run([sys.executable, "-m", "paperfeed", "config"], capture_output=True, text=True, env=env)
    assert result.returncode != 0
    assert "PAPERFEED_PAGE_SIZE='lots' is not valid" in result.stderr
