"""Bytes in any encoding a letter arrives in -> text; damaged characters -> what was meant."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lgso_core.errors import LetterReadError
from lgso_core.textrepair import decode, repair

SENTENCE = "The Council\u2019s response was late.\u00a0We found fault in 4 of 7 complaints (57%)."


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        # Windows-1252: 0x92 is a curly apostrophe, 0xA0 a no-break space, 0x93/0x94 quotes
        (
            b"The Council\x92s response was late.\xa0We found fault.",
            "The Council\u2019s response was late.\u00a0We found fault.",
        ),
        (b"\x93Dear Ms Kemp\x94 \x96 22 July 2020", "\u201cDear Ms Kemp\u201d \u2013 22 July 2020"),
        # Latin-1: a short text with one accented letter is not Urdu
        ("Caf\u00e9 letter".encode("latin-1"), "Caf\u00e9 letter"),
        (
            "\u00a3200 to Mr Andr\u00e9, 1\u00bd hours".encode("latin-1"),
            "\u00a3200 to Mr Andr\u00e9, 1\u00bd hours",
        ),
        # UTF-8 with and without a byte-order mark
        (SENTENCE.encode("utf-8"), SENTENCE),
        (codecs.BOM_UTF8 + SENTENCE.encode("utf-8"), SENTENCE),
        # UTF-16 with a BOM (either order), and without one
        (SENTENCE.encode("utf-16"), SENTENCE),
        (codecs.BOM_UTF16_BE + SENTENCE.encode("utf-16-be"), SENTENCE),
        (SENTENCE.encode("utf-16-le"), SENTENCE),
        (SENTENCE.encode("utf-16-be"), SENTENCE),
    ],
    ids=[
        "cp1252",
        "cp1252-quotes",
        "latin1-short",
        "latin1",
        "utf8",
        "utf8-bom",
        "utf16-bom",
        "utf16be-bom",
        "utf16le-no-bom",
        "utf16be-no-bom",
    ],
)
def test_decodes_every_encoding_a_letter_comes_in(data, expected):
    assert decode("letter.txt", data) == expected


def test_declared_charset_is_honoured_as_browsers_read_it():
    # "iso-8859-1" is read as Windows-1252, so 0x92 is an apostrophe, not a control
    assert decode("page.html", b"Council\x92s", declared="iso-8859-1") == "Council\u2019s"
    assert decode("page.html", b"Council\x92s", declared="windows-1252") == "Council\u2019s"
    # a declaration the bytes contradict is ignored and the encoding detected
    assert (
        decode("page.html", b"Caf\xe9 au lait, Council\x92s", declared="utf-8")
        == "Caf\u00e9 au lait, Council\u2019s"
    )
    assert decode("page.html", b"plain", declared="no-such-charset") == "plain"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"%PDF-1.4\x00\x00\x01binary" * 10, "letter.txt: binary file, not text (contains NUL bytes)"),
        (
            bytes(range(0x80, 0x100)) * 8,
            "letter.txt: cannot tell the text's encoding (not UTF-8, UTF-16, Windows-1252 or Latin-1)",
        ),
        (codecs.BOM_UTF16_LE + b"A\x00B", "letter.txt: not valid UTF-16 text (bad byte at offset 4)"),
    ],
    ids=["nul-bytes", "no-encoding-fits", "truncated-utf16"],
)
def test_undecodable_bytes_are_one_line_naming_the_file(data, reason):
    with pytest.raises(LetterReadError) as caught:
        decode("letter.txt", data)
    assert str(caught.value) == reason


@pytest.mark.parametrize(
    ("damaged", "meant"),
    [
        ("the Council\u00e2\u20ac\u2122s decision", "the Council\u2019s decision"),  # UTF-8 read as cp1252
        ("\u00e2\u20ac\u0153Dear Sir\u00e2\u20ac\u009d", "\u201cDear Sir\u201d"),
        ("Caf\u00c3\u00a9 and \u00c2\u00a3200", "Caf\u00e9 and \u00a3200"),
        (
            "we \ufb01nd fault; \ufb02ags; e\ufb00ect; o\ufb03ce; ba\ufb04ed",
            "we find fault; flags; effect; office; baffled",
        ),
        ("com\u00adplaints and recom\u00admendations", "complaints and recommendations"),
        ("com\u00ad\nplaints were up\u00ad \n held", "complaints were upheld"),
        ("late.\u200b We\u200c found\u2060 fault\ufeff", "late. We found fault"),
        ("Dear\u00a0Mr\u202fAndrews, 1\u2009000\u2007people", "Dear Mr Andrews, 1 000 people"),
        ("\uff15\uff16\uff05 of complaints", "56% of complaints"),
    ],
    ids=[
        "mojibake-apostrophe",
        "mojibake-quotes",
        "mojibake-latin1",
        "ligatures",
        "soft-hyphens",
        "soft-hyphen-at-line-end",
        "zero-width",
        "no-break-spaces",
        "full-width",
    ],
)
def test_repair_gives_the_characters_meant(damaged, meant):
    assert repair(damaged) == meant


def test_repair_keeps_page_breaks_lines_and_what_is_not_damage():
    text = (
        "Page one.\n\nCompliance \u2013 100%\f\u00a3200 paid to Mr Andr\u00e9 \u2018as agreed\u2019\nline two"
    )
    assert repair(text) == text.replace("\u00a0", " ")


def test_visible_hyphen_at_a_line_end_is_left_for_normalize():
    assert (
        repair("we inves-\ntigated the com-\nplaints \u2019") == "we inves-\ntigated the com-\nplaints \u2019"
    )


_WORDS = ["Council\u2019s", "\u201cfault\u201d", "\u00a3200", "caf\u00e9", "\u2013", "56%", "the", "remedy",
          "Mr", "Andr\u00e9", "(1 of 2)", "\n", "\n\n", "\u2018agreed\u2019", "\u00bd", "\u2026"]  # fmt: skip
_TEXT = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=60).map(" ".join)
"""Text as a letter writer types it: curly quotes, pound signs and accents in words."""


@given(_TEXT)
def test_repair_is_idempotent_and_leaves_clean_text_alone(text):
    assert repair(text) == text
    assert repair(repair(text)) == repair(text)


@given(_TEXT, st.sampled_from(["utf-8", "utf-16", "utf-16-le", "utf-16-be"]))
def test_unicode_encodings_round_trip(text, encoding):
    data = text.encode(encoding)
    if encoding.endswith(("-le", "-be")) and not text.isascii():
        return  # without a BOM only mostly-ASCII text shows its byte order
    assert decode("x.txt", data) == text


@given(_TEXT)
def test_windows_1252_round_trips(words):
    text = "We found fault in the council's handling of the complaint: " + words + "."
    assert decode("x.txt", text.encode("cp1252")) == text
