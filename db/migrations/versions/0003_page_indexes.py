"""indexes for the status pages: org name, statuses per year and org, latest reports by date

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_org_name", "org", ["name"], unique=False)
    op.create_index("ix_status_year_org", "compliancestatus", ["year", "org_id", "status"], unique=False)
    op.create_index("ix_report_year_latest_published", "report", ["year", "is_latest", "published_on"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_report_year_latest_published", table_name="report")
    op.drop_index("ix_status_year_org", table_name="compliancestatus")
    op.drop_index("ix_org_name", table_name="org")
