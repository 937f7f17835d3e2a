"""parse_atom reads recorded arXiv API responses and refuses anything that is not a plain Atom feed."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paperfeed.ingest.arxiv_api import MalformedFeed, ParsedFeed, parse_atom

FIXTURES = Path(__file__).parent / "fixtures" / "arxiv"
RECORD_KEYS = {
    "id",
    "version",
    "title",
    "abstract",
    "authors",
    "categories",
    "primary_category",
    "comment",
    "journal_ref",
    "doi",
    "published",
    "updated",
    "pdf_url",
}


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def only_record(body: bytes) -> dict:
    parsed = parse_atom(body)
    assert parsed.errors == []
    assert len(parsed.records) == 1
    return parsed.records[0]


def test_a_recorded_response_gives_one_record_with_every_field():
    record = only_record(fixture("query_1111.2011v2.xml"))
    assert set(record) == RECORD_KEYS
    assert record["id"] == "1111.2011"
    assert record["version"] == 2
    assert record["title"] == (
        "Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large Connectivity Limit"
    )
    assert record["abstract"].startswith("Theoretical description of anisotropic systems, such as layered\n")
    assert record["abstract"].endswith("the theory describing a single node.")
    assert record["authors"] == ["James M. Murray", "Adrian Del Maestro", "Zlatko Tesanovic"]
    assert record["categories"] == ["cond-mat.str-el", "cond-mat.stat-mech"]
    assert record["primary_category"] == "cond-mat.str-el"
    assert record["comment"] == "8 pages, 3 figures. Published version"
    assert record["journal_ref"] == "Phys. Rev. B 85, 115117 (2012)"
    assert record["doi"] == "10.1103/PhysRevB.85.115117"
    assert record["published"] == "2011-11-08T18:48:36+00:00"
    assert record["updated"] == "2012-04-02T12:38:54+00:00"
    assert record["pdf_url"] == "https://arxiv.org/pdf/1111.2011v2"


def test_the_current_feed_format_with_an_old_style_id_and_latex_is_read():
    record = only_record(fixture("query_astro-ph_0601001.xml"))
    assert record["id"] == "astro-ph/0601001"
    assert record["version"] == 1
    assert record["title"].startswith("Frequency of Hot Jupiters and Very Hot Jupiters")
    assert record["authors"] == ["Andrew Gould", "Susan Dorsher", "B. Scott Gaudi", "Andrzej Udalski"]
    assert record["categories"] == ["astro-ph"]
    assert record["primary_category"] == "astro-ph"
    assert record["journal_ref"] == "ActaAstron.56:1-50,2006"
    assert record["doi"] is None
    assert record["comment"].startswith("62 pages including 16 figures")
    assert record["published"] == record["updated"] == "2006-01-02T14:57:58+00:00"
    assert record["pdf_url"] == "https://arxiv.org/pdf/astro-ph/0601001v1"


def test_the_abstract_keeps_its_latex_and_only_loses_surrounding_whitespace():
    abstract = only_record(fixture("query_astro-ph_0601001.xml"))["abstract"]
    assert abstract.startswith("We derive the frequencies")
    assert "(1/310)(1^{+1.39}_{-0.59})" in abstract
    assert "V_max<17.5" in abstract
    assert "Gould & Morgan (2003)" in abstract
    assert abstract == abstract.strip()


def test_a_title_spread_over_several_lines_is_collapsed_to_one():
    body = fixture("query_1111.2011v2.xml")
    assert b"in the Large\n  Connectivity" in body
    assert "  " not in only_record(body)["title"]


def test_an_unknown_id_answered_with_no_entries_gives_no_records():
    parsed = parse_atom(fixture("query_0000.0000_no_entries.xml"))
    assert parsed == ParsedFeed(records=[], errors=[], api_errors=[])


def test_an_arxiv_error_entry_is_not_a_record_and_not_a_parse_error():
    parsed = parse_atom(fixture("query_abc_error_entry.xml"))
    assert parsed.records == []
    assert parsed.errors == []
    assert parsed.api_errors == ["incorrect id format for abc"]


def test_an_old_http_error_entry_is_recognised_too():
    body = fixture("query_1111.2011v2.xml").replace(
        b"</feed>",
        b"<entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_1234.5678</id>"
        b"<title>Error</title><summary>incorrect id format for 1234.5678</summary></entry></feed>",
    )
    parsed = parse_atom(body)
    assert [record["id"] for record in parsed.records] == ["1111.2011"]
    assert parsed.api_errors == ["incorrect id format for 1234.5678"]


def feed_with(entry: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">'
        f"{entry}</feed>"
    ).encode()


GOOD_ENTRY = (
    "<entry><id>http://arxiv.org/abs/2401.12345v3</id><title>A good one</title>"
    "<published>2024-01-22T10:00:00Z</published><updated>2024-03-01T09:30:00Z</updated>"
    "<summary>Let $x \\in \\mathbb{R}^n$.</summary><author><name>A. Author</name></author></entry>"
)


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        ("<entry><title>No id</title><published>2024-01-01T00:00:00Z</published></entry>", "no <id>"),
        (
            "<entry><id>http://arxiv.org/abs/2401.12345v1</id><published>2024-01-01T00:00:00Z</published></entry>",
            "no <title>",
        ),
        ("<entry><id>http://arxiv.org/abs/2401.12345v1</id><title>  </title></entry>", "no <title>"),
        ("<entry><id>https://evil.example/abs/2401.12345v1</id><title>T</title></entry>", "not an arxiv.org/abs/ URL"),
        ("<entry><id>http://arxiv.org/abs/2401.12345</id><title>T</title></entry>", "has no version"),
        (
            "<entry><id>http://arxiv.org/abs/2401.12345v1</id><title>T</title></entry>",
            "neither <published> nor <updated>",
        ),
        (
            "<entry><id>http://arxiv.org/abs/2401.12345v1</id><title>T</title><published>yesterday</published></entry>",
            "not an ISO datetime",
        ),
    ],
)
def test_a_malformed_entry_is_skipped_and_reported_while_good_ones_are_kept(entry, reason):
    parsed = parse_atom(feed_with(entry + GOOD_ENTRY))
    assert [record["id"] for record in parsed.records] == ["2401.12345"]
    assert len(parsed.errors) == 1
    snippet, why = parsed.errors[0]
    assert snippet.startswith("<entry>")
    assert reason in why


def test_a_minimal_entry_gets_defaults_for_the_optional_fields():
    record = only_record(feed_with(GOOD_ENTRY))
    assert record["version"] == 3
    assert record["abstract"] == "Let $x \\in \\mathbb{R}^n$."
    assert record["categories"] == []
    assert record["primary_category"] is None
    assert record["comment"] is None and record["journal_ref"] is None and record["doi"] is None
    assert record["published"] == "2024-01-22T10:00:00+00:00"
    assert record["updated"] == "2024-03-01T09:30:00+00:00"


def test_a_huge_deeply_nested_malformed_entry_gives_a_short_report():
    depth = 50_000
    entry = "<entry><title>" + "<b>" * depth + "x" + "</b>" * depth + "</title></entry>"
    parsed = parse_atom(feed_with(entry))
    assert parsed.records == []
    assert len(parsed.errors[0][0]) <= 301


@pytest.mark.parametrize("cut", [1, 40, 500, 1500, 3000, -10, -2])
def test_a_truncated_response_is_a_malformed_feed(cut):
    body = fixture("query_1111.2011v2.xml")
    with pytest.raises(MalformedFeed):
        parse_atom(body[:cut])


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   \n",
        b"Service Unavailable",
        b"<html><body>Rate exceeded.</body></html>",
        b'{"error": "nope"}',
        b'<rss version="2.0"><channel/></rss>',
        b"<feed>&nbsp;</feed>",
    ],
)
def test_a_body_that_is_not_an_atom_feed_is_a_malformed_feed(body):
    with pytest.raises(MalformedFeed):
        parse_atom(body)


def test_a_doctype_declaration_is_rejected():
    body = fixture("query_1111.2011v2.xml").replace(
        b"<feed", b'<!DOCTYPE feed SYSTEM "http://evil.example/feed.dtd">\n<feed', 1
    )
    with pytest.raises(MalformedFeed, match="DOCTYPE"):
        parse_atom(body)


def test_an_entity_expansion_bomb_is_rejected_before_it_expands():
    body = (
        b'<?xml version="1.0"?>\n<!DOCTYPE feed [\n<!ENTITY a "aaaaaaaaaa">\n'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n]>\n'
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>&c;</title></feed>'
    )
    with pytest.raises(MalformedFeed):
        parse_atom(body)


def test_an_external_entity_is_rejected():
    body = (
        b'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2401.12345v1</id>'
        b"<title>&xxe;</title></entry></feed>"
    )
    with pytest.raises(MalformedFeed):
        parse_atom(body)


def test_a_doctype_hidden_in_utf16_is_still_rejected():
    body = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE feed [<!ENTITY a "b">]><feed/>'.encode("utf-16")
    with pytest.raises(MalformedFeed):
        parse_atom(body)


def test_malformed_feed_is_a_value_error_with_a_reason():
    with pytest.raises(ValueError) as caught:
        parse_atom(b"<feed")
    assert isinstance(caught.value, MalformedFeed)
    assert caught.value.reason


def _mutations_of(body: bytes):
    return st.tuples(st.integers(0, len(body)), st.integers(0, 40), st.binary(max_size=20)).map(
        lambda cut: body[: cut[0]] + cut[2] + body[cut[0] + cut[1] :]
    )


@given(
    st.one_of(
        st.binary(),
        _mutations_of(fixture("query_1111.2011v2.xml")),
        _mutations_of(fixture("query_astro-ph_0601001.xml")),
        _mutations_of(fixture("query_abc_error_entry.xml")),
    )
)
def test_arbitrary_bytes_give_a_parsed_feed_or_malformed_feed_and_nothing_else(body):
    try:
        parsed = parse_atom(body)
    except MalformedFeed:
        return
    assert isinstance(parsed, ParsedFeed)
    for record in parsed.records:
        assert set(record) == RECORD_KEYS
        assert isinstance(record["version"], int)
        assert record["pdf_url"].startswith("https://arxiv.org/pdf/")
