"""Property tests: the helpers that touch attacker bytes never raise and always bound output."""

from __future__ import annotations

import contextlib

from hypothesis import given, settings
from hypothesis import strategies as st

from sscguard.extract.filetype import extension, filetype
from sscguard.model import ResultDocument
from sscguard.textutil import excerpt_at, line_of, sanitize

CONTROL = {chr(c) for c in range(0x20)} - {" "} | {"\x7f", "\u202e", "\u2066"}


@given(st.text(), st.integers(min_value=1, max_value=500))
def test_sanitize_is_bounded_and_printable(text: str, limit: int) -> None:
    out = sanitize(text, limit)
    assert len(out) <= limit
    assert not CONTROL & set(out)


@given(st.binary(max_size=4096), st.integers(min_value=-10, max_value=5000), st.integers(0, 300))
@settings(max_examples=300)
def test_excerpt_never_raises_and_stays_one_short_line(
    data: bytes, offset: int, length: int
) -> None:
    offset = max(0, min(offset, len(data)))
    text = excerpt_at(data, offset, length)
    assert "\n" not in text and len(text) <= 200
    assert 1 <= line_of(data, offset) <= data.count(b"\n") + 1


@given(st.binary(max_size=64), st.text(max_size=200))
def test_filetype_and_extension_total(head: bytes, name: str) -> None:
    assert isinstance(filetype(head), str)
    ext = extension(name)
    assert ext == "" or (ext.startswith(".") and ext == ext.lower())


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=12), children, max_size=6)
        ),
        max_leaves=30,
    )
)
def test_loading_arbitrary_json_gives_value_error_not_a_crash(data: object) -> None:
    # Any exception other than ValueError fails the test: `report` turns ValueError into exit 2.
    with contextlib.suppress(ValueError):
        ResultDocument.from_dict(data if isinstance(data, dict) else {"x": data})
