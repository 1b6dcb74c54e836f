"""Loading and validating session plan files (TOML, checked by pydantic).

Every problem becomes one line that names the file and either the TOML line
(for syntax errors) or the field path, such as ``agenda[3].questions[0]``
(for schema errors), so an organiser can find it at once.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from dialoog.errors import PlanError
from dialoog.models import SeriesPlan, SessionPlan
from dialoog.paths import bundled_sessions_dir, user_plans_dir

_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")
_TOO_DEEP = "arrays or tables nested too deeply to be a plan; nothing read"


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


def _describe(error: dict) -> str:
    msg = error["msg"]
    if error["type"] == "extra_forbidden":
        msg = "unknown field"
    elif error["type"] == "missing":
        msg = "required field is missing"
    return msg.removeprefix("Value error, ")


def parse_plan(data: dict, source: str) -> SessionPlan | SeriesPlan:
    """Validate already-read TOML data; raise :class:`PlanError` naming ``source``."""
    kind = data.get("type", "session")
    model = SeriesPlan if kind == "series" else SessionPlan
    try:
        return model.model_validate(data)
    except RecursionError:
        raise PlanError([f"{source}: {_TOO_DEEP}"]) from None
    except ValidationError as exc:
        problems = [
            f"{source}: {field_path(err['loc'])}: {_describe(err)}"
            for err in exc.errors(include_url=False)
        ]
        raise PlanError(problems) from None


def load_plan(path: Path) -> SessionPlan | SeriesPlan:
    """Read and validate one plan file (a session or a series)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PlanError([f"{path}: cannot read: {exc.strerror or exc}"]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PlanError([f"{path}:{line}: not UTF-8 text"]) from None
    try:
        data = tomllib.loads(text)
    except RecursionError:
        # tomllib reads nested arrays and inline tables by recursion: thousands deep
        # exhaust the stack. No plan nests more than a few levels.
        raise PlanError([f"{path}: {_TOO_DEEP}"]) from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_POS.search(message)
        where = f"{path}:{match.group(1)}:{match.group(2)}" if match else str(path)
        reason = _TOML_POS.sub("", message).strip()
        raise PlanError([f"{where}: TOML syntax error: {reason}"]) from None
    return parse_plan(data, str(path))


def load_session_plan(path: Path) -> SessionPlan:
    """Read a plan file that must describe a session (not a series)."""
    plan = load_plan(path)
    if not isinstance(plan, SessionPlan):
        raise PlanError([f"{path}: this is a series, not a session plan"])
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
            raise PlanError([f"{path}: no such plan file"])
        return load_session_plan(path)
    for plan_file in discover_plans():
        plan = plan_file.plan
        if isinstance(plan, SessionPlan) and name_or_path in (plan.slug, plan_file.path.stem):
            return plan
    raise PlanError(
        [f"{name_or_path}: no plan file or bundled plan of that name (see: dialoog plans)"]
    )
