"""The capture screen's bookkeeping without a terminal: notes being saved, drafts per item.

``CaptureState`` is plain Python; these tests drive it as the screen does
(queue on Enter, ack or refusal from the write queue, item switches, the drafts
read back on load) and check that no typed text is dropped or doubled.
"""

from __future__ import annotations

import random
from collections import Counter

import pytest

from dialoog.tui.capture_state import CaptureState


def test_a_queued_note_is_unsaved_until_the_store_acks_it() -> None:
    state = CaptureState()
    key = state.queue("eerste")
    assert state.pending == {key: (1, "eerste")}
    assert state.unsaved_text(1, typed="tweede half") == "eerste\ntweede half"
    state.saved(key)
    assert not state.pending
    assert state.unsaved_text(1, typed="tweede half") == "tweede half"


def test_keys_are_unique_and_rows_keep_their_order() -> None:
    state = CaptureState()
    a, b = state.queue("a"), state.queue("b")
    c = state.queue("c", item=3)
    assert len({a, b, c}) == 3
    assert state.pending_at(1) == [(a, "a"), (b, "b")]
    assert state.pending_at(3) == [(c, "c")]
    assert state.pending_at(2) == []


def test_a_refused_note_goes_back_in_front_of_the_input() -> None:
    state = CaptureState()
    key = state.queue("geweigerd")
    assert state.refused(key, typed="intussen getypt") == "geweigerd\nintussen getypt"
    assert state.refused(state.queue("alleen"), typed="") == "alleen"
    assert not state.pending


def test_a_refused_note_of_another_item_goes_back_into_that_items_draft() -> None:
    state = CaptureState()
    key = state.queue("bij item 1")
    assert state.switch(2, typed="half bij 1") == ""
    assert state.refused(key, typed="bij item 2") is None  # the input is not touched
    assert state.drafts == {1: "bij item 1\nhalf bij 1"}
    assert state.switch(1, typed="bij item 2") == "bij item 1\nhalf bij 1"


def test_an_unknown_refusal_changes_nothing() -> None:
    state = CaptureState()
    state.queue("blijft")
    assert state.refused("pending-99", typed="x") is None
    assert [text for _item, text in state.pending.values()] == ["blijft"]


def test_half_typed_text_stays_with_its_item() -> None:
    state = CaptureState()
    assert state.switch(2, typed="half bij de opening") == ""
    assert state.item == 2
    assert state.unsaved_text(1, typed="") == "half bij de opening"
    assert state.switch(3, typed="bij de keynote") == ""
    assert state.switch(1, typed="") == "half bij de opening"
    assert state.drafts == {2: "bij de keynote"}


def test_switching_with_nothing_typed_leaves_the_input_alone() -> None:
    state = CaptureState()
    assert state.switch(4, typed="") is None
    assert state.item == 4
    assert not state.drafts


def test_restore_keeps_the_stored_drafts_and_what_was_typed_before_the_load() -> None:
    state = CaptureState(item=2)
    state.switch(3, typed="voor de load bij 2")
    stored = {2: "opgeslagen bij 2", 3: "opgeslagen bij 3", 9: "item bestaat niet"}
    text = state.restore(stored, agenda_length=6, typed="voor de load bij 3")
    assert text == "opgeslagen bij 3\nvoor de load bij 3"
    assert state.loaded
    assert state.drafts == {2: "opgeslagen bij 2\nvoor de load bij 2"}
    assert state.draft_saved == {2: "opgeslagen bij 2", 3: "opgeslagen bij 3"}


def test_restore_without_a_draft_at_the_item_leaves_the_input_alone() -> None:
    state = CaptureState()
    assert state.restore({}, agenda_length=6, typed="getypt") is None
    assert state.loaded


def test_no_draft_is_written_before_the_stored_ones_are_read_back() -> None:
    state = CaptureState()
    assert state.changed_drafts(typed="getypt") == []
    state.restore({}, agenda_length=6, typed="getypt")
    assert state.changed_drafts(typed="getypt") == [1]


def test_changed_drafts_reports_each_change_once() -> None:
    state = CaptureState()
    state.restore({2: "oud"}, agenda_length=6, typed="")
    assert state.changed_drafts(typed="") == []
    assert state.changed_drafts(typed="nieuw") == [1]
    assert state.changed_drafts(typed="nieuw") == []
    state.switch(2, typed="nieuw")  # 1 keeps "nieuw" as a draft, 2's "oud" is in the input
    assert state.changed_drafts(typed="oud") == []
    assert state.changed_drafts(typed="oud en meer") == [2]


def test_a_saved_note_leaves_the_draft() -> None:
    state = CaptureState()
    state.restore({}, agenda_length=6, typed="")
    key = state.queue("een notitie")
    assert state.changed_drafts(typed="") == [1]
    assert state.draft_texts([1], typed="") == {1: "een notitie"}
    state.saved(key)
    assert state.changed_drafts(typed="") == [1]
    assert state.draft_texts(None, typed="") == {1: ""}


def test_draft_items_are_every_item_with_unsaved_text_now_or_before() -> None:
    state = CaptureState(item=2)
    state.queue("wacht", item=5)
    state.switch(3, typed="bij 2")
    state.restore({4: "opgeslagen"}, agenda_length=6, typed="")
    assert state.draft_items() == [2, 3, 4, 5]


@pytest.mark.parametrize("seed", range(20))
def test_nothing_typed_is_dropped_or_doubled(seed: int) -> None:
    """Random typing, Enter, acks, refusals and item switches: every word stays once.

    Each word is either in a saved note or in exactly one item's draft text.
    """
    rng = random.Random(seed)
    state = CaptureState()
    state.restore({}, agenda_length=6, typed="")
    typed, saved, words = "", Counter[str](), Counter[str]()
    for step in range(300):
        action = rng.choice(["type", "type", "type", "enter", "ack", "refuse", "switch"])
        if action == "type":
            word = f"w{step}"
            words[word] += 1
            typed = f"{typed} {word}".strip()
        elif action == "enter" and typed:
            state.queue(typed)
            typed = ""
        elif action == "ack" and state.pending:
            key = rng.choice(list(state.pending))
            saved.update(state.pending[key][1].split())
            state.saved(key)
        elif action == "refuse" and state.pending:
            back = state.refused(rng.choice(list(state.pending)), typed)
            typed = typed if back is None else back
        elif action == "switch":
            back = state.switch(rng.randint(1, 6), typed)
            typed = typed if back is None else back
        unsaved = Counter[str]()
        for text in state.draft_texts(None, typed).values():
            unsaved.update(text.split())
        assert saved + unsaved == words, f"step {step}: {action}"
