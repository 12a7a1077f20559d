"""Declarative base shared by the SQL implementations inside `tramites` (registry, folios)."""

from sqlalchemy.orm import DeclarativeBase

__all__ = ["TramitesBase"]


class TramitesBase(DeclarativeBase):
    """Base class for the tables that back the domain ports."""
