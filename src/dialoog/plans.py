"""Loading and validating session plan files (TOML, checked by pydantic).

Every problem becomes one line that names the file and either the TOML line
(for syntax errors) or the field path, such as ``agenda[3].questions[0]``
(for schema errors), so an organiser can find it at once. All problems of a
file come at once: the checks across items (unique keys and table numbers) run
on the TOML data too, so a broken round does not hide a duplicate key; a
misspelt field gets a "did you mean"; the messages are in the user's language.
"""

from __future__ import annotations

import difflib
import re
import tomllib
import types
import typing
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ValidationError

from dialoog.errors import PlanError
from dialoog.i18n import N_, _
from dialoog.models import SeriesPlan, SessionPlan
from dialoog.paths import bundled_sessions_dir, user_plans_dir

_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")
_TOO_DEEP = N_("arrays or tables nested too deeply to be a plan; nothing read")
#: The models' own messages (raised in English in :mod:`dialoog.models`), for the catalogue.
_MODEL_MESSAGES = (
    N_("a round (gespreksronde) needs one to three questions"),
    N_("table numbers must be unique"),
    N_("agenda item keys must be unique"),
)
#: Checked across items on the TOML data itself (see :func:`cross_problems`).
_CROSS_CHECKED = set(_MODEL_MESSAGES)


@dataclass(frozen=True)
class PlanFile:
    """A plan found on disk: where it lives and what it holds."""

    path: Path
    plan: SessionPlan | SeriesPlan
    bundled: bool


def field_path(loc: tuple[int | str, ...]) -> str:
    """Turn a pydantic error location into ``agenda[3].questions[0]``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def _model_at(model: type[BaseModel], loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The model that holds the field at ``loc`` (``agenda[3]`` -> ``AgendaItem``)."""
    current: object = model
    for part in loc:
        if isinstance(part, int):
            continue  # an index into a list: the list's model is already found
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part)
        if field is None:
            return None
        current = _inner_model(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: object) -> object:
    """The model inside ``list[X]``, ``X | None`` or ``Annotated[X, …]``, or the annotation."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        for arg in typing.get_args(annotation):
            inner = _inner_model(arg)
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
    return annotation


def _describe(error: dict, model: type[BaseModel]) -> str:
    msg = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        msg = _("unknown field")
        holder = _model_at(model, error["loc"][:-1])
        name = error["loc"][-1]
        if holder is not None and isinstance(name, str):
            close = difflib.get_close_matches(name, list(holder.model_fields), n=1, cutoff=0.6)
            if close:
                msg += "; " + _("did you mean `{name}`?").format(name=close[0])
    elif error["type"] == "missing":
        msg = _("required field is missing")
    else:
        msg = _(msg)  # dialoog's own messages are in the catalogue; pydantic's stay English
    return msg


def cross_problems(data: dict, source: str) -> list[str]:
    """Duplicate agenda keys and table numbers (named), and rounds without one to three
    questions, read from the TOML data itself.

    Pydantic checks these only once the fields around them are valid, so a
    misspelt field hid a four-question round, and a broken round a duplicate
    key, until it was fixed; here they are all found at once.
    """
    problems: list[str] = []
    agenda = data.get("agenda")
    items = [i if isinstance(i, dict) else {} for i in agenda] if isinstance(agenda, list) else []
    for n, item in enumerate(items):
        questions = item.get("questions", [])
        wrong = isinstance(questions, list) and not 1 <= len(questions) <= 3
        if item.get("kind") == "round" and wrong:
            problems.append(f"{source}: agenda[{n}]: " + _(_MODEL_MESSAGES[0]))
    keys = Counter(i["key"] for i in items if isinstance(i.get("key"), str))
    for key, count in keys.items():
        if count > 1:
            where = ", ".join(
                f"agenda[{n}].key" for n, i in enumerate(items) if i.get("key") == key
            )
            message = _("agenda item keys must be unique: {key!r} is used {n} times").format(
                key=key, n=count
            )
            problems.append(f"{source}: {where}: {message}")
    tables = data.get("tables")
    rows = [t for t in tables if isinstance(t, dict)] if isinstance(tables, list) else []
    numbers = Counter(t["number"] for t in rows if isinstance(t.get("number"), int))
    for number, count in numbers.items():
        if count > 1:
            message = _("table numbers must be unique: {number} is used {n} times").format(
                number=number, n=count
            )
            problems.append(f"{source}: tables: {message}")
    return problems


def parse_plan(data: dict, source: str) -> SessionPlan | SeriesPlan:
    """Validate already-read TOML data; raise :class:`PlanError` naming ``source``.

    Every problem is reported at once, each on its own line.
    """
    kind = data.get("type", "session")
    model = SeriesPlan if kind == "series" else SessionPlan
    cross = cross_problems(data, source) if model is SessionPlan else []
    try:
        plan = model.model_validate(data)
    except RecursionError:
        raise PlanError([f"{source}: {_(_TOO_DEEP)}"]) from None
    except ValidationError as exc:
        problems = [
            f"{source}: {field_path(err['loc'])}: {_describe(err, model)}"
            for err in exc.errors(include_url=False)
            if not (cross and err["msg"].removeprefix("Value error, ") in _CROSS_CHECKED)
        ]
        raise PlanError(problems + cross) from None
    if cross:  # pragma: no cover - the models refuse what cross_problems finds
        raise PlanError(cross)
    return plan


def load_plan(path: Path) -> SessionPlan | SeriesPlan:
    """Read and validate one plan file (a session or a series)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or exc
        raise PlanError([f"{path}: " + _("cannot read: {reason}").format(reason=reason)]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PlanError([f"{path}:{line}: " + _("not UTF-8 text")]) from None
    try:
        data = tomllib.loads(text)
    except RecursionError:
        # tomllib reads nested arrays and inline tables by recursion: thousands deep
        # exhaust the stack. No plan nests more than a few levels.
        raise PlanError([f"{path}: {_(_TOO_DEEP)}"]) from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_POS.search(message)
        where = f"{path}:{match.group(1)}:{match.group(2)}" if match else str(path)
        reason = _TOML_POS.sub("", message).strip()
        raise PlanError(
            [f"{where}: " + _("TOML syntax error: {reason}").format(reason=reason)]
        ) from None
    return parse_plan(data, str(path))


def load_session_plan(path: Path) -> SessionPlan:
    """Read a plan file that must describe a session (not a series)."""
    plan = load_plan(path)
    if not isinstance(plan, SessionPlan):
        raise PlanError([f"{path}: " + _("this is a series, not a session plan")])
    return plan


def discover_plans() -> list[PlanFile]:
    """Every valid plan in the bundled folder and the user's plan folder.

    Broken files in the user's folder are skipped here; ``dialoog plan validate``
    names their problems.
    """
    found: list[PlanFile] = []
    for folder, bundled in ((bundled_sessions_dir(), True), (user_plans_dir(), False)):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                found.append(PlanFile(path, load_plan(path), bundled))
            except PlanError:
                continue
    return found


def find_plan(name_or_path: str) -> SessionPlan:
    """A session plan by file path, file stem or slug (``skills``, ``2015-02-19-skills``)."""
    path = Path(name_or_path)
    if path.suffix == ".toml" or path.exists():
        if not path.exists():
            raise PlanError([f"{path}: " + _("no such plan file")])
        return load_session_plan(path)
    for plan_file in discover_plans():
        plan = plan_file.plan
        if isinstance(plan, SessionPlan) and name_or_path in (plan.slug, plan_file.path.stem):
            return plan
    raise PlanError(
        [f"{name_or_path}: " + _("no plan file or bundled plan of that name (see: dialoog plans)")]
    )
