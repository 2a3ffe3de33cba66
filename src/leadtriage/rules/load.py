"""Rules files -> a `RuleSet`: validate, read named files, merge with the built-ins.

A file given with --rules extends the built-in rules unless ``[settings] defaults =
false``. Its settings override the built-in ones key by key; a rule named like a
built-in replaces that rule in place. The final rule order is the documented
precedence: suppression, reject, review, accept, then tags; within each, built-in
rules first, then the file's in file order, then the score's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from leadtriage.errors import ConfigError
from leadtriage.rules.coverage import FieldUse
from leadtriage.rules.defaults import DEFAULTS_SOURCE, default_rules_text
from leadtriage.rules.lists import NamedList
from leadtriage.rules.problems import problem_count
from leadtriage.rules.routing import Action, Rule
from leadtriage.rules.schema import Document, parse_document
from leadtriage.rules.score import Score, score_rules
from leadtriage.rules.suppress import SUPPRESSION_RULE, Suppression

_ACTION_ORDER = (Action.REJECT, Action.REVIEW, Action.ACCEPT, Action.TAG)


@dataclass(frozen=True)
class Settings:
    default_region: str | None = None
    date_order: str | None = None
    undecided: Action = Action.ACCEPT
    defaults: bool = True


@dataclass(frozen=True)
class RuleSet:
    settings: Settings
    columns: dict[str, str] = field(default_factory=dict)
    lists: dict[str, NamedList] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    score: Score | None = None
    suppress: Suppression = field(default_factory=Suppression)
    dedupe: dict[str, object] = field(default_factory=dict)
    output: dict[str, object] = field(default_factory=dict)
    source: Path | None = None
    field_uses: tuple[FieldUse, ...] = ()


def load_rules(path: Path | None) -> RuleSet:
    """The rules of `path` (None: the built-in rules); ConfigError lists every problem."""
    if path is None:
        return _build(_defaults_document(), None)
    document, problems = _read(path)
    if problems:
        raise ConfigError(
            f"{path}: {problem_count(problems)} in the rules file"
            if len(problems) > 1
            else problems[0],
            problems=problems,
            hint=f"fix the lines named, then check with `leadtriage rules check {path}`",
        )
    if document.settings.get("defaults", True):
        document = _merge(_defaults_document(), document)
    return _build(document, path)


def rule_messages(rules: RuleSet) -> dict[str, str]:
    """Each rule's reason slug -> its message, for the rules that have one: what the
    summary says a ``rule.<name>`` reason means."""
    return {rule.name: rule.message for rule in rules.rules if rule.message}


def applied_rules(rules: RuleSet) -> dict[str, object]:
    """What the summary says about the rules that ran: the file, whether the built-in
    rules were on, and every rule's reason slug -> action, in the order they apply.
    Taken from the rules as run, so a built-in switched off is never listed."""
    return {
        "file": str(rules.source) if rules.source is not None else None,
        "defaults": rules.settings.defaults,
        "applied": {rule.name: rule.action.value for rule in rules.rules},
    }


def check_rules(path: Path) -> list[str]:
    """Every problem of the rules file at `path`; empty when it is usable. ConfigError
    when `path` is no readable file."""
    return _read(path)[1]


def _read(path: Path) -> tuple[Document, list[str]]:
    """The document and its problems; a path that is no readable file raises at once,
    since there are no lines to name."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: no such rules file",
            hint=f"check the path, or write a starter file with `leadtriage rules init {path}`",
        ) from None
    except IsADirectoryError:
        raise ConfigError(
            f"{path}: is a folder, not a rules file", hint="give the path of a .toml rules file"
        ) from None
    except UnicodeDecodeError:
        raise ConfigError(
            f"{path}: the rules file is not UTF-8 text", hint="save it as UTF-8 and try again"
        ) from None
    except OSError as error:
        raise ConfigError(
            f"{path}: cannot read the rules file ({error.strerror or type(error).__name__})",
            hint="check the file's permissions",
        ) from None
    return parse_document(text, str(path), path.parent)


@cache
def _defaults_document() -> Document:
    document, problems = parse_document(default_rules_text(), DEFAULTS_SOURCE, None)
    if problems:
        raise AssertionError("the built-in rules are broken: " + "; ".join(problems))
    return document


def _merge(defaults: Document, own: Document) -> Document:
    own_rules = {rule.name: rule for rule in own.rules}
    replaced = [own_rules.pop(rule.name, rule) for rule in defaults.rules]
    return Document(
        settings={**defaults.settings, **own.settings},
        columns={**defaults.columns, **own.columns},
        lists={**defaults.lists, **own.lists},
        rules=replaced + list(own_rules.values()),
        score=own.score or defaults.score,
        suppress=own.suppress if own.suppress else defaults.suppress,
        dedupe={**defaults.dedupe, **own.dedupe},
        output={**defaults.output, **own.output},
        # Only the file's own: a built-in rule on a column the input lacks (consent.no on
        # a badge scan) is no mistake of the user's.
        field_uses=own.field_uses,
    )


def _build(document: Document, source: Path | None) -> RuleSet:
    given = document.settings
    region, order, undecided = (given.get(k) for k in ("default_region", "date_order", "undecided"))
    settings = Settings(
        default_region=region if isinstance(region, str) else None,
        date_order=order if isinstance(order, str) else None,
        undecided=undecided if isinstance(undecided, Action) else Action.ACCEPT,
        defaults=given.get("defaults", True) is not False,
    )
    rules = list(document.rules) + (score_rules(document.score) if document.score else [])
    ordered = sorted(rules, key=lambda rule: _ACTION_ORDER.index(rule.action))
    ordered.insert(0, SUPPRESSION_RULE)
    return RuleSet(
        settings=settings,
        columns=dict(document.columns),
        lists=dict(document.lists),
        rules=ordered,
        score=document.score,
        suppress=document.suppress,
        dedupe=dict(document.dedupe),
        output=dict(document.output),
        source=source,
        # The built-in rules alone (no file) test nothing a user wrote.
        field_uses=tuple(document.field_uses) if source is not None else (),
    )
