"""Intake tables: batches, their files, staged rows, superseded rows, Decision 4725 assessments, accounts.

Revision ID: 0002_intake
Revises: 0001_initial

Tables of models/intake.py. build-db never touches them (names intake_* and app_user).
Times are timezone-aware like the models' (TIMESTAMP WITH TIME ZONE on PostgreSQL; the SQLite DDL is the same
DATETIME either way, so stores created before this was spelled out need nothing).
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0002_intake"
down_revision: Union[str, Sequence[str], None] = "0001_initial"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "intake_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("file_name", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("province_code", sa.String(), nullable=False),
        sa.Column("school_years", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("uploaded_by", sa.String(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_by", sa.String(), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rolled_back_by", sa.String(), nullable=True),
        sa.Column("rolled_back_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rejected_by", sa.String(), nullable=True),
        sa.Column("rejected_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("n_rows", sa.Integer(), nullable=False),
        sa.Column("n_new", sa.Integer(), nullable=False),
        sa.Column("n_changed", sa.Integer(), nullable=False),
        sa.Column("n_unchanged", sa.Integer(), nullable=False),
        sa.Column("n_warnings", sa.Integer(), nullable=False),
        sa.Column("warnings_acknowledged", sa.Boolean(), nullable=False),
        sa.Column("warnings_json", sa.String(), nullable=False),
        sa.Column("document_name", sa.String(), nullable=True),
        sa.Column("note", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_intake_batch_province_code", "intake_batch", ["province_code"], unique=False)
    op.create_index("ix_intake_batch_status", "intake_batch", ["status"], unique=False)
    op.create_table(
        "intake_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_intake_file_batch_id", "intake_file", ["batch_id"], unique=False)
    op.create_table(
        "intake_stage_row",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("row_no", sa.Integer(), nullable=False),
        sa.Column("data", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_intake_stage_row_batch_id", "intake_stage_row", ["batch_id"], unique=False)
    op.create_table(
        "intake_superseded",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("owner_batch_id", sa.Integer(), nullable=True),
        sa.Column("data", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_intake_superseded_batch", "intake_superseded", ["batch_id", "table_name"], unique=False)
    op.create_table(
        "intake_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("school_code", sa.String(), nullable=False),
        sa.Column("school_year", sa.Integer(), nullable=False),
        sa.Column("province_code", sa.String(), nullable=False),
        sa.Column("district_code", sa.String(), nullable=True),
        sa.Column("score_teaching", sa.Float(), nullable=True),
        sa.Column("score_management", sa.Float(), nullable=True),
        sa.Column("declared_level", sa.Integer(), nullable=True),
        sa.Column("verified_level", sa.Integer(), nullable=True),
        sa.Column("computed_level", sa.Integer(), nullable=True),
        sa.Column("dx_level", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_intake_assessment_batch_id", "intake_assessment", ["batch_id"], unique=False)
    op.create_index("ix_intake_assessment_school", "intake_assessment", ["school_id", "school_year"], unique=False)
    op.create_index("ix_intake_assessment_province", "intake_assessment", ["province_code", "school_year"],
                    unique=False)
    op.create_table(
        "app_user",
        sa.Column("username", sa.String(), nullable=False),
        sa.Column("password_hash", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("username"),
    )


def downgrade() -> None:
    op.drop_table("app_user")
    for ix, table in (("ix_intake_assessment_province", "intake_assessment"),
                      ("ix_intake_assessment_school", "intake_assessment"),
                      ("ix_intake_assessment_batch_id", "intake_assessment")):
        op.drop_index(ix, table_name=table)
    op.drop_table("intake_assessment")
    op.drop_index("ix_intake_superseded_batch", table_name="intake_superseded")
    op.drop_table("intake_superseded")
    op.drop_index("ix_intake_stage_row_batch_id", table_name="intake_stage_row")
    op.drop_table("intake_stage_row")
    op.drop_index("ix_intake_file_batch_id", table_name="intake_file")
    op.drop_table("intake_file")
    op.drop_index("ix_intake_batch_status", table_name="intake_batch")
    op.drop_index("ix_intake_batch_province_code", table_name="intake_batch")
    op.drop_table("intake_batch")
