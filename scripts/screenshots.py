"""Write the README's screenshots: the capture screen, the overview and the synthesis screen.

Usage: ``python scripts/screenshots.py [--out docs/img] [--lang nl|en]``

Each picture is an SVG that Textual's ``save_screenshot`` writes while the app
runs headless under Pilot, on the demo session in a fresh temporary database,
at 120 x 34 cells. Round 1 is running on the clock, with a few notes of the last
minutes at some tables, so the overview's sparklines and its silent tables show.
Rerun it after a change to these screens.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
import tempfile
from pathlib import Path

import click

from dialoog import i18n
from dialoog.demo import create_demo
from dialoog.storage.notes import NewNote
from dialoog.storage.store import Store
from dialoog.synthesis.suggest import accept_suggestion, suggest_themes
from dialoog.tui.app import create_app

SIZE = (120, 34)
SESSION = "demo"
ROUND = 4  # ronde-1 of the demo's programme
TABLE = 3


def prepare(db: Path) -> None:
    """The demo session with round 1 running, fresh notes at tables 1-3, and two themes."""
    with Store.open(db) as store:
        create_demo(store)
        ends = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=23)
        store.set_clock(SESSION, current_item=ROUND, state="running", ends_at=ends)
        store.add_notes(
            SESSION,
            [
                NewNote(table=1, item=ROUND, text="Stages eerder in de opleiding"),
                NewNote(table=2, item=ROUND, text="!Docenten vaker het bedrijf in"),
                NewNote(table=3, item=ROUND, text="Zelfsturing vraagt oefening #mbo"),
            ],
        )
        # Two themes from the suggestions, so the theme list shows its coverage bars.
        for suggestion in suggest_themes(store, SESSION, ROUND)[:2]:
            accept_suggestion(store, SESSION, ROUND, suggestion)


async def settle(pilot: object, rounds: int = 6) -> None:
    """Let workers finish and their results reach the screen."""
    for _ in range(rounds):
        await pilot.pause()  # type: ignore[attr-defined]
        await pilot.app.workers.wait_for_complete()  # type: ignore[attr-defined]
    await pilot.pause(0.3)  # type: ignore[attr-defined]


async def shoot(db: Path, out: Path) -> list[Path]:
    """Open each screen in turn and save it as an SVG in ``out``."""
    written: list[Path] = []
    app = create_app(db, session_id=SESSION, table=TABLE)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, 12)
        written.append(Path(app.save_screenshot("capture.svg", str(out))))
        app.open_overview(SESSION)
        await settle(pilot, 12)
        written.append(Path(app.save_screenshot("overview.svg", str(out))))
        from dialoog.tui.screens.synthesis import SynthesisScreen

        await app.push_screen(SynthesisScreen(SESSION))
        await settle(pilot, 12)
        written.append(Path(app.save_screenshot("synthesis.svg", str(out))))
    return written


@click.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("docs/img"))
@click.option("--lang", type=click.Choice(["nl", "en"]), default="en", show_default=True)
def main(out: Path, lang: str) -> None:
    """Write capture.svg, overview.svg and synthesis.svg of the demo session to OUT."""
    i18n.set_language(lang)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "screenshots.db"
        prepare(db)
        for path in asyncio.run(shoot(db, out)):
            click.echo(path)


if __name__ == "__main__":
    sys.exit(main())
