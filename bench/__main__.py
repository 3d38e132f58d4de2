"""Run benchmarks: `python -m bench` lists them, `python -m bench NAME [args]` runs bench/NAME.py's main()."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    names = sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if not m.name.startswith("_"))
    if not argv or argv[0] not in names:
        print("用法: python -m bench NAME [参数]；可用：" + "、".join(names), file=sys.stderr)
        return 64
    module = importlib.import_module(f"bench.{argv[0]}")
    return int(module.main(argv[1:]) or 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
