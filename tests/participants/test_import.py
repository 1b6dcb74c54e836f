"""Importing participant CSV files: encodings, delimiters, headers, bad rows, re-imports."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from dialoog.cli import main
from dialoog.models import Role
from dialoog.participants import service
from dialoog.participants.csv_import import ParticipantFileError, read_participants
from dialoog.storage import Store

#: Surname groups in the order a Dutch secretary types them; within a group
#: (same surname), people go by given name, then tussenvoegsel.
GROUPS = [
    ["Adema"], ["Akkerman"], ["d'Ancona"], ["Ångström"], ["Bakker", "de Bakker"],
    ["van den Berg"], ["ten Berge"], ["Bergh", "van den Bergh", "van der Bergh"], ["Bok"],
    ["Boonstra"], ["Borghans"], ["Çelik"], ["van Dijk"], ["Dijkstra"], ["García"],
    ["de Graaf"], ["'s Gravesande"], ["de Groot"], ["'t Hart"], ["van den Heuvel"],
    ["van 't Hoek"], ["IJzerman"], ["Jansen"], ["Jansen-van der Berg"], ["Janssen"],
    ["El Khatib"], ["van ’t Klooster"], ["Könemann"], ["Kroeger"], ["Mulder"], ["Müller"],
    ["O'Brien"], ["van den Oever"], ["Øvergaard"], ["van der Ploeg"], ["La Rosa"],
    ["de Ruijter"], ["Smit"], ["de Sousa"], ["te Velde"], ["de Vries"], ["van der Weg"],
    ["Wouters"], ["Wouters-Megens"], ["Woutersen"], ["Zeilstra"], ["de Zwaan"],
]  # fmt: skip
GIVEN = ["Anne", "Bart", "Els"]


def secretary_order() -> list[str]:
    """The 150 appendix lines in the expected order."""
    names = [f"{g} {rest}" for group in GROUPS for g in GIVEN for rest in group]
    return [f"{name} (Organisatie {i % 37})" for i, name in enumerate(names)]


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_150_people_in_random_order_list_in_dutch_secretary_order(
    store: Store, session, tmp_path: Path
) -> None:
    expected = secretary_order()
    assert len(expected) == 150
    rows = [line.rsplit(" (", 1) for line in expected]
    random.Random(5).shuffle(rows)
    text = "Naam;Organisatie\r\n" + "".join(f'{n};"{o[:-1]}"\r\n' for n, o in rows)
    path = write(tmp_path / "deelnemers.csv", text, "cp1252")  # Excel's Dutch CSV
    report = service.import_file(store, session.id, path)
    assert (report.added, report.encoding, report.delimiter) == (150, "cp1252", ";")
    listed = [p.line for p in service.list_people(store, session.id)]
    assert listed == expected


def test_separate_columns_english_headers_comma(store: Store, session, tmp_path: Path) -> None:
    path = write(
        tmp_path / "reg.csv",
        "First name,Prefix,Surname,Organisation,Role,E-mail\n"
        "Ria,van ’t,Klooster,MBO Raad,table chair,ria@example.org\n"
        'Jan,,"Van den Bergh","SER, Den Haag","speaker, panel member",\n',
    )
    service.import_file(store, session.id, path)
    ria, jan = service.list_people(store, session.id)
    assert (jan.given_name, jan.tussenvoegsel, jan.surname) == ("Jan", "", "Van den Bergh")
    assert jan.organisation == "SER, Den Haag"
    assert jan.roles == (Role.SPEAKER, Role.PANEL_MEMBER)
    assert (ria.tussenvoegsel, ria.roles, ria.email) == (
        "van ’t",
        (Role.TABLE_CHAIR,),
        "ria@example.org",
    )


def test_semicolon_with_utf8_bom_and_dutch_headers(store: Store, session, tmp_path: Path) -> None:
    text = (
        "Voornaam;Tussenvoegsel;Achternaam;Organisatie;Rol\n"
        "Henriëtte;ten;Berge;Universiteit Utrecht;tafelvoorzitter; commissielid\n"
    )
    # a role cell with a ';' would need quotes; here the ';' makes an extra field
    path = write(tmp_path / "bom.csv", "\ufeff" + text)
    with pytest.raises(ParticipantFileError, match=r"bom\.csv, line 2, column F"):
        service.import_file(store, session.id, path)
    text = text.replace("tafelvoorzitter; commissielid", '"tafelvoorzitter; commissielid"')
    write(path, "\ufeff" + text)
    report = service.import_file(store, session.id, path)
    assert report.encoding == "utf-8-sig" and report.delimiter == ";"
    (p,) = service.list_people(store, session.id)
    assert (p.given_name, p.tussenvoegsel, p.surname) == ("Henriëtte", "ten", "Berge")
    assert p.roles == (Role.TABLE_CHAIR, Role.COMMITTEE_MEMBER)


def test_windows_1252_file(tmp_path: Path) -> None:
    path = write(
        tmp_path / "excel.csv", "naam;organisatie\nVéronique Könemann;Ködé ‘B’\n", "cp1252"
    )
    result = read_participants(path)
    assert result.encoding == "cp1252"
    assert result.rows[0].name.surname == "Könemann"
    assert result.rows[0].organisation == "Ködé ‘B’"


def test_utf16_tab_separated(tmp_path: Path) -> None:
    path = write(
        tmp_path / "unicode.txt", "\ufeffnaam\torganisatie\nZeynep Çelik\tGGD\n", "utf-16-le"
    )
    result = read_participants(path)
    assert result.delimiter == "\t"
    assert result.rows[0].name.surname == "Çelik"


def test_single_name_column_with_surname_first_commas(tmp_path: Path) -> None:
    path = write(tmp_path / "one.csv", 'naam\n"Bergh, Jan van den"\nGerard Adema\n')
    rows = read_participants(path).rows
    assert [(r.name.tussenvoegsel, r.name.surname) for r in rows] == [
        ("van den", "Bergh"),
        ("", "Adema"),
    ]


@pytest.mark.parametrize(
    ("content", "place", "what"),
    [
        # an unknown header is no longer a bad file: see test_unknown_columns_are_left_out
        ("naam;;org\nJan Smit;x;SER\n", "line 1, column B", "a column with values but no header"),
        (
            "naam;organisatie\nJan Smit;SER\n;MBO Raad\n",
            "line 3, column A ('naam')",
            "without a name",
        ),
        (
            "voornaam,achternaam\nJan,Smit\nPiet,\n",
            "line 3, column B ('achternaam')",
            "without a name",
        ),
        ("naam,organisatie\nJan Smit,SER,extra\n", "line 2, column C", "3 fields"),
        ("naam;rol\nJan Smit;koffiejuffrouw\n", "line 2, column B ('rol')", "unknown role"),
        ("naam;email\nJan Smit;jan-at-ser.nl\n", "line 2, column B ('email')", "e-mail"),
        ("organisatie\nSER\n", "line 1", "no name column"),
        ("naam;naam\nJan;Piet\n", "line 1, column B ('naam')", "repeated"),
        ('naam\n"Jan Smit\n', "line 2", "not readable as CSV"),
    ],
)
def test_bad_input_names_file_line_column_and_imports_nothing(
    store: Store, session, tmp_path: Path, content: str, place: str, what: str
) -> None:
    path = write(tmp_path / "bad.csv", "naam\nAnna Good\n")
    service.import_file(store, session.id, path)  # one person already there
    write(path, content)
    with pytest.raises(ParticipantFileError) as info:
        service.import_file(store, session.id, path)
    message = str(info.value)
    assert f"{path}, {place}" in message
    assert what in message
    assert "nothing imported" in message
    assert [p.full_name for p in service.list_people(store, session.id)] == ["Anna Good"]


@pytest.mark.parametrize(
    ("data", "line", "column"),
    [
        ("naam\nJosé Smit\nRenée de Wit\n".encode() + "Zoë;Vos\n".encode("cp1252"), 4, 3),
        ("naam\nJan\n".encode("utf-16-le"), 1, 2),
        (b"naam\nJan \x81Smit\n", 2, 5),
    ],
)
def test_unexpected_encoding_names_line_and_column(
    tmp_path: Path, data: bytes, line: int, column: int
) -> None:
    path = tmp_path / "enc.csv"
    path.write_bytes(data)
    with pytest.raises(ParticipantFileError, match="unexpected encoding") as info:
        read_participants(path)
    assert f"enc.csv, line {line}, column {column}:" in str(info.value)


def test_excel_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deelnemers.xlsx"
    path.write_bytes(b"PK\x03\x04rest of a zip")
    with pytest.raises(ParticipantFileError, match="Excel workbook"):
        read_participants(path)


def test_skip_bad_imports_good_rows_and_lists_bad(store: Store, session, tmp_path: Path) -> None:
    path = write(
        tmp_path / "mixed.csv",
        "naam;rol\nJan Smit;deelnemer\n;deelnemer\nPiet Bos;clown\nEls de Wit;\n",
    )
    report = service.import_file(store, session.id, path, skip_bad=True)
    assert report.added == 2
    assert [s.split(":")[0] for s in report.skipped] == [
        f"{path}, line 3, column A ('naam')",
        f"{path}, line 4, column B ('rol')",
    ]
    assert [p.surname for p in service.list_people(store, session.id)] == ["Smit", "Wit"]


def test_importing_twice_adds_nobody_twice_and_corrections_stick(
    store: Store, session, tmp_path: Path
) -> None:
    path = write(
        tmp_path / "p.csv",
        "naam,organisatie,email\nJan Willem van Tuin,SER,\nAnne Bakker,UU,a@uu.nl\n"
        "Anne Bakker,UU,a@uu.nl\n",
    )
    first = service.import_file(store, session.id, path)
    assert (first.added, first.present) == (2, 1)
    jan = service.find_person(store, session.id, "tuin")
    service.correct_name(
        store, session.id, jan.id, given_name="Jan", tussenvoegsel="", surname="Willem van Tuin"
    )
    again = service.import_file(store, session.id, path)
    assert (again.added, again.present) == (0, 3)
    people = service.list_people(store, session.id)
    assert len(people) == 2
    corrected = service.get_person(store, session.id, jan.id)
    assert (corrected.given_name, corrected.surname, corrected.name_locked) == (
        "Jan",
        "Willem van Tuin",
        True,
    )


def test_cli_import_and_list(db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    def run(*args: str) -> int:
        try:
            main(["--db", str(db_path), *args])
        except SystemExit as exc:
            return int(exc.code or 0)
        return 0

    assert run("new", "--plan", "skills") == 0
    path = write(
        tmp_path / "p.csv", "naam;organisatie\nJan van den Bergh;SER\nZoë Adema;CEW\n", "cp1252"
    )
    assert run("participants", "import", "2015-02-19-skills", str(path)) == 0
    capsys.readouterr()
    assert run("participants", "list", "2015-02-19-skills") == 0
    assert capsys.readouterr().out.splitlines() == ["Zoë Adema (CEW)", "Jan van den Bergh (SER)"]
    assert run("participants", "list", "2015-02-19-skills", "--belgian", "--joined") == 0
    assert capsys.readouterr().out.strip() == "Zoë Adema (CEW) – Jan van den Bergh (SER)"
    bad = write(tmp_path / "bad.csv", "naam;wat\nA B;c\nC D;e;f\n")
    assert run("participants", "import", "2015-02-19-skills", str(bad)) == 2
    err = capsys.readouterr().err
    # the unknown column is no error (tests/participants/test_columns_and_order.py); a
    # row with more fields than the header is
    assert f"{bad}, line 3, column C" in err
    assert "Traceback" not in err


def test_terminal_escapes_in_cells_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "escapes.csv"
    path.write_text(
        "voornaam,achternaam,organisatie\n"
        "Ria\x1b[2J,van Dijk\x1b]0;pwned\x07,SER\x9b31m\x0bDen Haag\n",
        encoding="utf-8",
    )
    result = read_participants(path)
    assert not result.problems
    (row,) = result.rows
    assert (row.name.given_name, row.name.tussenvoegsel, row.name.surname) == (
        "Ria[2J",
        "",
        "van Dijk]0;pwned",
    )
    assert row.organisation == "SER31m Den Haag"


@pytest.mark.parametrize("data", [b"\x0b;", b" ;\n;;\n", b"\x0c,\t\n"])
def test_a_file_of_separators_and_blanks_is_an_empty_file(tmp_path: Path, data: bytes) -> None:
    """Found by the hostile lab: a header line with no cell in it gave an IndexError."""
    path = tmp_path / "leeg.csv"
    path.write_bytes(data)
    with pytest.raises(ParticipantFileError, match=r"leeg\.csv: empty file"):
        read_participants(path)
