"""The `nianbao` command: parses arguments, builds settings once, translates errors to one line."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from nianbao.errors import NianbaoError
from nianbao.settings import load_settings

# Each command lives in nianbao/commands/<module>.py with add_arguments(parser) and run(args, settings) -> int.
COMMANDS: dict[str, tuple[str, str]] = {
    "parse": ("parse", "读取并校验一份年度报告"),
    "registry": ("registry", "导入机构名录（CSV）"),
    "crawl": ("crawl", "抓取已登记门户网站的年度报告"),
    "reports": ("reports", "列出已存储的年度报告"),
    "reparse": ("reparse", "用当前解析器重新解析已存储的文档"),
    "status": ("status", "各机构某年度的合规状态"),
    "digest": ("digest", "生成并发送每周摘要邮件"),
    "serve": ("serve", "后台服务：定时任务与状态页面"),
    "user": ("user", "管理监督人员账号"),
    "db": ("dbcmd", "数据库迁移"),
    "demo": ("demo", "演示：模拟门户、抓取、校验、摘要与页面"),
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nianbao", description="政府信息公开工作年度报告监测")
    parser.add_argument("-v", "--verbose", action="store_true", help="在标准错误输出详细日志")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (module, help_text) in COMMANDS.items():
        if only and name != only:
            sub.add_parser(name, help=help_text)
            continue
        command = importlib.import_module(f"nianbao.commands.{module}")
        command.add_arguments(sub.add_parser(name, help=help_text, description=help_text))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    first = next((a for a in argv if not a.startswith("-")), None)
    # Import only the command being run, so `nianbao parse` does not pay for scrapy or FastAPI.
    parser = build_parser(only=first if first in COMMANDS else None)
    args = parser.parse_args(argv)
    level = logging.INFO if args.verbose else logging.WARNING
    handler = logging.StreamHandler(sys.stderr)
    # The level sits on the handler too: Scrapy resets its own loggers to DEBUG when a crawl starts.
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler])
    try:
        settings = load_settings()
        command = importlib.import_module(f"nianbao.commands.{COMMANDS[args.command][0]}")
        return int(command.run(args, settings) or 0)
    except NianbaoError as exc:
        print(f"nianbao: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("nianbao: 已中断", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `nianbao reports | head`: the reader left; stop quietly like other Unix tools.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())
