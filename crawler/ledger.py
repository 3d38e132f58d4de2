"""Per-portal bookkeeping during a crawl: requests in flight, first error, reports found, progress."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Ledger:
    total: int = 0
    in_flight: Counter[str] = field(default_factory=Counter)
    started: set[str] = field(default_factory=set)
    responded: set[str] = field(default_factory=set)  # portals this process got a response from
    done: set[str] = field(default_factory=set)
    errors: dict[str, str] = field(default_factory=dict)
    incomplete: set[str] = field(default_factory=set)  # a list or discovery page failed: crawl all next time
    error_count: int = 0
    reports: Counter[str] = field(default_factory=Counter)
    columns_found: set[str] = field(default_factory=set)

    def opened(self, org_id: str) -> None:
        """A request for the portal was scheduled."""
        self.started.add(org_id)
        self.done.discard(org_id)
        self.in_flight[org_id] += 1

    def settled(self, org_id: str) -> None:
        """A request for the portal finished (callback done, errback run, or dropped)."""
        self.in_flight[org_id] -= 1
        if self.in_flight[org_id] <= 0:
            del self.in_flight[org_id]
            self.done.add(org_id)

    def failed(self, org_id: str, message: str, *, structural: bool = True) -> None:
        """An error against the portal; structural ones (lists, discovery) leave the portal incomplete."""
        self.error_count += 1
        self.errors.setdefault(org_id, message)
        if structural:
            self.incomplete.add(org_id)

    def found_report(self, org_id: str) -> None:
        self.reports[org_id] += 1

    def progress_line(self) -> str:
        return (f"门户 {len(self.done)}/{self.total} 完成，发现报告 {sum(self.reports.values())} 份，"
                f"错误 {self.error_count} 个")
