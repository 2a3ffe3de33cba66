"""An output folder replaced as one set: the previous complete set or the new one,
never a mix (DESIGN 5 and 9).

The new set is built in a staging folder beside the output folder
(``.leadtriage-<name>.new.<random>``), then the two folders are swapped whole:

- Linux: ``renameat2(RENAME_EXCHANGE)``, one atomic step; the old set, now in the
  staging folder's place, is removed afterwards.
- Elsewhere (or a file system without the exchange): two renames, the old folder
  aside to ``.leadtriage-<name>.old.<random>``, then the new one into place. A kill
  between them leaves no output folder and the old set beside it; the next run (or
  ``review apply``) puts it back before doing anything.

Files in the output folder that the tool did not write (a person's notes, an
edited copy of the workbook, an input) are hard-linked into the new set before the
swap, so they stay; a folder the tool did not write makes the run refuse, since it
cannot be carried over atomically. Outputs are never written through: a symlink
named like an output is dropped with the old set, never followed. Staging folders
of killed runs are removed by the next run; a live run's staging folder is locked
(``flock``) so a concurrent run leaves it alone.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from leadtriage.errors import OutputError

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; stale folders are still removed
    fcntl = None  # type: ignore[assignment]

STAGING_PREFIX: Final = ".leadtriage-"
# With --format xlsx review.xlsx is the sheet a person edits, so the review rows as
# the run wrote them are kept beside it (exact CSV, as review.csv is) for `review
# apply` to tell an edit from the run's own value. Hidden: it is not for people.
REVIEW_COPY: Final = ".review-as-written.csv"
# Every name a run writes: the three tables in any format, the workbook, the summary,
# the copy of the review rows.
_OWNED: Final = re.compile(
    r"(accepted|review|rejected)\.(csv|xlsx|parquet)|summary\.json|" + re.escape(REVIEW_COPY)
)
_NEW: Final = "new"
_OLD: Final = "old"
_RENAME_EXCHANGE: Final = 2
_AT_FDCWD: Final = -100
# errno values saying the exchange is not available here: fall back to two renames.
_NO_EXCHANGE: Final = frozenset({errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EPERM})


def is_owned(name: str) -> bool:
    """Whether `name` in an output folder is a file the tool writes (or stages)."""
    return bool(_OWNED.fullmatch(name)) or name.startswith(STAGING_PREFIX)


@contextlib.contextmanager
def replacing_set(out_dir: Path) -> Iterator[Path]:
    """Yield an empty staging folder; when the block ends without error, its files
    (plus the output folder's foreign files) become the output folder in one swap.
    On error the output folder is untouched and the staging folder removed."""
    out_dir = _real_out_dir(out_dir)
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create output folder {out_dir}: {exc.strerror}",
            hint="choose another folder with --out-dir",
        ) from None
    recover_output_set(out_dir)
    foreign = _foreign_files(out_dir)
    try:
        stage = Path(tempfile.mkdtemp(prefix=f"{_prefix(out_dir)}{_NEW}.", dir=out_dir.parent))
    except OSError as exc:
        raise _failed(out_dir, exc) from None
    lock = _lock(stage)
    try:
        try:
            yield stage
            _copy_mode(out_dir, stage)
            for name in foreign:
                _carry_over(out_dir / name, stage / name)
            if out_dir.exists():
                _swap(stage, out_dir)
            else:
                os.rename(stage, out_dir)
        except OSError as exc:
            raise _failed(out_dir, exc) from None
    finally:
        # After a swap `stage` holds the old set; after a failure, the unfinished one.
        _remove(stage)
        if lock is not None:
            os.close(lock)


def check_output_folder(out_dir: Path) -> None:
    """Refuse, before any work, an output folder a set cannot replace."""
    _foreign_files(_real_out_dir(out_dir))


def recover_output_set(out_dir: Path) -> None:
    """Finish or undo what killed runs left beside `out_dir`: put an old set moved
    aside back when the output folder is missing, remove every unlocked staging
    folder (and those older versions left inside the output folder)."""
    parent = out_dir.parent if out_dir.parent.is_dir() else None
    if parent is None:
        return
    prefix = _prefix(out_dir)
    leftovers = sorted(p for p in parent.iterdir() if p.name.startswith(prefix))
    if not out_dir.exists():
        aside = [p for p in leftovers if p.name.startswith(f"{prefix}{_OLD}.")]
        if aside:
            with contextlib.suppress(OSError):
                os.rename(aside[0], out_dir)
    if out_dir.is_dir() and not out_dir.is_symlink():
        leftovers += [p for p in out_dir.iterdir() if p.name.startswith(STAGING_PREFIX)]
    for path in leftovers:
        if path.is_dir() and not path.is_symlink():
            lock = _lock(path)
            if lock is None and fcntl is not None:
                continue  # a live run is staging there
            _remove(path)
            if lock is not None:
                os.close(lock)


def _real_out_dir(out_dir: Path) -> Path:
    """The folder to swap: a symlinked output folder is swapped at its target (the
    link stays); the current folder never is, since swapping it away would leave the
    shell in a deleted folder."""
    real = out_dir.resolve() if out_dir.is_symlink() else Path(os.path.abspath(out_dir))
    if Path.cwd().resolve().is_relative_to(real.resolve()):
        raise OutputError(
            f"{out_dir} is the current folder (or holds it); leadtriage replaces its "
            "output folder as a whole",
            hint="run leadtriage from outside that folder (cd ..), or give the outputs "
            "a folder of their own with --out-dir",
        )
    if real.exists() and not real.is_dir():
        raise OutputError(f"{out_dir} is not a folder", hint="choose another folder with --out-dir")
    # The nearest folder that exists is where the output folder would be made.
    for above in real.parents:
        if above.exists():
            if not above.is_dir():
                raise OutputError(
                    f"{out_dir}: {above} is a file, not a folder",
                    hint="choose another folder with --out-dir",
                )
            break
    return real


def _foreign_files(out_dir: Path) -> list[str]:
    """Names of the files in `out_dir` the tool did not write; refuses folders (and
    anything but regular files and symlinks) that it cannot carry over."""
    if not out_dir.is_dir():
        return []
    foreign: list[str] = []
    for entry in sorted(os.scandir(out_dir), key=lambda e: e.name):
        if entry.name.startswith(STAGING_PREFIX):
            continue
        mode = entry.stat(follow_symlinks=False).st_mode
        if stat.S_ISLNK(mode) and is_owned(entry.name):
            continue  # never followed: dropped with the old set
        if stat.S_ISREG(mode) or stat.S_ISLNK(mode):
            if not is_owned(entry.name):
                foreign.append(entry.name)
            continue
        raise OutputError(
            f"{out_dir / entry.name}: a folder (or device) in the output folder, "
            "which leadtriage replaces as a whole",
            hint="move it out of the output folder, or choose another --out-dir",
        )
    return foreign


def _carry_over(source: Path, target: Path) -> None:
    """A foreign file into the new set: a hard link (same bytes, nothing copied),
    a copy where the file system has no hard links, a symlink as a symlink."""
    if source.is_symlink():
        os.symlink(os.readlink(source), target)
        return
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError as exc:
        if exc.errno not in {errno.EPERM, errno.EOPNOTSUPP, errno.EMLINK, errno.EXDEV}:
            raise
        shutil.copy2(source, target, follow_symlinks=False)


def _swap(stage: Path, out_dir: Path) -> None:
    try:
        _exchange(stage, out_dir)
        return
    except OSError as exc:
        if exc.errno not in _NO_EXCHANGE:
            raise
    aside = Path(tempfile.mkdtemp(prefix=f"{_prefix(out_dir)}{_OLD}.", dir=out_dir.parent))
    os.rmdir(aside)  # only the name is wanted; rename cannot replace a folder elsewhere
    os.rename(out_dir, aside)
    try:
        os.rename(stage, out_dir)
    except OSError:
        os.rename(aside, out_dir)
        raise
    # The new set is in place; the old one goes with the staging folder, or with the
    # next run's clean-up should this rename fail.
    with contextlib.suppress(OSError):
        os.rename(aside, stage)


def _exchange(first: Path, second: Path) -> None:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE)."""
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        raise OSError(errno.ENOSYS, "renameat2 is not available")
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(second))


def _copy_mode(out_dir: Path, stage: Path) -> None:
    """The new folder gets the old one's permissions (mkdtemp makes it private)."""
    if out_dir.is_dir():
        mode = stat.S_IMODE(out_dir.stat().st_mode)
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o777 & ~umask
    os.chmod(stage, mode)


def _lock(folder: Path) -> int | None:
    """An exclusive lock on `folder` held while the descriptor is open; None when
    another process holds it (or there are no locks here)."""
    if fcntl is None:
        return None
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def _prefix(out_dir: Path) -> str:
    return f"{STAGING_PREFIX}{out_dir.name}."


def _reason(exc: OSError) -> str:
    """The system's words for it; a writer library's OSError may carry no errno (a
    full disk said only "OSError"), its message then says what happened."""
    if exc.strerror:
        return exc.strerror
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return message[:200] or type(exc).__name__


def _failed(out_dir: Path, exc: OSError) -> OutputError:
    where = f" ({exc.filename})" if exc.filename else ""
    return OutputError(
        f"cannot write outputs in {out_dir}: {_reason(exc)}{where}; "
        "the previous outputs are unchanged",
        hint="check free space and the permissions of the output folder and of the "
        "folder holding it (the new set is built beside the output folder)",
    )
