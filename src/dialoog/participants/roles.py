"""Role names as organisers write them, in Dutch or English, mapped to :class:`Role`."""

from __future__ import annotations

from dialoog.i18n import N_, _
from dialoog.models import Role
from dialoog.participants.sorting import fold

#: Every spelling accepted for each role (folded: lower case, no diacritics).
ROLE_ALIASES: dict[Role, tuple[str, ...]] = {
    Role.PARTICIPANT: ("participant", "deelnemer", "genodigde", "gast", "guest"),
    Role.TABLE_CHAIR: (
        "table chair", "tafelvoorzitter", "gespreksleider", "tafelleider", "host",
        "table host", "facilitator",
    ),
    Role.CHAIR_OF_DAY: ("chair of the day", "chair of day", "dagvoorzitter", "voorzitter", "chair"),
    Role.SPEAKER: ("speaker", "spreker", "inleider", "keynote", "keynote speaker"),
    Role.PANEL_MEMBER: ("panel member", "panellid", "panel", "panelist", "panellist"),
    Role.PRESENTER: ("presenter", "presentator", "presentatie"),
    Role.SECRETARY: (
        "secretary", "secretaris", "secretariaat", "rapporteur", "notulist", "verslaglegger",
    ),
    Role.COMMITTEE_MEMBER: ("committee member", "commissielid", "lid commissie", "committee"),
}  # fmt: skip

ROLE_LABELS: dict[Role, str] = {
    Role.PARTICIPANT: N_("participant"),
    Role.TABLE_CHAIR: N_("table chair"),
    Role.CHAIR_OF_DAY: N_("chair of the day"),
    Role.SPEAKER: N_("speaker"),
    Role.PANEL_MEMBER: N_("panel member"),
    Role.PRESENTER: N_("presenter"),
    Role.SECRETARY: N_("secretary"),
    Role.COMMITTEE_MEMBER: N_("committee member"),
}

_LOOKUP: dict[str, Role] = {}
for _role, _names in ROLE_ALIASES.items():
    _LOOKUP[fold(_role.value.replace("_", " "))] = _role
    for _name in _names:
        _LOOKUP[fold(_name)] = _role


def parse_role(text: str) -> Role | None:
    """The role ``text`` names ("tafelvoorzitter", "table_chair", "Table chair"), or None."""
    return _LOOKUP.get(fold(text.replace("_", " ")))


def split_roles(cell: str) -> list[str]:
    """The separate role names in one cell: "tafelvoorzitter, commissielid" → two."""
    parts = cell.replace(";", ",").replace("/", ",").replace("+", ",").replace("|", ",")
    out: list[str] = []
    for part in parts.split(","):
        for piece in part.split(" en ") if " en " in part else part.split(" and "):
            if piece.strip():
                out.append(piece.strip())
    return out


def role_label(role: Role) -> str:
    """The display name of a role in the current language."""
    return _(ROLE_LABELS[role])


def known_roles() -> str:
    """A short list of the role names for error messages."""
    return ", ".join(r.value for r in Role)
