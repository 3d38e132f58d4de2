"""report versions, parse history, finding and fetch indexes

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 18:11:03.373136
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('reportparse',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('parser_version', sa.String(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('error_count', sa.Integer(), nullable=False),
    sa.Column('warning_count', sa.Integer(), nullable=False),
    sa.Column('parsed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('replaced_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('reportparse', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reportparse_report_id'), ['report_id'], unique=False)

    with op.batch_alter_table('fetch', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sha256', sa.String(), nullable=True))

    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_finding_rule'))
        batch_op.create_index('ix_finding_rule_report', ['rule', 'report_id'], unique=False)

    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('content_hash', sa.String(), nullable=True))
        batch_op.add_column(sa.Column('parsed_at', sa.DateTime(timezone=True), nullable=True))

    # Existing rows: last seen when first seen, parsed when created.
    op.execute("UPDATE report SET last_seen_at = first_seen_at, parsed_at = created_at")
    # Only the highest version per org and year stays latest, so the unique index can be built.
    op.execute(
        "UPDATE report SET is_latest = (version = (SELECT MAX(r2.version) FROM report r2 "
        "WHERE r2.org_id = report.org_id AND r2.year = report.year)) WHERE org_id IS NOT NULL AND year IS NOT NULL"
    )
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.alter_column('last_seen_at', existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.alter_column('parsed_at', existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.create_index('uq_report_latest', ['org_id', 'year'], unique=True, sqlite_where=sa.text('is_latest'), postgresql_where=sa.text('is_latest'))


def downgrade() -> None:
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_index('uq_report_latest', sqlite_where=sa.text('is_latest'), postgresql_where=sa.text('is_latest'))
        batch_op.drop_column('parsed_at')
        batch_op.drop_column('content_hash')
        batch_op.drop_column('last_seen_at')

    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.drop_index('ix_finding_rule_report')
        batch_op.create_index(batch_op.f('ix_finding_rule'), ['rule'], unique=False)

    with op.batch_alter_table('fetch', schema=None) as batch_op:
        batch_op.drop_column('sha256')

    with op.batch_alter_table('reportparse', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reportparse_report_id'))

    op.drop_table('reportparse')
