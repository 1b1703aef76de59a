"""Production settings: clean under `check --deploy`, and refusing to start without secrets."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from marketplace.settings import email_settings, env_bool, env_list

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Variables that would leak the developer's or CI's own setup into the checked configuration.
ENV_TO_DROP = (
    "DATABASE_URL",
    # Set by tests/conftest.py for the browser tests; production never has it.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "ELASTICSEARCH_URL",
    "DEBUG",
    "SECRET_KEY",
    "VAULT_KEY",
    "ALLOWED_HOSTS",
    "SITE_URL",
    "EMAIL_URL",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "CSRF_TRUSTED_ORIGINS",
)


def production_env(tmp_path: Path, **overrides: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ENV_TO_DROP}
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        VAULT_KEY=secrets.token_urlsafe(32),
        ALLOWED_HOSTS="dichtbij.example",
        SITE_URL="https://dichtbij.example",
        DICHTBIJ_VAR_DIR=str(tmp_path),
    )
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


# manage.py check --deploy -------------------------------------------------------------------------


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = deploy_check(production_env(tmp_path))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = deploy_check(production_env(tmp_path, SECRET_KEY=None))

    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr


def test_an_empty_secret_key_counts_as_missing(tmp_path):
    result = deploy_check(production_env(tmp_path, SECRET_KEY=""))

    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr


def test_production_refuses_to_start_without_a_vault_key(tmp_path):
    result = deploy_check(production_env(tmp_path, VAULT_KEY=None))

    assert result.returncode != 0
    assert "VAULT_KEY is required when DEBUG is off" in result.stderr


def test_an_unclear_debug_value_is_refused_with_a_clear_message(tmp_path):
    result = deploy_check(production_env(tmp_path, DEBUG="maybe"))

    assert result.returncode != 0
    assert "DEBUG must be true or false, not 'maybe'" in result.stderr


def test_production_without_allowed_hosts_is_flagged(tmp_path):
    result = deploy_check(production_env(tmp_path, ALLOWED_HOSTS=None))

    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stdout + result.stderr


def test_development_makes_its_own_secrets_outside_git(tmp_path):
    env = production_env(tmp_path, DEBUG="true", SECRET_KEY=None, VAULT_KEY=None)

    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert len((tmp_path / "dev-secret-key").read_text().strip()) >= 50
    assert (tmp_path / "dev-vault-key").read_text().strip()


# env_bool / env_list ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["1", "true", "True", "yes", "on", " ON "])
def test_env_bool_reads_yes(monkeypatch, value):
    monkeypatch.setenv("DICHTBIJ_TEST_FLAG", value)

    assert env_bool("DICHTBIJ_TEST_FLAG", False) is True


@pytest.mark.parametrize("value", ["0", "false", "FALSE", "no", "off"])
def test_env_bool_reads_no(monkeypatch, value):
    monkeypatch.setenv("DICHTBIJ_TEST_FLAG", value)

    assert env_bool("DICHTBIJ_TEST_FLAG", True) is False


def test_env_bool_uses_the_default_when_unset_or_empty(monkeypatch):
    monkeypatch.delenv("DICHTBIJ_TEST_FLAG", raising=False)
    assert env_bool("DICHTBIJ_TEST_FLAG", True) is True

    monkeypatch.setenv("DICHTBIJ_TEST_FLAG", "")
    assert env_bool("DICHTBIJ_TEST_FLAG", False) is False


def test_env_bool_rejects_garbage_naming_the_variable(monkeypatch):
    monkeypatch.setenv("DICHTBIJ_TEST_FLAG", "maybe")

    with pytest.raises(ImproperlyConfigured, match="DICHTBIJ_TEST_FLAG.*'maybe'"):
        env_bool("DICHTBIJ_TEST_FLAG", True)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("DICHTBIJ_TEST_LIST", " a.example, b.example ,,")

    assert env_list("DICHTBIJ_TEST_LIST", []) == ["a.example", "b.example"]


# EMAIL_URL ----------------------------------------------------------------------------------------


def test_smtp_with_starttls_and_credentials():
    config = email_settings("smtp+tls://u:p@mail.example:587")

    assert config == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "u",
        "EMAIL_HOST_PASSWORD": "p",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 10,
    }


def test_smtp_credentials_may_contain_escaped_characters():
    config = email_settings("smtp+ssl://user%40example.org:p%2Fw@mail.example")

    assert config["EMAIL_HOST_USER"] == "user@example.org"
    assert config["EMAIL_HOST_PASSWORD"] == "p/w"
    assert config["EMAIL_PORT"] == 465
    assert config["EMAIL_USE_SSL"] is True
    assert config["EMAIL_USE_TLS"] is False


def test_plain_smtp_defaults_to_port_25_and_reads_a_timeout():
    config = email_settings("smtp://localhost?timeout=3")

    assert config["EMAIL_HOST"] == "localhost"
    assert config["EMAIL_PORT"] == 25
    assert config["EMAIL_TIMEOUT"] == 3
    assert config["EMAIL_USE_TLS"] is False


def test_console_email():
    assert email_settings("console:") == {
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"
    }


def test_file_email_writes_to_the_given_folder():
    assert email_settings("file:/tmp/x") == {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": "/tmp/x",
    }


def test_an_unknown_email_scheme_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        email_settings("carrier-pigeon://loft.example")
