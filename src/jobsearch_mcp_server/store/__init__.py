"""Persistence: one SQLite database in the data directory."""

from .db import Application, Store, StoreError

__all__ = ["Application", "Store", "StoreError"]
