"""The line of every key path in a TOML text, which tomllib does not report.

A small scanner, run only on text tomllib has already accepted: it tracks
``[table]`` and ``[[array]]`` headers, dotted keys, inline tables and arrays
(which may span lines), and skips strings and comments. Paths use 0-based
indices for array elements, as the parsed document does.
"""

from __future__ import annotations

from leadtriage.rules.problems import KeyPath

_BARE_KEY_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_SCALAR_END = frozenset(",]}\n#")


def line_too_deep(text: str, limit: int) -> int | None:
    """The line where arrays and inline tables first nest more than `limit` deep, or None.

    Iterative, so it can vet a text before the recursive readers (tomllib, the scanner
    below) see it: nesting a few hundred deep would exhaust Python's stack in them.
    """
    depth, line, pos, size = 0, 1, 0, len(text)
    while pos < size:
        char = text[pos]
        if char == "\n":
            line += 1
        elif char == "#":
            end = text.find("\n", pos)
            pos = size if end < 0 else end
            continue
        elif char in "\"'":
            delimiter = char * 3 if text.startswith(char * 3, pos) else char
            end = pos + len(delimiter)
            while end < size and not text.startswith(delimiter, end):
                end += 2 if (char == '"' and text[end] == "\\") else 1
            line += text.count("\n", pos, end)
            pos = end + len(delimiter)
            continue
        elif char in "[{":
            depth += 1
            if depth > limit:
                return line
        elif char in "]}":
            depth -= 1
        pos += 1
    return None


def key_lines(text: str) -> dict[KeyPath, int]:
    """Map each key path (and array element) to the line where it first appears."""
    scanner = _Scanner(text)
    scanner.document()
    return scanner.lines


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.lines: dict[KeyPath, int] = {}
        self.array_tables: dict[KeyPath, int] = {}

    # --- characters -------------------------------------------------------------

    def peek(self, ahead: int = 0) -> str:
        index = self.pos + ahead
        return self.text[index] if index < len(self.text) else ""

    def advance(self, count: int = 1) -> None:
        for _ in range(count):
            if self.pos < len(self.text):
                if self.text[self.pos] == "\n":
                    self.line += 1
                self.pos += 1

    def skip_blank(self, *, newlines: bool) -> None:
        """Skip spaces and comments, and newlines when `newlines`."""
        while self.pos < len(self.text):
            char = self.peek()
            if char in " \t\r" or (newlines and char == "\n"):
                self.advance()
            elif char == "#":
                while self.pos < len(self.text) and self.peek() != "\n":
                    self.advance()
            else:
                return

    def mark(self, path: KeyPath) -> None:
        self.lines.setdefault(path, self.line)

    # --- structure ---------------------------------------------------------------

    def document(self) -> None:
        prefix: KeyPath = ()
        while True:
            self.skip_blank(newlines=True)
            if self.pos >= len(self.text):
                return
            if self.peek() == "[":
                prefix = self.header()
            else:
                self.key_value(prefix)

    def header(self) -> KeyPath:
        is_array = self.peek(1) == "["
        self.advance(2 if is_array else 1)
        parts = self.key()
        self.advance(2 if is_array else 1)
        resolved: list[str | int] = []
        for index, part in enumerate(parts):
            resolved.append(part)
            here = tuple(resolved)
            if is_array and index == len(parts) - 1:
                count = self.array_tables.get(here, 0)
                self.array_tables[here] = count + 1
                self.mark(here)
                resolved.append(count)
            elif here in self.array_tables:
                resolved.append(self.array_tables[here] - 1)
            self.mark(tuple(resolved))
        return tuple(resolved)

    def key_value(self, prefix: KeyPath) -> None:
        path = self.dotted_key(prefix)
        self.skip_blank(newlines=False)
        self.advance()  # '='
        self.skip_blank(newlines=False)
        self.value(path)

    def dotted_key(self, prefix: KeyPath) -> KeyPath:
        path = prefix
        for part in self.key():
            path = (*path, part)
            self.mark(path)
        return path

    def key(self) -> list[str]:
        parts: list[str] = []
        while True:
            self.skip_blank(newlines=False)
            char = self.peek()
            if char in "\"'":
                parts.append(self.string())
            else:
                start = self.pos
                while self.peek() and self.peek() in _BARE_KEY_CHARS:
                    self.advance()
                parts.append(self.text[start : self.pos])
            self.skip_blank(newlines=False)
            if self.peek() != ".":
                return parts
            self.advance()

    # --- values --------------------------------------------------------------------

    def value(self, path: KeyPath) -> None:
        self.mark(path)
        char = self.peek()
        if char in "\"'":
            self.string()
        elif char == "[":
            self.array(path)
        elif char == "{":
            self.inline_table(path)
        else:
            while self.peek() and self.peek() not in _SCALAR_END:
                self.advance()

    def array(self, path: KeyPath) -> None:
        self.advance()
        index = 0
        while True:
            self.skip_blank(newlines=True)
            if self.peek() in ("]", ""):
                self.advance()
                return
            self.value((*path, index))
            index += 1
            self.skip_blank(newlines=True)
            if self.peek() == ",":
                self.advance()

    def inline_table(self, path: KeyPath) -> None:
        self.advance()
        while True:
            self.skip_blank(newlines=True)
            if self.peek() in ("}", ""):
                self.advance()
                return
            self.key_value(path)
            self.skip_blank(newlines=True)
            if self.peek() == ",":
                self.advance()

    def string(self) -> str:
        """Skip a string of any of the four kinds; return its raw inner text."""
        quote = self.peek()
        triple = self.peek(1) == quote and self.peek(2) == quote
        delimiter = quote * 3 if triple else quote
        self.advance(len(delimiter))
        start = self.pos
        while self.pos < len(self.text):
            if quote == '"' and self.peek() == "\\":
                self.advance(2)
            elif self.text.startswith(delimiter, self.pos):
                end = self.pos
                self.advance(len(delimiter))
                # A multi-line string may end with up to two quotes before its delimiter.
                while triple and self.peek() == quote:
                    end += 1
                    self.advance()
                return self.text[start:end]
            else:
                self.advance()
        return self.text[start:]
