"""Reading participant lists from CSV files as organisers get them.

Registration forms and Excel give either separate columns for given name,
tussenvoegsel and surname, or one name column that is split here (see
:mod:`.names`). Headers may be Dutch or English. Files may be UTF-8 with or
without a byte order mark, UTF-16 with a byte order mark (Excel's "Unicode
text"), or Windows-1252 (Excel's Dutch CSV export); the delimiter is ``,``,
``;`` (Dutch Excel) or a tab, read from the header line.

Every problem names the file, line and column. :func:`read_participants`
returns the good rows and the problems; the caller decides whether any
problem means nothing is imported. A column dialoog has no place for (a job
title, a diet) is not a problem: it is left out, with a warning naming it.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from dialoog.errors import DialoogError
from dialoog.i18n import _
from dialoog.models import Role
from dialoog.participants.names import NameParts, parse_name
from dialoog.participants.roles import known_roles, parse_role, split_roles
from dialoog.participants.sorting import fold
from dialoog.text import clean_line

#: Column kinds and the header spellings that name them (folded).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "given_name": (
        "voornaam", "voornamen", "roepnaam", "voorletters", "first name", "firstname",
        "given name", "forename", "first",
    ),
    "tussenvoegsel": (
        "tussenvoegsel", "tussenvoegsels", "voorvoegsel", "tussenv", "prefix", "name prefix",
        "infix", "particle",
    ),
    "surname": (
        "achternaam", "familienaam", "geslachtsnaam", "surname", "last name", "lastname",
        "family name",
    ),
    "name": ("naam", "volledige naam", "name", "full name", "fullname", "deelnemer"),
    "organisation": (
        "organisatie", "organisation", "organization", "bedrijf", "instelling", "werkgever",
        "company", "affiliation", "institution", "employer",
    ),
    "role": ("rol", "rollen", "role", "roles", "functie bij bijeenkomst"),
    "email": ("email", "e mail", "e mailadres", "emailadres", "mail", "email address"),
    "in_appendix": (
        "in bijlage", "bijlage", "vermelden in bijlage", "in appendix", "appendix", "publish",
        "deelnemerslijst", "in participant list",
    ),
}  # fmt: skip

#: Headers of a job title (folded): dialoog keeps no job titles, and says so.
JOB_TITLE_HEADERS = ("functie", "function", "job title", "jobtitle", "position", "titel")

_HEADER_LOOKUP = {alias: kind for kind, aliases in HEADER_ALIASES.items() for alias in aliases}
_YES = {"ja", "j", "yes", "y", "1", "x", "waar", "true", "akkoord"}
_NO = {"nee", "n", "no", "0", "onwaar", "false", "niet", "geen"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_MIXED_UTF8 = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")


class ParticipantFileError(DialoogError):
    """A participant file that cannot be read at all, or has bad rows; nothing imported."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Row:
    """One good row of a participant file, ready to be stored."""

    line: int
    name: NameParts
    organisation: str | None = None
    roles: tuple[Role, ...] = (Role.PARTICIPANT,)
    email: str | None = None
    in_appendix: bool = True


@dataclass
class ReadResult:
    """What a participant file holds: the good rows and one line per problem."""

    rows: list[Row] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    """One warning per column that is left out (unknown, or a job title)."""
    encoding: str = "utf-8"
    delimiter: str = ","


def _column_letter(index: int) -> str:
    """Spreadsheet column name of a 1-based index: 1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def where(file: str, line: int, column: int | None = None, header: str | None = None) -> str:
    """The place of a problem: "deelnemers.csv, line 4, column C 'achternaam'"."""
    if column is None:
        return _("{file}, line {line}").format(file=file, line=line)
    if header:
        return _("{file}, line {line}, column {letter} ({header!r})").format(
            file=file, line=line, letter=_column_letter(column), header=header
        )
    return _("{file}, line {line}, column {letter}").format(
        file=file, line=line, letter=_column_letter(column)
    )


def decode(data: bytes, file: str) -> tuple[str, str]:
    """The text of a participant file and the encoding it was read in.

    Raises:
        ParticipantFileError: a spreadsheet instead of CSV, or bytes that are
            neither UTF-8 nor Windows-1252 (the message names line and column).
    """
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ParticipantFileError(
            [_("{file}: an Excel workbook, not a CSV file; save it as CSV first").format(file=file)]
        )
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8"]
        # Windows-1252 only when the file has no valid UTF-8 sequences at all: a file
        # that mixes both would come out garbled either way.
        if not _MIXED_UTF8.search(data):
            candidates.append("cp1252")
    first_error: UnicodeDecodeError | None = None
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            first_error = first_error or exc
            continue
        if "\x00" in text:
            break
        return text.replace("\r\n", "\n").replace("\r", "\n"), encoding
    position = first_error.start if first_error is not None else data.find(b"\x00")
    before = data[:position]
    line = before.count(b"\n") + 1
    line_start = before.rfind(b"\n") + 1
    column = len(data[line_start:position].decode("utf-8", "replace")) + 1
    raise ParticipantFileError(
        [
            _(
                "{file}, line {line}, column {column}: unexpected encoding; "
                "save the file as CSV UTF-8 (or Windows-1252); nothing imported"
            ).format(file=file, line=line, column=column)
        ]
    )


def sniff_delimiter(header_line: str) -> str:
    """The delimiter of the header line: the most frequent of ``;``, ``,`` and tab."""
    counts = {d: 0 for d in (";", ",", "\t")}
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else "\x1f"  # one column: no delimiter at all


def _header_kind(header: str) -> str | None:
    key = fold(header)
    return _HEADER_LOOKUP.get(key) or _HEADER_LOOKUP.get(key.replace(" ", ""))


def _parse_flag(value: str) -> bool | None:
    folded = fold(value)
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    return None


def read_participants(path: Path | str, display: str | None = None) -> ReadResult:
    """Read a participant file into rows and problems (nothing is stored here).

    Problems of the file as a whole (unreadable, bad encoding, unknown or
    missing headers) raise :class:`ParticipantFileError`; problems of single
    rows are returned in :attr:`ReadResult.problems`.
    """
    file = display or str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ParticipantFileError([f"{file}: {exc.strerror or exc}"]) from None
    text, encoding = decode(data, file)
    header_line = next((ln for ln in text.split("\n") if ln.strip()), "")
    if not header_line:
        raise ParticipantFileError([_("{file}: empty file, no header line").format(file=file)])
    delimiter = sniff_delimiter(header_line)
    result = ReadResult(encoding=encoding, delimiter=delimiter)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    line_no = 0
    try:
        while True:
            start = reader.line_num + 1
            try:
                record = next(reader)
            except StopIteration:
                break
            line_no = start
            if any(cell.strip() for cell in record):
                records.append((start, record))
    except csv.Error as exc:
        raise ParticipantFileError(
            [
                _("{place}: not readable as CSV ({error}); nothing imported").format(
                    place=where(file, reader.line_num or line_no + 1), error=exc
                )
            ]
        ) from None
    if not records:  # only blanks and separators: "\x0b;" has a header line but no cell
        raise ParticipantFileError([_("{file}: empty file, no header line").format(file=file)])
    header_no, headers = records[0]
    columns = _map_headers(file, header_no, headers, records[1:], result.ignored)
    for line, record in records[1:]:
        row, problem = _read_row(file, line, record, headers, columns)
        if problem:
            result.problems.append(problem)
        elif row is not None:
            result.rows.append(row)
    return result


def _map_headers(
    file: str,
    line: int,
    headers: list[str],
    body: list[tuple[int, list[str]]],
    ignored: list[str],
) -> dict[str, int]:
    """Which column holds what; raises on repeated or missing headers.

    A column of unknown header is left out and named in ``ignored``.
    """
    columns: dict[str, int] = {}
    problems: list[str] = []
    for index, header in enumerate(headers):
        if not header.strip():
            if any(index < len(rec) and rec[index].strip() for _line, rec in body):
                problems.append(
                    _("{place}: a column with values but no header").format(
                        place=where(file, line, index + 1)
                    )
                )
            continue
        kind = _header_kind(header)
        place = where(file, line, index + 1, header.strip())
        if kind is None and fold(header).strip() in JOB_TITLE_HEADERS:
            ignored.append(
                _(
                    "{place}: column left out: dialoog keeps no job titles"
                    " (a rol/role column is kept)"
                ).format(place=place)
            )
        elif kind is None:
            ignored.append(
                _(
                    "{place}: unknown column, left out; known: voornaam/first name, "
                    "tussenvoegsel/prefix, achternaam/surname, naam/name, "
                    "organisatie/organisation, rol/role, email, in bijlage/in appendix"
                ).format(place=place)
            )
        elif kind in columns:
            problems.append(
                _("{place}: header repeated (also column {other})").format(
                    place=where(file, line, index + 1, header.strip()),
                    other=_column_letter(columns[kind] + 1),
                )
            )
        else:
            columns[kind] = index
    if not problems and "name" not in columns and "surname" not in columns:
        problems.append(
            _("{place}: no name column; add naam/name or achternaam/surname").format(
                place=where(file, line)
            )
        )
    if problems:
        problems[0] += _("; nothing imported")
        raise ParticipantFileError(problems)
    return columns


def _read_row(
    file: str, line: int, record: list[str], headers: list[str], columns: dict[str, int]
) -> tuple[Row | None, str | None]:
    if len(record) > len(headers):
        extra = len(headers) + 1
        return None, _(
            "{place}: {count} fields but the header has {headers}; "
            "a value with the delimiter in it needs quotes"
        ).format(place=where(file, line, extra), count=len(record), headers=len(headers))

    def cell(kind: str) -> str:
        index = columns.get(kind)
        if index is None or index >= len(record):
            return ""
        # One line, no control characters: what is stored and what problems quote.
        return clean_line(record[index])

    def place(kind: str) -> str:
        index = columns[kind]
        return where(file, line, index + 1, headers[index].strip())

    surname = cell("surname")
    if surname:
        name = NameParts(cell("given_name"), cell("tussenvoegsel"), surname)
    elif cell("name"):
        name = parse_name(cell("name"))
        if not name.surname:
            return None, _("{place}: no surname in this name").format(place=place("name"))
    else:
        kind = "name" if "name" in columns else "surname"
        return None, _("{place}: row without a name").format(place=place(kind))
    roles: list[Role] = []
    if cell("role"):
        for text in split_roles(cell("role")):
            role = parse_role(text)
            if role is None:
                return None, _("{place}: unknown role {role!r} (known: {known})").format(
                    place=place("role"), role=text, known=known_roles()
                )
            if role not in roles:
                roles.append(role)
    email = cell("email") or None
    if email and not _EMAIL.match(email):
        return None, _("{place}: not an e-mail address: {value!r}").format(
            place=place("email"), value=email
        )
    in_appendix = True
    if cell("in_appendix"):
        flag = _parse_flag(cell("in_appendix"))
        if flag is None:
            return None, _("{place}: expected ja/nee or yes/no, got {value!r}").format(
                place=place("in_appendix"), value=cell("in_appendix")
            )
        in_appendix = flag
    return (
        Row(
            line=line,
            name=name,
            organisation=cell("organisation") or None,
            roles=tuple(roles) or (Role.PARTICIPANT,),
            email=email,
            in_appendix=in_appendix,
        ),
        None,
    )
