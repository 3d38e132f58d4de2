"""first schema

Revision ID: 0001
Revises: 
Create Date: 2026-12-01 18:10:46.480201
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('crawlrun',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('stats', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('document',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('media_type', sa.String(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('source_url', sa.String(), nullable=True),
    sa.Column('first_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sha256')
    )
    op.create_table('org',
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('aliases', sa.JSON(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('region_code', sa.String(), nullable=True),
    sa.Column('level', sa.String(), nullable=True),
    sa.Column('parent_id', sa.String(), nullable=True),
    sa.Column('homepage', sa.String(), nullable=False),
    sa.Column('report_list_url', sa.String(), nullable=True),
    sa.Column('deadline', sa.String(), nullable=True),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['org.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('org', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_org_parent_id'), ['parent_id'], unique=False)

    op.create_table('pagecache',
    sa.Column('url', sa.String(), nullable=False),
    sa.Column('etag', sa.String(), nullable=True),
    sa.Column('last_modified', sa.String(), nullable=True),
    sa.Column('sha256', sa.String(), nullable=True),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('url')
    )
    op.create_table('supervisor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=True),
    sa.Column('password_hash', sa.String(), nullable=True),
    sa.Column('is_admin', sa.Boolean(), nullable=False),
    sa.Column('send_all_clear', sa.Boolean(), nullable=False),
    sa.Column('immediate_alerts', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('supervisor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervisor_email'), ['email'], unique=True)

    op.create_table('crawltarget',
    sa.Column('org_id', sa.String(), nullable=False),
    sa.Column('list_url', sa.String(), nullable=True),
    sa.Column('needs_browser', sa.Boolean(), nullable=False),
    sa.Column('last_crawled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_success_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('consecutive_failures', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], ),
    sa.PrimaryKeyConstraint('org_id')
    )
    op.create_table('digest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supervisor_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(), nullable=False),
    sa.Column('subject', sa.String(), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('composed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['supervisor_id'], ['supervisor.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('supervisor_id', 'period', name='uq_digest_supervisor_period')
    )
    op.create_table('fetch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('org_id', sa.String(), nullable=True),
    sa.Column('url', sa.String(), nullable=False),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.Integer(), nullable=True),
    sa.Column('error', sa.String(), nullable=True),
    sa.Column('content_type', sa.String(), nullable=True),
    sa.Column('etag', sa.String(), nullable=True),
    sa.Column('last_modified', sa.String(), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('elapsed_ms', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], ),
    sa.ForeignKeyConstraint(['run_id'], ['crawlrun.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('fetch', schema=None) as batch_op:
        batch_op.create_index('ix_fetch_org_time', ['org_id', 'fetched_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_fetch_run_id'), ['run_id'], unique=False)

    op.create_table('report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.String(), nullable=True),
    sa.Column('claimed_org', sa.String(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('is_latest', sa.Boolean(), nullable=False),
    sa.Column('template', sa.String(), nullable=True),
    sa.Column('title', sa.String(), nullable=True),
    sa.Column('printed_on', sa.Date(), nullable=True),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('published_source', sa.String(), nullable=False),
    sa.Column('first_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('document_sha256', sa.String(), nullable=False),
    sa.Column('source_url', sa.String(), nullable=True),
    sa.Column('page_url', sa.String(), nullable=True),
    sa.Column('parser_version', sa.String(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('error_count', sa.Integer(), nullable=False),
    sa.Column('warning_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_sha256'], ['document.sha256'], ),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('org_id', 'year', 'version', name='uq_report_org_year_version')
    )
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_document_sha256'), ['document_sha256'], unique=False)
        batch_op.create_index('ix_report_year_latest', ['year', 'is_latest', 'org_id'], unique=False)

    op.create_table('statuschange',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.String(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('old_status', sa.String(), nullable=True),
    sa.Column('new_status', sa.String(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('statuschange', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statuschange_org_id'), ['org_id'], unique=False)
        batch_op.create_index('ix_statuschange_time', ['changed_at'], unique=False)

    op.create_table('supervisorscope',
    sa.Column('supervisor_id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], ),
    sa.ForeignKeyConstraint(['supervisor_id'], ['supervisor.id'], ),
    sa.PrimaryKeyConstraint('supervisor_id', 'org_id')
    )
    with op.batch_alter_table('supervisorscope', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervisorscope_org_id'), ['org_id'], unique=False)

    op.create_table('compliancestatus',
    sa.Column('org_id', sa.String(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], ),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], ),
    sa.PrimaryKeyConstraint('org_id', 'year')
    )
    with op.batch_alter_table('compliancestatus', schema=None) as batch_op:
        batch_op.create_index('ix_status_year_status', ['year', 'status'], unique=False)

    op.create_table('finding',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('rule', sa.String(), nullable=False),
    sa.Column('severity', sa.String(), nullable=False),
    sa.Column('message', sa.String(), nullable=False),
    sa.Column('cells', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finding_report_id'), ['report_id'], unique=False)
        batch_op.create_index('ix_finding_rule', ['rule'], unique=False)

    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('digest_id', sa.Integer(), nullable=True),
    sa.Column('to_addr', sa.String(), nullable=False),
    sa.Column('subject', sa.String(), nullable=False),
    sa.Column('message', sa.LargeBinary(), nullable=False),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.String(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['digest_id'], ['digest.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('digest_id')
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_pending', ['status', 'next_attempt_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_pending')

    op.drop_table('outbox')
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.drop_index('ix_finding_rule')
        batch_op.drop_index(batch_op.f('ix_finding_report_id'))

    op.drop_table('finding')
    with op.batch_alter_table('compliancestatus', schema=None) as batch_op:
        batch_op.drop_index('ix_status_year_status')

    op.drop_table('compliancestatus')
    with op.batch_alter_table('supervisorscope', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervisorscope_org_id'))

    op.drop_table('supervisorscope')
    with op.batch_alter_table('statuschange', schema=None) as batch_op:
        batch_op.drop_index('ix_statuschange_time')
        batch_op.drop_index(batch_op.f('ix_statuschange_org_id'))

    op.drop_table('statuschange')
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_index('ix_report_year_latest')
        batch_op.drop_index(batch_op.f('ix_report_document_sha256'))

    op.drop_table('report')
    with op.batch_alter_table('fetch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fetch_run_id'))
        batch_op.drop_index('ix_fetch_org_time')

    op.drop_table('fetch')
    op.drop_table('digest')
    op.drop_table('crawltarget')
    with op.batch_alter_table('supervisor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervisor_email'))

    op.drop_table('supervisor')
    op.drop_table('pagecache')
    with op.batch_alter_table('org', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_org_parent_id'))

    op.drop_table('org')
    op.drop_table('document')
    op.drop_table('crawlrun')
