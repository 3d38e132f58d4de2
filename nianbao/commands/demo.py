"""`nianbao demo`: simulated portals, crawl, parse, validate, statuses, digests and pages on embedded defaults."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from nianbao.settings import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workdir", type=Path, default=Path("demo-data"), help="演示数据目录（每次运行前清空）")
    parser.add_argument("--portals", type=int, default=9, help="模拟门户数量（默认 9 个，约 60 个机构）")
    parser.add_argument("--seed", type=int, default=2026, help="模拟数据的随机种子")
    parser.add_argument("--as-of", type=date.fromisoformat, default=None, help="合规状态的截止日期（默认今天）")
    parser.add_argument("--no-serve", action="store_true", help="完成后不启动页面服务")


def run(args: argparse.Namespace, settings: Settings) -> int:
    from nianbao.demo import run_demo

    run_demo(settings, workdir=args.workdir.resolve(), portals=args.portals, seed=args.seed,
             as_of=args.as_of, serve=not args.no_serve)
    return 0
