"""The three decisions a row can get, and the order the outputs list them in.

Routing (rules -> decision) lives in `leadtriage.rules.routing`; this module is only
the vocabulary the readers and writers of the outputs share.
"""

from __future__ import annotations

from enum import StrEnum


class Decision(StrEnum):
    ACCEPTED = "accepted"
    REVIEW = "review"
    REJECTED = "rejected"


DECISIONS: tuple[Decision, ...] = (Decision.ACCEPTED, Decision.REVIEW, Decision.REJECTED)
