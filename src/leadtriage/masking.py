"""Contact data shown to a person but not whole: sample values, headers that are
really data, a cell quoted in an error. Enough is kept to find the value again.
"""

from __future__ import annotations

import re
from typing import Final

# No comma or semicolon in it: "jane@acme.com,Bob" (a next row read into the cell) is
# masked word by word, never shown with "Bob" as the address's last label.
_EMAIL_SHAPE: Final = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
_PHONE_SHAPE: Final = re.compile(r"^[+(]?\d[\d\s().-]{6,}$")
_WORD: Final = re.compile(r"\w[\w'’.-]*")


def mask_email(value: str) -> str:
    """``jane.doe@acme.example`` -> ``j***@a***.example``."""
    local, at, domain = value.strip().rpartition("@")
    if not at:
        return mask_name(value)
    masked_local = f"{local[:1]}***"
    labels = domain.split(".")
    # Only a top-level domain as domains are written is shown (lower-case letters):
    # anything else may be more data.
    last = labels[-1]
    tld = last if len(labels) > 1 and last.isalpha() and last.islower() else ""
    masked_domain = f"{domain[:1]}***" + (f".{tld}" if tld else "")
    return f"{masked_local}@{masked_domain}"


def mask_phone(value: str) -> str:
    """Every digit but the last two becomes ``•``: ``+1 415 555 0132`` ->
    ``+• ••• ••• ••32``."""
    digits = [i for i, ch in enumerate(value) if ch.isdigit()]
    hidden = set(digits[:-2])
    return "".join("•" if i in hidden else ch for i, ch in enumerate(value))


def mask_name(value: str) -> str:
    """Each word's first letter and ``***``: ``Jörg Müller`` -> ``J*** M***``."""
    return _WORD.sub(lambda m: f"{m.group(0)[0]}***", value)


def mask_shaped(value: str) -> str | None:
    """`value` masked when it is shaped like an email or a phone number, else None."""
    if _EMAIL_SHAPE.match(value.strip()):
        return mask_email(value)
    if _PHONE_SHAPE.match(value.strip()):
        return mask_phone(value)
    return None


def mask_value(value: str) -> str:
    """Any cell: as an email or a phone when shaped like one, else word by word."""
    return mask_shaped(value) or mask_name(value)
