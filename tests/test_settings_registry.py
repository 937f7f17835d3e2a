"""The settings registry: every setting documented, strict parsing, secrets hidden by `paperfeed config`."""

from pathlib import Path

import pytest
from django.core.management import call_command

from paperfeed import config


def test_every_setting_has_help_text():
    for setting in config.REGISTRY:
        assert len(setting.help) > 15, setting.name


def test_values_parse_by_type():
    values = config.load(
        {"PAPERFEED_PAGE_SIZE": "12", "PAPERFEED_DEBUG": "yes", "PAPERFEED_ALLOWED_HOSTS": "a.org, b.org"}
    )
    assert values["PAGE_SIZE"] == 12 and values["DEBUG"] is True and values["ALLOWED_HOSTS"] == ["a.org", "b.org"]


@pytest.mark.parametrize("env", [{"PAPERFEED_DEBUG": "maybe"}, {"PAPERFEED_TRENDING_GRAVITY": "fast"}])
def test_a_bad_value_fails_loudly_naming_the_variable(env):
    with pytest.raises(config.ConfigError, match=list(env)[0]):
        config.load(env)


def test_an_unknown_paperfeed_variable_is_an_error():
    with pytest.raises(config.ConfigError, match="PAPERFEED_PAGESIZE"):
        config.load({"PAPERFEED_PAGESIZE": "10"})


def test_config_command_hides_secrets(capsys, settings):
    settings.PAPERFEED = {**settings.PAPERFEED, "SECRET_KEY": "s3cret-value", "EMAIL_HOST_PASSWORD": "hunter2"}
    call_command("config")
    out = capsys.readouterr().out
    assert "s3cret-value" not in out and "hunter2" not in out
    assert "PAPERFEED_SECRET_KEY=********" in out
    assert "PAPERFEED_PAGE_SIZE=" in out


def test_the_settings_reference_page_is_generated_from_the_registry():
    page = Path(__file__).resolve().parents[1] / "docs" / "settings.md"
    assert page.read_text() == config.reference_markdown(), (
        "docs/settings.md is out of date: run `paperfeed config --markdown > docs/settings.md`"
    )
    for setting in config.REGISTRY:
        assert f"| `{setting.env}` |" in page.read_text()


def test_config_markdown_prints_the_reference(capsys):
    call_command("config", markdown=True)
    assert capsys.readouterr().out == config.reference_markdown()
