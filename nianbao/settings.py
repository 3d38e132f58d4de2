"""Typed settings read from the environment once, in the CLI entry point, and passed down."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pydantic import ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from nianbao.errors import ConfigError

SMTP_SCHEMES = {"smtp": "none", "smtp+starttls": "starttls", "smtps": "tls", "smtp+tls": "tls"}


@dataclass(frozen=True)
class SmtpTarget:
    """NIANBAO_SMTP_URL parsed: host, port, security mode and optional credentials."""

    host: str
    port: int
    security: str  # "none" | "starttls" | "tls"
    username: str | None = None
    password: str | None = None

    @classmethod
    def parse(cls, url: str) -> SmtpTarget:
        parts = urlsplit(url)
        security = SMTP_SCHEMES.get(parts.scheme)
        if security is None or not parts.hostname:
            raise ValueError(f"不支持的 SMTP 地址：{url}（应为 smtp://、smtp+starttls:// 或 smtps://）")
        default_port = {"none": 25, "starttls": 587, "tls": 465}[security]
        return cls(
            host=parts.hostname,
            port=parts.port or default_port,
            security=security,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
        )


class Settings(BaseSettings):
    """Every NIANBAO_* setting; documented in README.md (a test checks)."""

    model_config = SettingsConfigDict(env_prefix="NIANBAO_", env_file=".env", extra="ignore")

    db_url: str = "sqlite:///nianbao.db"
    data_dir: Path = Path("nianbao-data")
    smtp_url: str | None = None
    mail_from: str = "nianbao 年报监测 <nianbao@localhost>"
    base_url: str = "http://127.0.0.1:8000"
    redis_url: str | None = None
    user_agent: str = "nianbao/0.1 (+https://github.com/nianbao/nianbao; 政府信息公开年报监测)"
    secret_key: str = "change-me-in-production"
    timezone: str = "Asia/Shanghai"
    allow_private_hosts: bool = False
    max_document_mb: int = 50
    listen: str = "127.0.0.1:8000"

    @field_validator("db_url")
    @classmethod
    def _known_db(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError("只支持 sqlite:/// 或 postgresql+psycopg:// 地址")
        return value

    @field_validator("smtp_url")
    @classmethod
    def _valid_smtp(cls, value: str | None) -> str | None:
        if value:
            SmtpTarget.parse(value)
        return value

    @property
    def smtp(self) -> SmtpTarget | None:
        return SmtpTarget.parse(self.smtp_url) if self.smtp_url else None

    @property
    def document_dir(self) -> Path:
        return self.data_dir / "documents"


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment, turning validation errors into one ConfigError naming the setting."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "NIANBAO_" + str(first["loc"][0]).upper() if first["loc"] else "NIANBAO_*"
        raise ConfigError(f"配置项 {name} 无效：{first['msg']}") from None
