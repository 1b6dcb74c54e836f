"""``dialoog participants``: import, list the appendix, edit, roles, seating, forget.

The root command's context object (:class:`dialoog.cli.support.Context`) opens
the store; this module reaches it through click's context
(:func:`dialoog.cli.support.root_store`).
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import click

from dialoog.cli.support import human_errors, root_context, root_store
from dialoog.errors import DialoogError
from dialoog.i18n import _, count_text, ngettext
from dialoog.models import Role
from dialoog.participants import service
from dialoog.participants.names import NameParts, split_name
from dialoog.participants.roles import parse_role, role_label, split_roles
from dialoog.participants.sorting import Convention
from dialoog.text import terminal_safe


def _echo(message: str, *, err: bool = False) -> None:
    """Print a line that holds names, organisations or titles: no control character acts."""
    click.echo(terminal_safe(message), err=err)


def _roles(values: tuple[str, ...]) -> list[Role]:
    roles: list[Role] = []
    for value in values:
        for text in split_roles(value):
            role = parse_role(text)
            if role is None:
                raise click.BadParameter(
                    _("unknown role {role!r} (known: {known})").format(
                        role=text, known=", ".join(r.value for r in Role)
                    )
                )
            roles.append(role)
    return roles


def _items(store, session, text: str | None) -> list[int]:
    if not text:
        return service.round_items(session)
    return [store.resolve_item(session, ref) for ref in text.split(",") if ref.strip()]


def _describe(p: service.Person) -> str:
    roles = ", ".join(role_label(r) for r in p.roles)
    flags = []
    if not p.in_appendix:
        flags.append(_("not in appendix"))
    if p.name_locked:
        flags.append(_("split corrected"))
    extra = f"  [{'; '.join(flags)}]" if flags else ""
    split = f"{p.given_name} | {p.tussenvoegsel} | {p.surname}"
    return f"{p.id:5}  {split:44}  {p.organisation or '':30}  {roles}{extra}"


@click.group()
def participants() -> None:
    """Participants: import, appendix order, roles, seating, privacy."""


@participants.command("import")
@click.argument("session_id", metavar="SESSION")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--skip-bad", is_flag=True, help="Import the good rows and list the bad ones.")
@human_errors
def import_cmd(session_id: str, file: Path, skip_bad: bool) -> None:
    """Import participants from a CSV file (UTF-8 or Windows-1252, , or ; separated).

    Headers may be Dutch or English: voornaam/first name, tussenvoegsel/prefix,
    achternaam/surname or one naam/name column, organisatie/organisation,
    rol/role, email, in bijlage/in appendix; other columns (functie, …) are left
    out with a warning. A file with a bad row imports nothing unless --skip-bad
    is given. People already present are not added again.
    """
    report = service.import_file(root_store(), session_id, file, skip_bad=skip_bad)
    for line in report.ignored:
        _echo(_("warning: {problem}").format(problem=line), err=True)
    for line in report.skipped:
        _echo(_("skipped: {problem}").format(problem=line), err=True)
    _echo(
        ngettext(
            "Imported {added} participant ({present} already present, {skipped} skipped).",
            "Imported {added} participants ({present} already present, {skipped} skipped).",
            report.added,
        ).format(added=report.added, present=report.present, skipped=len(report.skipped))
    )


@participants.command("list")
@click.argument("session_id", metavar="SESSION")
@click.option("--belgian", is_flag=True, help="Belgian order: Van den Bergh under V.")
@click.option("--dutch", is_flag=True, help="Dutch order: van den Bergh under B.")
@click.option("--all", "show_all", is_flag=True, help="Include people kept out of the appendix.")
@click.option("--details", is_flag=True, help="Show id, name split, organisation and roles.")
@click.option("--joined", is_flag=True, help="One paragraph joined with ' – ', as in a report.")
@human_errors
def list_cmd(
    session_id: str,
    belgian: bool,
    dutch: bool,
    show_all: bool,
    details: bool,
    joined: bool,
) -> None:
    """Print the participant appendix in order, one "Name (Organisation)" per line."""
    convention = Convention.BELGIAN if belgian else Convention.DUTCH if dutch else None
    people = service.list_people(
        root_store(), session_id, convention=convention, include_hidden=show_all or details
    )
    if joined:
        _echo(" – ".join(p.line for p in people))
        return
    for p in people:
        if details:
            _echo(_describe(p))
        else:
            hidden = _("  [not in appendix]") if not p.in_appendix else ""
            _echo(p.line + hidden)


@participants.command("order")
@click.argument("session_id", metavar="SESSION")
@click.argument("convention", type=click.Choice(["dutch", "belgian"]), required=False)
@human_errors
def order_cmd(session_id: str, convention: str | None) -> None:
    """Show or set the appendix order of a session: dutch (default) or belgian."""
    store = root_store()
    before = service.get_convention(store, session_id)
    if not convention:
        _echo(before.value)
        return
    old = [p.id for p in service.list_people(store, session_id, convention=before)]
    service.set_convention(store, session_id, convention)
    people = service.list_people(store, session_id, convention=Convention(convention))
    _echo(_order_change(before, Convention(convention), old, people))


def _order_change(
    before: Convention, after: Convention, old: list[int], people: list[service.Person]
) -> str:
    """What ``participants order`` changed, in a sentence: the rule, and how many names moved."""
    names = {Convention.DUTCH: _("Dutch"), Convention.BELGIAN: _("Belgian")}
    if before is after:
        return _("The appendix order was already {order}; nothing changed.").format(
            order=names[after]
        )
    rule = {
        Convention.DUTCH: _("a tussenvoegsel does not count: van den Bergh under B"),
        Convention.BELGIAN: _("a tussenvoegsel counts: Van den Bergh under V"),
    }[after]
    moved = sum(1 for a, b in zip(old, [p.id for p in people], strict=True) if a != b)
    count = ngettext(
        "{moved} of {total} name moves in the appendix",
        "{moved} of {total} names move in the appendix",
        len(people),
    ).format(moved=moved, total=len(people))
    return _("Appendix order: {order} (was {was}): {rule}; {count}.").format(
        order=names[after], was=names[before], rule=rule, count=count
    )


@participants.command("add")
@click.argument("session_id", metavar="SESSION")
@click.argument("name", required=False)
@click.option("--given", help="Given name (with --surname: no automatic split).")
@click.option("--tussenvoegsel", "--prefix", "tussenvoegsel", help="Tussenvoegsel: van, de, …")
@click.option("--surname", help="Surname without tussenvoegsel.")
@click.option("--organisation", "--org", "organisation", help="Organisation.")
@click.option("--role", "roles", multiple=True, help="A role (repeatable): tafelvoorzitter, …")
@click.option("--email", help="E-mail address.")
@click.option("--hidden", is_flag=True, help="Keep this person out of the printed appendix.")
@human_errors
def add_cmd(
    session_id: str,
    name: str | None,
    given: str | None,
    tussenvoegsel: str | None,
    surname: str | None,
    organisation: str | None,
    roles: tuple[str, ...],
    email: str | None,
    hidden: bool,
) -> None:
    """Add one participant: a full name to split ("Ria van ’t Klooster") or --surname etc."""
    if surname:
        parts: NameParts | str = NameParts(given or "", tussenvoegsel or "", surname)
    elif name:
        parts = name
    else:
        raise DialoogError(_("give a NAME or --surname"))
    person = service.add_person(
        root_store(),
        session_id,
        parts,
        organisation=organisation,
        roles=_roles(roles) or [Role.PARTICIPANT],
        email=email,
        in_appendix=not hidden,
    )
    _echo(_describe(person))


@participants.command("edit")
@click.argument("session_id", metavar="SESSION")
@click.argument("person")
@click.option("--name", "full", help="The whole name again, split anew (and kept).")
@click.option("--given", help="Corrected given name.")
@click.option("--tussenvoegsel", "--prefix", "tussenvoegsel", help="Corrected tussenvoegsel.")
@click.option("--surname", help="Corrected surname.")
@click.option("--organisation", "--org", "organisation", help="Organisation ('' to clear).")
@click.option("--email", help="E-mail address ('' to clear).")
@click.option(
    "--appendix/--no-appendix", "in_appendix", default=None, help="Show in the printed appendix."
)
@human_errors
def edit_cmd(
    session_id: str,
    person: str,
    full: str | None,
    given: str | None,
    tussenvoegsel: str | None,
    surname: str | None,
    organisation: str | None,
    email: str | None,
    in_appendix: bool | None,
) -> None:
    """Correct a name split or change a participant (PERSON: number or name).

    A corrected split sticks: importing the same file again leaves it alone.
    Example: edit SESSION 12 --given "Jan Willem" --tussenvoegsel "" --surname "Tuin".
    """
    store = root_store()
    found = service.find_person(store, session_id, person)
    if full is not None:
        parts = split_name(full)
        given = parts.given_name if given is None else given
        tussenvoegsel = parts.tussenvoegsel if tussenvoegsel is None else tussenvoegsel
        surname = parts.surname if surname is None else surname
    if any(v is not None for v in (given, tussenvoegsel, surname)):
        found = service.correct_name(
            store,
            session_id,
            found.id,
            given_name=given,
            tussenvoegsel=tussenvoegsel,
            surname=surname,
        )
    changes: dict[str, object] = {}
    if organisation is not None:
        changes["organisation"] = organisation
    if email is not None:
        changes["email"] = email
    if changes or in_appendix is not None:
        found = service.update_person(
            store, session_id, found.id, in_appendix=in_appendix, **changes
        )
    _echo(_describe(found))


@participants.command("roles")
@click.argument("session_id", metavar="SESSION")
@click.argument("person")
@click.option("--add", "add", multiple=True, help="Role to add (repeatable).")
@click.option("--remove", "remove", multiple=True, help="Role to take away (repeatable).")
@click.option("--set", "replace", help="All roles at once, comma separated.")
@human_errors
def roles_cmd(
    session_id: str,
    person: str,
    add: tuple[str, ...],
    remove: tuple[str, ...],
    replace: str | None,
) -> None:
    """Show or change a participant's roles (Dutch or English names).

    Roles: participant/deelnemer, table chair/tafelvoorzitter, chair of the
    day/dagvoorzitter, speaker/spreker, panel member/panellid,
    presenter/presentator, secretary/secretaris, committee member/commissielid.
    """
    store = root_store()
    found = service.find_person(store, session_id, person)
    if add or remove or replace is not None:
        found = service.set_roles(
            store,
            session_id,
            found.id,
            add=_roles(add),
            remove=_roles(remove),
            replace=_roles((replace,)) if replace is not None else None,
        )
    _echo(f"{found.full_name}: {', '.join(role_label(r) for r in found.roles)}")


@participants.command("seat")
@click.argument("session_id", metavar="SESSION")
@click.option("--rounds", help="Rounds to seat, comma separated (ronde-1,ronde-2); default all.")
@click.option("--rotate", is_flag=True, help="Move people between rounds (World Café).")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same plan.")
@human_errors
def seat_cmd(session_id: str, rounds: str | None, rotate: bool, seed: int) -> None:
    """Seat participants at the tables for each round, spreading organisations.

    Table chairs keep their table; manual moves (see: move) stay where they are.
    """
    store = root_store()
    session = store.get_session(session_id)
    items = _items(store, session, rounds)
    if sys.stderr.isatty():
        # Imported here: only this command draws a progress bar.
        from rich.console import Console
        from rich.progress import Progress

        with Progress(console=Console(stderr=True), transient=True) as bar:
            label = ", ".join(session.plan.agenda[i - 1].key or str(i) for i in items)
            task = bar.add_task(_("Seating: {round}").format(round=label), total=None)
            report = service.seat(
                store,
                session_id,
                items,
                rotate=rotate,
                seed=seed,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
    else:
        report = service.seat(store, session_id, items, rotate=rotate, seed=seed)
    q = report.quality
    _echo(
        _("Seated {people} at {tables} for {rounds}: {clashes}, {repeated}.").format(
            people=count_text("{n} person", "{n} people", len(report.plans[0])),
            tables=count_text("{n} table", "{n} tables", len(session.plan.tables)),
            rounds=count_text("{n} round", "{n} rounds", len(report.items)),
            clashes=count_text("{n} organisation clash", "{n} organisation clashes", q.org_clashes),
            repeated=count_text("{n} repeated pair", "{n} repeated pairs", q.repeated_pairs),
        )
    )
    if report.unseated_tables:
        _echo(
            _("Tables without a table chair: {tables}").format(
                tables=", ".join(map(str, report.unseated_tables))
            ),
            err=True,
        )


@participants.command("move")
@click.argument("session_id", metavar="SESSION")
@click.argument("person")
@click.argument("table", type=int)
@click.option("--round", "round_ref", help="Round (ronde-1, round 2); default every round.")
@human_errors
def move_cmd(session_id: str, person: str, table: int, round_ref: str | None) -> None:
    """Seat PERSON at TABLE by hand; re-planning keeps this seat."""
    store = root_store()
    session = store.get_session(session_id)
    found = service.find_person(store, session_id, person)
    for item in _items(store, session, round_ref):
        service.move(store, session_id, item, found.id, table)
    _echo(_("{name} sits at table {table}.").format(name=found.full_name, table=table))


@participants.command("seating")
@click.argument("session_id", metavar="SESSION")
@click.option("--rounds", help="Rounds to show, comma separated; default all.")
@click.option("--format", "fmt", type=click.Choice(["md", "csv"]), default="md", show_default=True)
@human_errors
def seating_cmd(session_id: str, rounds: str | None, fmt: str) -> None:
    """Print the seating list per round and table (Markdown or CSV)."""
    store = root_store()
    session = store.get_session(session_id)
    items = _items(store, session, rounds)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["ronde", "tafel", "naam", "organisatie", "rol", "handmatig"])
        for item in items:
            label = session.item(item).key or str(item)
            for table, members in service.seating(store, session_id, item).items():
                for p, manual in members:
                    roles = ", ".join(r.value for r in p.roles)
                    writer.writerow(
                        [label, table, p.full_name, p.organisation or "", roles, int(manual)]
                    )
        sys.stdout.write(terminal_safe(out.getvalue()))
        return
    for item in items:
        agenda_item = session.item(item)
        _echo(f"## {agenda_item.title}\n")
        for table, members in service.seating(store, session_id, item).items():
            _echo("### " + _("Table {n}").format(n=table) + "\n")
            if not members:
                _echo(_("(nobody)") + "\n")
                continue
            for p, manual in members:
                chair = _(" (table chair)") if Role.TABLE_CHAIR in p.roles else ""
                hand = " *" if manual else ""
                _echo(f"- {p.line}{chair}{hand}")
            _echo("")


@participants.command("forget")
@click.argument("session_id", metavar="SESSION")
@click.argument("person")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option(
    "--purge-backups",
    is_flag=True,
    help="Also delete the earlier backups that still hold them (a new backup is made).",
)
@human_errors
def forget_cmd(session_id: str, person: str, yes: bool, purge_backups: bool) -> None:
    """Remove PERSON and every record derived from them (seats) from the session.

    Backups made before still hold them: they are listed, and deleted with
    --purge-backups (a fresh backup without them is then made).
    """
    from dialoog.history import backup

    store = root_store()
    found = service.find_person(store, session_id, person)
    holding = backup.backups_holding_participant(
        store, root_context().db_path, session_id, found.id, found.surname
    )
    if holding and not yes and not purge_backups:
        click.echo(
            ngettext(
                "{n} earlier backup holds {name}; it keeps them unless you add --purge-backups.",
                "{n} earlier backups hold {name}; they keep them unless you add --purge-backups.",
                len(holding),
            ).format(n=len(holding), name=found.full_name)
        )
    if not yes and not click.confirm(
        terminal_safe(_("Forget {name} for good?").format(name=found.full_name)), default=False
    ):
        raise click.exceptions.Abort()
    report = service.forget(store, session_id, found.id)
    _echo(
        _("Forgot {name} ({seats}, {drafts} and {initiatives} removed).").format(
            name=report.name,
            seats=count_text("{n} seat", "{n} seats", report.seats),
            drafts=count_text("{n} report draft", "{n} report drafts", report.drafts),
            initiatives=count_text(
                "{n} example initiative", "{n} example initiatives", report.initiatives
            ),
        )
    )
    if not holding:
        return
    if purge_backups:
        deleted = backup.purge_backups(store, holding)
        click.echo(
            ngettext(
                "Deleted {n} earlier backup that held {name}:",
                "Deleted {n} earlier backups that held {name}:",
                len(deleted),
            ).format(n=len(deleted), name=report.name)
        )
        for path in deleted:
            click.echo(f"  {path}")
        root_context().close()
        info = backup.make_backup(root_context().db_path)
        click.echo(_("New backup without them: {path}").format(path=info.path))
        return
    click.echo(
        ngettext(
            "{name} is still in {n} earlier backup: delete this file to remove them there "
            "too (--purge-backups does that along with the forget):",
            "{name} is still in {n} earlier backups: delete these files to remove them there "
            "too (--purge-backups does that along with the forget):",
            len(holding),
        ).format(name=report.name, n=len(holding)),
        err=True,
    )
    for path in holding:
        click.echo(f"  {path}", err=True)
