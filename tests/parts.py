"""Pages that draw one part at a time (`ui.part_choice`) or keep details in a box drawn once opened: run them
under AppTest with a part chosen or the box opened."""
from __future__ import annotations


def open_box(at, key: str):  # noqa: ANN001, ANN201 - an AppTest
    """Open the expander keyed `key` (drawn only once opened: `on_change="rerun"`) and run again."""
    at.session_state[key] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def choose_part(at, key: str, code: str):  # noqa: ANN001, ANN201
    """Choose the part `code` of the page's part buttons keyed `key` and run again."""
    at.button_group(key=key).set_value(code).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def each_part(at, key: str, codes: list[str]):  # noqa: ANN001, ANN201
    """Run the page once per part; yields the part's code (the AppTest shows that part)."""
    for code in codes:
        choose_part(at, key, code)
        yield code


def pillar_codes(at, key: str = "targets_pillar", lang: str = "vi") -> list[str]:  # noqa: ANN001
    """The pillar codes of the targets page's part buttons, in their order."""
    from dashboard.i18n import PILLAR_NAMES, pillar_name

    code = {pillar_name(c, lang): c for c in PILLAR_NAMES}
    return [code[label] for label in at.button_group(key=key).options]
