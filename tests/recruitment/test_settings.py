import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 64 + "-production-secret-for-the-deploy-check",
    "DATABASE_URL": "postgres://app@db.internal:5432/recruitment",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "SITE_URL": "https://jobs.example.com",
    "ALLOWED_HOSTS": "jobs.example.com",
    "TEXTING_PROVIDER": "messaging.providers.TwilioProvider",
    "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
    "TWILIO_AUTH_TOKEN": "production-auth-token",
    "TWILIO_WHATSAPP_TEMPLATE_SID": "HX" + "0" * 32,
}


def _manage(*args, env):
    # A production process inherits none of the test run's settings (the e2e conftest allows async-unsafe ORM).
    inherited = PRODUCTION.keys() | {
        "DJANGO_SETTINGS_MODULE",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "DEVTOOLS",
    }
    clean = {k: v for k, v in os.environ.items() if k not in inherited}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0 and "Set the SECRET_KEY environment variable" in result.stderr


def test_twilio_without_its_credentials_refuses_to_start():
    env = {k: v for k, v in PRODUCTION.items() if k != "TWILIO_AUTH_TOKEN"}
    result = _manage("check", env=env)
    assert result.returncode != 0 and "TWILIO_AUTH_TOKEN" in result.stderr


DEVELOPMENT_COMMANDS = {"seed_demo", "seed_large", "bench"}


def _commands(env) -> set[str]:
    result = _manage("help", "--commands", env=env)
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


def test_production_has_no_development_tools():
    commands = _commands(PRODUCTION)
    assert "texting_seats" in commands  # an operator's command
    assert not commands & DEVELOPMENT_COMMANDS


def test_development_has_the_development_tools():
    assert _commands({**PRODUCTION, "DEBUG": "true"}) >= DEVELOPMENT_COMMANDS


def test_devtools_true_adds_them_to_production_settings_for_the_seed_commands():
    assert _commands({**PRODUCTION, "DEVTOOLS": "true"}) >= DEVELOPMENT_COMMANDS
