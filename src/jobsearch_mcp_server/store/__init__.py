"""Persistence: one SQLite database in the data directory."""

from .db import Application, Store, StoreError
from .migrations import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "Application", "Store", "StoreError"]
