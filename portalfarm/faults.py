"""Injected faults: which portal misbehaves how, on which path. The server applies them (see `serve`)."""

from __future__ import annotations

import random
from datetime import date

from portalfarm.paths import PathMaker
from portalfarm.spec import FAULT_KINDS, Fault, Noise, Portal, Report

HANG_SECONDS = 20.0  # a hung response is held at most this long (or until the farm stops)
SLOW_SECONDS = 1.0
OVERSIZED_BYTES = 60 * 1024 * 1024  # above the extractor's 50 MB limit


def kind_for(index: int) -> str:
    """Portal 1 gets the first fault kind, portal 2 the second, and so on (portal 0 is clean)."""
    return FAULT_KINDS[(index - 1) % len(FAULT_KINDS)]


def _main_org(portal: Portal) -> str:
    return portal.org_ids[0]


def _pick_report(portal: Portal, rng: random.Random, *, attachment: bool = False) -> Report | None:
    pool = [r for r in portal.reports if r.attachment_path] if attachment else list(portal.reports)
    return rng.choice(pool) if pool else None


def _carrier(portal: Portal, paths: PathMaker, kind: str, title: str, column: str) -> Noise:
    """A list entry that exists only to lead the crawler to a faulty path."""
    on = date(2024, 2, 1 + len(portal.noise) % 27)
    noise = Noise(f"n-{kind}-{portal.id}", _main_org(portal), title, kind, column, on,
                  paths.detail(portal.column(column), on))
    portal.noise.insert(0, noise)
    return noise


def inject(portal: Portal, kind: str, rng: random.Random, paths: PathMaker) -> Fault:
    """Add one fault of `kind` to `portal` (creating carrier list entries where needed)."""
    fault = _build(portal, kind, rng, paths)
    portal.faults.append(fault)
    if kind == "redirect_loop" and fault.target:
        portal.faults.append(Fault("redirect_loop", fault.target, target=fault.path, note=fault.note))
    return fault


def _build(portal: Portal, kind: str, rng: random.Random, paths: PathMaker) -> Fault:
    name = portal.name
    report = _pick_report(portal, rng, attachment=kind in ("wrong_type", "truncated")) or _pick_report(portal, rng)
    if kind == "not_found":
        dead = _carrier(portal, paths, "dead_link", f"{name}2020年政府信息公开工作年度报告", "ndbg")
        return Fault("not_found", dead.detail_path, note="list links a deleted page")
    if kind == "hang":
        held = _carrier(portal, paths, "hang", f"{name}2023年度政务公开工作要点", "ghjh")
        return Fault("hang", held.detail_path, seconds=HANG_SECONDS, note="response never starts")
    if kind == "redirect_loop":
        loop = _carrier(portal, paths, "loop", f"{name}政府信息公开指南", "ndbg")
        stem, ext = loop.detail_path.rsplit(".", 1)
        return Fault("redirect_loop", loop.detail_path, target=f"{stem}_1.{ext}", note="two paths redirect to each other")
    if kind == "oversized":
        big = _carrier(portal, paths, "oversized", f"{name}2023年度部门决算公开表", "czzj")
        big.attachment_path = paths.attachment(portal.column("czzj"), big.published_on, "pdf")
        return Fault("oversized", big.attachment_path, size=OVERSIZED_BYTES, note="attachment over 50 MB")
    if kind == "slow":
        return Fault("slow", portal.column("ndbg").path, seconds=SLOW_SECONDS, note="report list answers late")
    if kind == "robots":
        prefix = portal.column("ghjh").path.rsplit("/", 1)[0] + "/"
        if report is not None:
            prefix = report.detail_path.rsplit("/", 1)[0] + "/"
        return Fault("robots", "/robots.txt", target=prefix, note="robots.txt disallows this prefix")
    if report is None:
        raise ValueError(f"portal {portal.id} has no report to attach a {kind} fault to")
    return _report_fault(portal, kind, report)


def _report_fault(portal: Portal, kind: str, report: Report) -> Fault:
    path = report.attachment_path or report.detail_path
    if kind == "server_error":
        return Fault("server_error", report.detail_path, times=2, note="first two requests fail with 500")
    if kind == "redirect":
        old = report.detail_path.rsplit("/", 1)[0] + "/old_" + report.detail_path.rsplit("/", 1)[1]
        report.listed_path = old
        return Fault("redirect", old, target=report.detail_path, note="list links an old address (301)")
    if kind == "wrong_type":
        claimed = "text/html; charset=utf-8" if report.attachment_path else "application/octet-stream"
        return Fault("wrong_type", path, content_type=claimed, note="Content-Type does not match the bytes")
    if kind == "truncated":
        return Fault("truncated", path, note="connection closes half-way through the body")
    raise ValueError(f"unknown fault kind {kind}")
