"""The store's lifecycle: schema migrations (Alembic), state checks, backup and restore."""
from __future__ import annotations

from ..db import StoreError
from .schema import (StoreState, head_revision, inspect_store, is_intake_table, require_current, upgrade,
                     upgrade_connection)

__all__ = ["StoreError", "StoreState", "head_revision", "inspect_store", "is_intake_table", "require_current",
           "upgrade", "upgrade_connection"]
