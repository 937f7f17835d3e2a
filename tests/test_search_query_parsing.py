"""What a user types is split into words, "quoted phrases", author: and cat:; bad input gets a clear 400."""

import pytest

from paperfeed.errors import BadRequest
from paperfeed.search.query import parse_query


def test_words_phrases_and_operators_are_told_apart():
    q = parse_query('graph "neural network" author:"Alan Turing" cat:cs.LG diffusion author:hinton')
    assert q.words == ("graph", "diffusion")
    assert q.phrases == (("neural", "network"),)
    assert q.authors == ("Alan Turing", "hinton")
    assert q.categories == ("cs.LG",)
    assert q.text == "graph diffusion neural network"


def test_an_unclosed_quote_runs_to_the_end_instead_of_failing():
    q = parse_query('transformers "attention is all')
    assert q.words == ("transformers",)
    assert q.phrases == (("attention", "is", "all"),)


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_an_empty_query_is_refused_with_a_hint(raw):
    with pytest.raises(BadRequest) as exc:
        parse_query(raw)
    assert exc.value.code == "empty_query" and "Type some words" in exc.value.message


def test_a_query_of_only_punctuation_is_refused_with_a_reason():
    with pytest.raises(BadRequest) as exc:
        parse_query('!!! ??? ... "" -- ;;')
    assert exc.value.code == "nothing_to_search"


def test_a_ten_thousand_character_query_is_refused_with_the_limit_named():
    with pytest.raises(BadRequest) as exc:
        parse_query("a" * 10_000)
    assert exc.value.code == "query_too_long" and "1,000" in exc.value.message


def test_very_many_words_are_cut_with_a_notice(settings):
    settings.PAPERFEED = {**settings.PAPERFEED, "SEARCH_MAX_QUERY_TERMS": 5}
    q = parse_query("one two three four five six seven")
    assert q.words == ("one", "two", "three", "four", "five")
    assert any("first 5 words" in n for n in q.notices)


def test_a_bad_category_is_ignored_with_a_notice_not_an_error():
    q = parse_query("robots cat:<script>")
    assert q.categories == () and q.words == ("robots",)
    assert q.notices
