"""Targets set by a province from 1 July 2025 (issue 12).

Revision ID: 0005_target_current_scope
Revises: 0004_national_indexes

`target.scope_code` points at admin_unit (former provinces and 'VN'); GSO codes are reused across the two
geographies (92 is the former and the current Cần Thơ, 82 the former Tiền Giang and the current Đồng Tháp), so a
current province's target cannot share that column. New column `scope_current_code` (FK unit_current.code) with
its index; `scope_code` becomes nullable; a check keeps exactly one of the two set. Batch mode: SQLite rebuilds
the table (the views that read it are dropped and recreated around migrations by dashboard.store.schema);
PostgreSQL alters it in place.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0005_target_current_scope"
down_revision: Union[str, Sequence[str], None] = "0004_national_indexes"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("target") as batch:
        batch.add_column(sa.Column("scope_current_code", sa.String(), nullable=True))
        batch.alter_column("scope_code", existing_type=sa.String(), nullable=True)
        batch.create_foreign_key("fk_target_scope_current_code", "unit_current", ["scope_current_code"], ["code"])
        batch.create_check_constraint("ck_target_one_scope", "(scope_code IS NULL) <> (scope_current_code IS NULL)")
    op.create_index("ix_target_current_scope", "target", ["scope_current_code", "indicator_code", "year"])


def downgrade() -> None:
    op.drop_index("ix_target_current_scope", table_name="target")
    op.execute("DELETE FROM target WHERE scope_code IS NULL")  # current provinces' targets have no former scope
    with op.batch_alter_table("target") as batch:
        batch.drop_constraint("ck_target_one_scope", type_="check")
        batch.drop_constraint("fk_target_scope_current_code", type_="foreignkey")
        batch.alter_column("scope_code", existing_type=sa.String(), nullable=False)
        batch.drop_column("scope_current_code")
