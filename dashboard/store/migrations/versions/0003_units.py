"""Units of both geographies (before and from 1 July 2025) and the commune crosswalk (models/units.py).

Revision ID: 0003_units
Revises: 0002_intake

Build-owned tables: build-db replaces them whole from data/geo/units_*.csv and crosswalk_2025_communes.csv.
Plain create_table/create_index: the same on SQLite and PostgreSQL.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0003_units"
down_revision: Union[str, Sequence[str], None] = "0002_intake"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "unit_current",
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("level", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("fullname", sa.String(), nullable=False),
        sa.Column("unit_type", sa.String(), nullable=False),
        sa.Column("parent_code", sa.String(), nullable=True),
        sa.Column("former_province_codes", sa.String(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("area_km2", sa.Float(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("geometry", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_index("ix_unit_current_parent", "unit_current", ["parent_code", "level"], unique=False)
    op.create_table(
        "unit_former",
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("level", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("fullname", sa.String(), nullable=False),
        sa.Column("unit_type", sa.String(), nullable=False),
        sa.Column("parent_code", sa.String(), nullable=True),
        sa.Column("province_code", sa.String(), nullable=False),
        sa.Column("current_province_code", sa.String(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_index("ix_unit_former_parent", "unit_former", ["parent_code", "level"], unique=False)
    op.create_index("ix_unit_former_current", "unit_former", ["current_province_code", "level"], unique=False)
    op.create_table(
        "unit_crosswalk",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("former_commune_code", sa.String(), nullable=True),
        sa.Column("former_district_code", sa.String(), nullable=False),
        sa.Column("former_province_code", sa.String(), nullable=False),
        sa.Column("current_commune_code", sa.String(), nullable=False),
        sa.Column("current_province_code", sa.String(), nullable=False),
        sa.Column("split", sa.Boolean(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("suspect", sa.Boolean(), nullable=False),
        sa.Column("distance_km", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_xw_former_commune", "unit_crosswalk", ["former_commune_code", "is_default"], unique=False)
    op.create_index("ix_xw_current_commune", "unit_crosswalk", ["current_commune_code", "former_district_code"],
                    unique=False)
    op.create_index("ix_xw_former_district", "unit_crosswalk", ["former_district_code", "current_commune_code"],
                    unique=False)
    op.create_index("ix_xw_provinces", "unit_crosswalk", ["current_province_code", "former_province_code"],
                    unique=False)


def downgrade() -> None:
    for name in ("ix_xw_provinces", "ix_xw_former_district", "ix_xw_current_commune", "ix_xw_former_commune"):
        op.drop_index(name, table_name="unit_crosswalk")
    op.drop_table("unit_crosswalk")
    op.drop_index("ix_unit_former_current", table_name="unit_former")
    op.drop_index("ix_unit_former_parent", table_name="unit_former")
    op.drop_table("unit_former")
    op.drop_index("ix_unit_current_parent", table_name="unit_current")
    op.drop_table("unit_current")
