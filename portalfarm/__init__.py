"""Simulated government portals on loopback, for tests, the demo and benchmarks.

`FarmSpec.generate(seed, n_portals)` describes the portals; `Farm(spec).running()` serves them.
See portalfarm/README.md for styles, faults, addressing and the truth manifest.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Farm", "FarmSpec"]


def __getattr__(name: str) -> Any:
    # Lazy, so `import portalfarm.render` stays light.
    if name == "Farm":
        from portalfarm.farm import Farm

        return Farm
    if name == "FarmSpec":
        from portalfarm.spec import FarmSpec

        return FarmSpec
    raise AttributeError(name)
