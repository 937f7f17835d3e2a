"""parse_arxiv_id accepts exactly the documented id and URL forms and rejects everything else."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paperfeed.errors import InvalidArxivId
from paperfeed.papers.arxiv_ids import ArxivId, abs_url, parse_arxiv_id, pdf_url

ACCEPTED = [
    # new-style, 4 digits (2007-2014) and 5 digits (2015 on)
    ("0704.0001", ArxivId("0704.0001")),
    ("1412.9999", ArxivId("1412.9999")),
    ("1501.00001", ArxivId("1501.00001")),
    ("2401.12345", ArxivId("2401.12345")),
    ("2401.12345v2", ArxivId("2401.12345", 2)),
    ("1111.2011v12", ArxivId("1111.2011", 12)),
    # old-style, with and without subject class
    ("hep-th/9901001", ArxivId("hep-th/9901001")),
    ("hep-th/9901001v3", ArxivId("hep-th/9901001", 3)),
    ("cs/0112017", ArxivId("cs/0112017")),
    ("quant-ph/0201082v1", ArxivId("quant-ph/0201082", 1)),
    ("math.GT/0309136", ArxivId("math/0309136")),
    ("math.GT/0309136v2", ArxivId("math/0309136", 2)),
    ("cs.AI/0112017", ArxivId("cs/0112017")),
    # arXiv: prefix in any case, surrounding whitespace
    ("arXiv:2401.12345", ArxivId("2401.12345")),
    ("ARXIV:2401.12345v1", ArxivId("2401.12345", 1)),
    ("arxiv:hep-th/9901001", ArxivId("hep-th/9901001")),
    ("  2401.12345 \n", ArxivId("2401.12345")),
    ("\tarXiv:math.GT/0309136v2  ", ArxivId("math/0309136", 2)),
    # URLs on the three arXiv hosts
    ("https://arxiv.org/abs/2401.12345", ArxivId("2401.12345")),
    ("http://arxiv.org/abs/2401.12345v2", ArxivId("2401.12345", 2)),
    ("https://www.arxiv.org/abs/hep-th/9901001", ArxivId("hep-th/9901001")),
    ("http://export.arxiv.org/abs/math.GT/0309136v1", ArxivId("math/0309136", 1)),
    ("https://arxiv.org/pdf/2401.12345", ArxivId("2401.12345")),
    ("https://arxiv.org/pdf/2401.12345v3.pdf", ArxivId("2401.12345", 3)),
    ("https://arxiv.org/pdf/hep-th/9901001.pdf", ArxivId("hep-th/9901001")),
    ("https://arxiv.org/html/2401.12345v1", ArxivId("2401.12345", 1)),
    ("https://arxiv.org/abs/2401.12345/", ArxivId("2401.12345")),
    ("https://arxiv.org/abs/2401.12345?context=cs", ArxivId("2401.12345")),
    ("HTTPS://ARXIV.ORG/abs/2401.12345", ArxivId("2401.12345")),
    ("  https://arxiv.org/abs/2401.12345v2  ", ArxivId("2401.12345", 2)),
    ("arxiv.org/abs/2401.12345", ArxivId("2401.12345")),
]

REJECTED = [
    "",
    "   ",
    "x",
    "garbage",
    "2401",
    "2401.123",
    "2401.123456",
    "2413.12345",  # month 13
    "2400.12345",  # month 00
    "0703.0001",  # before new-style ids began
    "1501.1234",  # 2015 on uses five digits
    "1412.12345",  # before 2015 four digits
    "2401.00000",
    "2401.12345v0",
    "2401.12345v",
    "2401.12345V2",
    "2401.12345v1v2",
    "2401 .12345",
    "2401.\n12345",
    "hep-th/990100",
    "hep-th/99010011",
    "hep-th/9913001",  # month 13
    "hep-th/0000000",
    "nope/9901001",  # not an archive
    "HEP-TH/9901001",
    "math.GT.XX/0309136",
    "arXiv:",
    "arXiv: 2401.12345",
    "arXiv:https://arxiv.org/abs/2401.12345",
    "doi:10.1103/PhysRevB.85.115117",
    "https://evil.example/abs/2401.12345",
    "https://arxiv.org.evil.com/abs/2401.12345",
    "https://evilarxiv.org/abs/2401.12345",
    "https://arxiv.org.evil.com/pdf/2401.12345.pdf",
    "https://evil.com/arxiv.org/abs/2401.12345",
    "https://arxiv.org@evil.com/abs/2401.12345",
    "https://user@arxiv.org/abs/2401.12345",
    "https://arxiv.org:8443/abs/2401.12345",
    "https://arxiv.org./abs/2401.12345",
    "https://scirate.com/arxiv/2401.12345",
    "https://arxiv.org/list/cs.LG/recent",
    "https://arxiv.org/abs/",
    "https://arxiv.org/abs/2401.12345/extra",
    "https://arxiv.org/abs/hep-th%2F9901001",
    "https://arxiv.org/src/2401.12345",
    "https://arxiv.org/html/2401.12345.pdf",
    "ftp://arxiv.org/abs/2401.12345",
    "file:///etc/passwd",
    "javascript:alert(1)",
    "javascript://arxiv.org/abs/2401.12345",
    "data:text/html,<script>alert(1)</script>",
    "//arxiv.org/abs/2401.12345",
    "<script>alert(1)</script>",
    "2401.12345" + " " * 400,
    "https://arxiv.org/abs/2401.12345?" + "a" * 500,
    "２４０１.１２３４５",  # full-width digits
    "2401.12345\x00",
]


@pytest.mark.parametrize(("text", "expected"), ACCEPTED)
def test_every_documented_form_parses_to_the_canonical_id(text, expected):
    assert parse_arxiv_id(text) == expected


@pytest.mark.parametrize("text", REJECTED)
def test_anything_else_is_rejected_as_an_invalid_arxiv_id(text):
    with pytest.raises(InvalidArxivId):
        parse_arxiv_id(text)


def test_an_id_prints_as_its_base_with_the_version_appended():
    assert str(ArxivId("2401.12345", 2)) == "2401.12345v2"
    assert str(ArxivId("2401.12345")) == "2401.12345"
    assert str(ArxivId("hep-th/9901001", 1)) == "hep-th/9901001v1"


def test_an_id_is_frozen_and_hashable():
    arxiv_id = parse_arxiv_id("2401.12345v2")
    with pytest.raises(AttributeError):
        arxiv_id.version = 3
    assert {arxiv_id, parse_arxiv_id("arXiv:2401.12345v2")} == {arxiv_id}


def test_the_rejection_message_names_the_accepted_forms():
    with pytest.raises(InvalidArxivId) as caught:
        parse_arxiv_id("not an id")
    message = caught.value.message
    assert "'not an id'" in message
    assert "2401.12345" in message and "hep-th/9901001" in message and "arxiv.org/abs/" in message
    assert caught.value.status == 400 and caught.value.code == "invalid_arxiv_id"


def test_the_rejection_message_never_echoes_more_than_eighty_characters_of_input():
    with pytest.raises(InvalidArxivId) as caught:
        parse_arxiv_id("A" * 5000)
    assert "A" * 80 in caught.value.message
    assert "A" * 81 not in caught.value.message
    assert len(caught.value.message) < 300


def test_a_value_that_is_not_text_is_rejected():
    with pytest.raises(InvalidArxivId):
        parse_arxiv_id(None)  # type: ignore[arg-type]
    with pytest.raises(InvalidArxivId):
        parse_arxiv_id(2401.12345)  # type: ignore[arg-type]


def test_abs_and_pdf_urls_are_built_on_https_arxiv_org():
    assert abs_url(parse_arxiv_id("2401.12345v2")) == "https://arxiv.org/abs/2401.12345v2"
    assert pdf_url(parse_arxiv_id("2401.12345")) == "https://arxiv.org/pdf/2401.12345"
    assert abs_url(parse_arxiv_id("math.GT/0309136")) == "https://arxiv.org/abs/math/0309136"
    assert pdf_url(parse_arxiv_id("http://export.arxiv.org/pdf/hep-th/9901001v1.pdf")) == (
        "https://arxiv.org/pdf/hep-th/9901001v1"
    )


def test_urls_built_from_a_user_supplied_url_point_at_arxiv_org_only():
    with pytest.raises(InvalidArxivId):
        abs_url("https://evil.example/abs/2401.12345")
    assert abs_url("http://www.arxiv.org/abs/2401.12345?x=1#y") == "https://arxiv.org/abs/2401.12345"


_near_misses = st.one_of(
    st.from_regex(r"(arXiv:)?[0-9]{4}\.[0-9]{4,5}(v[0-9]{1,3})?", fullmatch=True),
    st.from_regex(r"[a-z]{2,8}(-[a-z]{2,3})?(\.[A-Za-z]{2})?/[0-9]{7}(v[0-9]{1,2})?", fullmatch=True),
    st.from_regex(
        r"(https?://)?(www\.|export\.)?arxiv\.org[./:@a-z]{0,6}/(abs|pdf|html)/[0-9]{4}\.[0-9]{4,5}(\.pdf)?",
        fullmatch=True,
    ),
    st.sampled_from([text for text, _ in ACCEPTED] + REJECTED).flatmap(
        lambda text: st.tuples(st.just(text), st.integers(0, len(text)), st.text(max_size=3)).map(
            lambda parts: parts[0][: parts[1]] + parts[2] + parts[0][parts[1] + 1 :]
        )
    ),
    st.text(),
)


@given(_near_misses)
def test_any_text_either_round_trips_through_str_or_raises_invalid_arxiv_id(text):
    try:
        parsed = parse_arxiv_id(text)
    except InvalidArxivId:
        return
    assert isinstance(parsed, ArxivId)
    assert parse_arxiv_id(str(parsed)) == parsed
    assert parse_arxiv_id(abs_url(parsed)) == parsed
    assert parse_arxiv_id(pdf_url(parsed)) == parsed
