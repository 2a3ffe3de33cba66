"""How much an input may hold, checked before anything is allocated for it.

One knob, `--max-input-size`, bounds the bytes an input may hold or expand to: a
file, standard input, the members of a zip, the parts of a workbook, a Parquet
file's data as the metadata states it. A single value or line may hold a 64th of
that (16 MiB by default): no contact field is that long, and a field that is
would make every later stage slow. A zip member that expands over 200 times its
size is refused whatever its size (real CSVs compress 5 to 20 times), and JSON
nested deeper than 100 levels is not a contact list.

A refusal names the file, what was too big and the limit, and says how to raise it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Final

from leadtriage.errors import InputError, UsageError

KIB: Final = 1024
MIB: Final = 1024 * KIB
GIB: Final = 1024 * MIB
DEFAULT_MAX_INPUT_SIZE: Final = GIB
DEFAULT_MAX_INPUT_SIZE_TEXT: Final = "1GB"
# A value or line may hold this share of the input size limit.
VALUE_SHARE: Final = 64
MAX_EXPANSION_RATIO: Final = 200
MAX_JSON_DEPTH: Final = 100
# What a text cell costs in memory once read (Polars' string view), beside its text.
BYTES_PER_CELL: Final = 16
OPTION: Final = "--max-input-size"

_UNITS: Final[dict[str, int]] = {
    "": 1,
    "b": 1,
    "k": KIB,
    "kb": KIB,
    "kib": KIB,
    "m": MIB,
    "mb": MIB,
    "mib": MIB,
    "g": GIB,
    "gb": GIB,
    "gib": GIB,
    "t": 1024 * GIB,
    "tb": 1024 * GIB,
    "tib": 1024 * GIB,
}
_SIZE: Final = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$", re.IGNORECASE)


# Bytes of the input limit per cell a sheet may span (see Limits.max_sheet_cells).
SHEET_CELL_SHARE: Final = 8


@dataclass(frozen=True)
class Limits:
    """The bounds one run reads its inputs within."""

    max_input_size: int = DEFAULT_MAX_INPUT_SIZE

    @property
    def max_value_size(self) -> int:
        return max(self.max_input_size // VALUE_SHARE, 1)

    @property
    def max_sheet_cells(self) -> int:
        """The cells a workbook's sheet may span: the reader holds them densely, at
        about 32 bytes a cell (1 GB of input: 134 million cells, 4 GB)."""
        return max(self.max_input_size // SHEET_CELL_SHARE, 1)

    def check_size(self, name: str, what: str, size: int) -> None:
        """Refuse `size` bytes of `what` (a file, a member, a part) over the input limit."""
        if size > self.max_input_size:
            raise too_big(name, what, size, self.max_input_size, scale=1)

    def check_value(self, name: str, what: str, size: int) -> None:
        """Refuse one value or line of `size` bytes over the value limit."""
        if size > self.max_value_size:
            raise too_big(name, what, size, self.max_value_size, scale=VALUE_SHARE)

    def check_expansion(self, name: str, member: str, size: int, compressed: int) -> None:
        """Refuse an archive member that expands suspiciously far (a zip bomb). Small
        members pass: a tiny file of one repeated character is no threat."""
        ratio = size / max(compressed, 1)
        if ratio > MAX_EXPANSION_RATIO and size > self.max_value_size:
            raise InputError(
                f"{name}: {member} expands {ratio:,.0f} times ({format_size(compressed)} to "
                f"{format_size(size)}), over the limit of {MAX_EXPANSION_RATIO} times "
                "for an archive member",
                hint="if the archive is genuine, unzip it yourself and name the files inside",
            )


DEFAULT_LIMITS: Final = Limits()


def too_big(name: str, what: str, size: int, limit: int, *, scale: int) -> InputError:
    """The refusal of `what` in `name`: how big, the limit, and how to raise it
    (`scale`: the input limit is this many times the limit broken)."""
    wanted = format_size(_round_up(size * scale)).replace(" ", "")
    return InputError(
        f"{name}: {what} is {format_size(size)}, over the limit of {format_size(limit)}",
        hint=f"if the input is genuine, raise the limit, e.g. {OPTION} {wanted}",
    )


def parse_size(text: str) -> int:
    """Bytes from a size as people write it: ``500MB``, ``2GB``, ``1.5GiB``, ``4096``
    (binary units throughout: 1 KB = 1024 bytes)."""
    match = _SIZE.match(text)
    unit = match.group(2).lower() if match else ""
    if match is None or unit not in _UNITS:
        raise UsageError(
            f"{OPTION}: not a size: {text!r}", hint="write it as e.g. 500MB, 2GB or 4096"
        )
    size = int(float(match.group(1)) * _UNITS[unit])
    if size <= 0:
        raise UsageError(f"{OPTION}: the size must be above zero", hint="e.g. 2GB")
    return size


def format_size(size: int) -> str:
    """A size for a person: ``3.0 GiB``, ``512 KiB``, ``17 bytes``."""
    for unit, factor in (("TiB", 1024 * GIB), ("GiB", GIB), ("MiB", MIB), ("KiB", KIB)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}".replace(".0 ", " ")
    return f"{size} bytes"


def _round_up(size: int) -> int:
    """A round size at least as big: the next power of two."""
    return 1 << max(math.ceil(math.log2(max(size, 1))), 10)
