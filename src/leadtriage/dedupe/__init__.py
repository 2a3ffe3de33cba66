"""Fuzzy deduplication and CRM matching (see deduplicate and crm)."""

from leadtriage.dedupe.config import DedupeConfig
from leadtriage.dedupe.crm import CrmStats, match_crm
from leadtriage.dedupe.deduplicate import DedupeStats, deduplicate

__all__ = ["CrmStats", "DedupeConfig", "DedupeStats", "deduplicate", "match_crm"]
