"""What `nianbao serve` schedules and how, built once from Settings plus command-line overrides."""

from __future__ import annotations

import os
import socket
import sys
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from nianbao.errors import ConfigError
from nianbao.settings import Settings

# Crontab fields: minute hour day month day-of-week, in the service's timezone (Asia/Shanghai).
SEASON_CRAWL = "0 2 * 1-4 *"  # daily while reports are due (January–April)
OFFSEASON_CRAWL = "0 2 * 5-12 mon"  # weekly otherwise
STATUS_REFRESH = "30 0 * * *"  # just after midnight, when deadlines pass
WEEKLY_DIGEST = "0 8 * * mon"  # Monday 08:00
IMMEDIATE_ALERTS = "15 * * * *"  # hourly


@dataclass(frozen=True)
class ServiceConfig:
    timezone: str = "Asia/Shanghai"
    season_crawl: str = SEASON_CRAWL
    offseason_crawl: str = OFFSEASON_CRAWL
    status_refresh: str = STATUS_REFRESH
    weekly_digest: str = WEEKLY_DIGEST
    immediate_alerts: str | None = IMMEDIATE_ALERTS  # None: no hourly alerts job
    outbox_retry: str = "*/10 * * * *"
    crawl_target: str = "subprocess"  # "subprocess" (`crawl_command` in a child process) or "module:function(settings)"
    crawl_command: tuple[str, ...] = (sys.executable, "-m", "nianbao.cli", "crawl")
    crawl_timeout_s: int = 6 * 3600
    status_years: int = 2  # refresh the last N report years (the season's and the one before)
    web: bool = True
    host: str = "127.0.0.1"
    port: int = 8000
    instance: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    shutdown_grace_s: float = 60.0  # how long a running crawl gets to stop after SIGTERM

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> ServiceConfig:
        """Defaults from `settings` (timezone, listen address), then non-None `overrides`."""
        host, _, port = settings.listen.rpartition(":")
        if not host or not port.isdigit():
            raise ConfigError(f"配置项 NIANBAO_LISTEN 无效：{settings.listen}（应为 主机:端口）")
        config = cls(timezone=settings.timezone, host=host, port=int(port))
        return replace(config, **{k: v for k, v in overrides.items() if v is not None})

    def report_years(self, today: date) -> list[int]:
        """The report years whose statuses are refreshed on `today` (the newest first)."""
        return [today.year - 1 - i for i in range(self.status_years)]
