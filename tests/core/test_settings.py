"""Settings are read once, typed, and bad values are refused naming the setting."""

from __future__ import annotations

import pytest

from nianbao.errors import ConfigError
from nianbao.settings import SmtpTarget, load_settings


def test_defaults_are_embedded(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NIANBAO_DB_URL", "NIANBAO_SMTP_URL", "NIANBAO_REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings(_env_file=None)
    assert settings.db_url.startswith("sqlite:///")
    assert settings.smtp is None and settings.redis_url is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp+starttls://user:p%40ss@mail.example.cn:587", SmtpTarget("mail.example.cn", 587, "starttls", "user", "p@ss")),
        ("smtps://mail.example.cn", SmtpTarget("mail.example.cn", 465, "tls")),
        ("smtp://127.0.0.1:2525", SmtpTarget("127.0.0.1", 2525, "none")),
    ],
)
def test_smtp_url_parsed(url: str, expected: SmtpTarget) -> None:
    assert SmtpTarget.parse(url) == expected


@pytest.mark.parametrize(
    ("name", "value"),
    [("NIANBAO_SMTP_URL", "http://mail.example.cn"), ("NIANBAO_DB_URL", "mysql://x")],
)
def test_bad_setting_names_itself(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=name):
        load_settings(_env_file=None)
