"""A text input that holds nothing to read: only spaces, tabs, line breaks and a
byte order mark. Said like a file of no bytes (see `io.read`), since a table read
from it would be rows of nothing, or no rows at all, and no error."""

from __future__ import annotations

from typing import Final

from leadtriage.errors import InputError

EMPTY_HINT: Final = "export the list again; a header row is needed at least"
STDIN_EMPTY_HINT: Final = "pipe a file with a header row"


def is_blank(text: str) -> bool:
    return not text.replace("\ufeff", "").strip()


def blank_file(name: str) -> InputError:
    return InputError(f"{name}: the file is empty (only spaces and line breaks)", hint=EMPTY_HINT)


def blank_stdin() -> InputError:
    return InputError(
        "standard input is empty (only spaces and line breaks)", hint=STDIN_EMPTY_HINT
    )
