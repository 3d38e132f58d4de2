"""`python -m portalfarm --seed 1 --portals 60`: serve a farm until interrupted (or --seconds pass)."""

from __future__ import annotations

import argparse
import json
import sys
import threading
from pathlib import Path

from portalfarm.cache import default_root
from portalfarm.farm import Farm
from portalfarm.spec import FarmSpec


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m portalfarm", description="Simulated government portals on loopback")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--portals", type=int, default=12)
    parser.add_argument("--years", default="2022,2023,2024", help="comma-separated report years")
    parser.add_argument("--port", type=int, default=0, help="one port for every portal address (0: any free port each)")
    parser.add_argument("--names", action="store_true", help="URLs with host names (needs a resolver override)")
    parser.add_argument("--no-faults", action="store_true")
    parser.add_argument("--cache-dir", type=Path, default=default_root(), help="rendered PDF/DOC cache")
    parser.add_argument("--prerender", action="store_true", help="render all attachments in the background at start")
    parser.add_argument("--registry", type=Path, help="write the registry CSV here")
    parser.add_argument("--truth", type=Path, help="write the truth manifest (JSON) here")
    parser.add_argument("--seconds", type=float, default=3600.0, help="stop after this long (bounded)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    years = tuple(int(y) for y in args.years.split(",") if y.strip())
    spec = FarmSpec.generate(args.seed, args.portals, years, faults=not args.no_faults)
    farm = Farm(spec, port=args.port, names=args.names, cache_dir=args.cache_dir, prerender=args.prerender)
    with farm.running():
        if args.registry:
            args.registry.write_text(farm.registry_csv(), encoding="utf-8")
        if args.truth:
            args.truth.write_text(json.dumps(farm.truth(), ensure_ascii=False, indent=1), encoding="utf-8")
        for portal in spec.portals:
            print(f"{portal.id}\t{farm.base_url(portal.id)}\t{portal.host}\t{portal.name}", file=sys.stderr)
        print(f"serving {len(spec.portals)} portals for at most {args.seconds:.0f} s; Ctrl-C stops", file=sys.stderr)
        try:
            threading.Event().wait(args.seconds)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
