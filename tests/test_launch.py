"""The command's process settings (launch.py): made before Polars loads, never over a
setting the environment already has."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from leadtriage.launch import ALLOCATOR_SETTINGS, GIVE_BACK_FREED_PAGES, configure_process

# Runs the command's entry point and records the allocator setting at the moment
# Polars is first imported (jemalloc reads it when the library loads).
_WATCH_POLARS_IMPORT = textwrap.dedent(
    """
    import importlib.abc, os, sys
    seen = []
    class Watch(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name == "polars" and not seen:
                seen.append(os.environ.get("{setting}"))
            return None
    sys.meta_path.insert(0, Watch())
    sys.argv = ["leadtriage", "--version"]
    from leadtriage.launch import main
    try:
        main()
    except SystemExit:
        pass
    print("SEEN", seen)
    """
).format(setting=ALLOCATOR_SETTINGS)


def _seen_at_polars_import(environment: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-c", _WATCH_POLARS_IMPORT],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.splitlines()[-1]


def test_the_command_sets_the_allocator_before_polars_loads() -> None:
    environment = {k: v for k, v in os.environ.items() if k != ALLOCATOR_SETTINGS}
    assert _seen_at_polars_import(environment) == f"SEEN [{GIVE_BACK_FREED_PAGES!r}]"


def test_a_setting_in_the_environment_wins() -> None:
    environment = {**os.environ, ALLOCATOR_SETTINGS: "dirty_decay_ms:5000"}
    assert _seen_at_polars_import(environment) == "SEEN ['dirty_decay_ms:5000']"


def test_configure_process_leaves_a_given_setting_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ALLOCATOR_SETTINGS, raising=False)
    configure_process()
    assert os.environ[ALLOCATOR_SETTINGS] == GIVE_BACK_FREED_PAGES
    monkeypatch.setenv(ALLOCATOR_SETTINGS, "muzzy_decay_ms:0")
    configure_process()
    assert os.environ[ALLOCATOR_SETTINGS] == "muzzy_decay_ms:0"


# Runs the command's entry point and sends the process a signal the moment the CLI
# module starts to import: the window before any command's error handling exists,
# which a cron job's timeout or a Ctrl-C right after Enter lands in.
_SIGNAL_WHILE_IMPORTING = textwrap.dedent(
    """
    import importlib.abc, os, signal, sys
    class Signal(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name == "leadtriage.cli":
                sys.meta_path.remove(self)
                os.kill(os.getpid(), signal.{signal})
            return None
    sys.meta_path.insert(0, Signal())
    sys.argv = ["leadtriage", "--version"]
    from leadtriage.launch import main
    main()
    """
)


@pytest.mark.parametrize(
    ("signal_name", "status", "said"),
    [("SIGTERM", 143, "leadtriage: terminated"), ("SIGINT", 130, "leadtriage: interrupted")],
)
def test_a_signal_while_starting_up_ends_in_one_line_and_its_status(
    signal_name: str, status: int, said: str
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _SIGNAL_WHILE_IMPORTING.format(signal=signal_name)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == status, done.stderr
    assert done.stderr.strip() == said
    assert done.stdout == ""


# The command's entry point with a stand-in for the CLI module: SIGTERM arrives inside
# a library that turns the handler's exception into its own BaseException, as Polars'
# Rust code panics when a Python callback it calls raises.
_TERMINATED_IN_A_PANIC = textwrap.dedent(
    """
    import os, signal, sys, types
    from leadtriage.errors import Terminated
    from leadtriage.launch import main

    class PanicException(BaseException):
        pass

    def cli_main():
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            signal.sigwait  # the handler runs here, at the next bytecode
        except Terminated as error:
            raise PanicException("called `Result::unwrap()` on an `Err` value") from error

    class Cli(types.ModuleType):
        def __getattr__(self, name):
            return cli_main

    sys.modules["leadtriage.cli"] = Cli("leadtriage.cli")
    main()
    """
)


def test_sigterm_turned_into_a_librarys_panic_is_a_one_line_terminated() -> None:
    """A cron job stopped inside Polars got Polars' panic as a traceback and exit 1."""
    done = subprocess.run(
        [sys.executable, "-c", _TERMINATED_IN_A_PANIC], check=False, capture_output=True, text=True
    )
    assert done.returncode == 143, done.stderr
    assert done.stderr == "leadtriage: terminated\n"
    assert done.stdout == ""


def test_an_exception_without_a_signal_is_not_called_a_stop() -> None:
    """Only a signal makes a library's BaseException a stop: a real failure stays one."""
    script = _TERMINATED_IN_A_PANIC.replace(
        "os.kill(os.getpid(), signal.SIGTERM)", "raise Terminated"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], check=False, capture_output=True, text=True
    )
    assert done.returncode == 1
    assert "PanicException" in done.stderr
