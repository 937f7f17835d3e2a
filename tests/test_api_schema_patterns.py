"""The patterns /api/v1's schema publishes agree with the code that decides: every arXiv id or URL the
submission pattern allows parses, the ids the parser accepts match it, and the listing and query patterns are
published where the parameters are."""

import re

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from paperfeed.api import v1_params
from paperfeed.errors import InvalidArxivId
from paperfeed.papers.arxiv_ids import parse_arxiv_id

SUBMITTED = re.compile(v1_params.SUBMITTED_ID)
PATH_ID = re.compile(v1_params.PAPER_PATH_ID)


@hsettings(max_examples=400, deadline=None)
@given(st.from_regex(SUBMITTED, fullmatch=True))
def test_every_id_or_url_the_submission_pattern_allows_parses(text):
    parse_arxiv_id(text)


@hsettings(max_examples=400, deadline=None)
@given(st.from_regex(PATH_ID, fullmatch=True))
def test_every_id_the_path_pattern_allows_parses_and_is_new_style(text):
    assert "/" not in parse_arxiv_id(text).base


@pytest.mark.parametrize(
    "text",
    [
        "2401.12345",
        "2401.12345v2",
        "arXiv:0704.0001",
        "0912.1234v10",
        "hep-th/9901001",
        "math.GT/0309136v1",
        "https://arxiv.org/abs/2401.12345",
        "arxiv.org/pdf/2401.12345v2.pdf",
        "http://export.arxiv.org/html/hep-ph/0701001/",
    ],
)
def test_what_the_parser_accepts_matches_the_submission_pattern(text):
    parse_arxiv_id(text)
    assert SUBMITTED.search(text)


@pytest.mark.parametrize(
    "text", ["2401.00000", "1412.12345", "1501.1234", "2413.12345", "foo/9901001", "hep-th/0801001", "2401.1234"]
)
def test_what_the_parser_refuses_the_pattern_refuses(text):
    with pytest.raises(InvalidArxivId):
        parse_arxiv_id(text)
    assert not SUBMITTED.search(text)


@pytest.mark.django_db
def test_the_schema_publishes_the_patterns_formats_and_414(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]

    def param(path, name, method="get"):
        return next(p for p in paths[path][method]["parameters"] if p["name"] == name)["schema"]

    assert param("/api/v1/listings/date/{day}", "day")["format"] == "date"
    assert param("/api/v1/listings/week/{week}", "week")["pattern"] == v1_params.WEEK
    assert param("/api/v1/listings/month/{month}", "month")["pattern"] == v1_params.MONTH
    assert param("/api/v1/papers/{arxiv_id}", "arxiv_id")["pattern"] == v1_params.PAPER_PATH_ID
    assert param("/api/v1/search", "q")["pattern"] == v1_params.QUERY
    assert param("/api/v1/categories/{category}/papers", "category")["maxLength"] == 200
    submission = schema["components"]["schemas"]["SubmissionIn"]["properties"]["arxiv_id"]
    assert submission["pattern"] == v1_params.SUBMITTED_ID
    for operations in paths.values():
        for operation in operations.values():
            assert "text/html" in operation["responses"]["414"]["content"]
