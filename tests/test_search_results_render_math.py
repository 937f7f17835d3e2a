"""Search results show titles and abstracts with their LaTeX rendered as on the paper page, the query's words
still marked in the prose, on real LaTeX-heavy arXiv records; and the results header names no model or count."""

import gzip
import json
import re
from html.parser import HTMLParser

import pytest

from paperfeed.search import indexer, replica
from paperfeed.search.highlight import query_terms, snippet
from paperfeed.search.query import parse_query
from tests.shared_data import shared_path

pytestmark = pytest.mark.django_db

IDS = {"2606.18984", "2606.24477", "2606.03299"}


@pytest.fixture(scope="module")
def records():
    found = {}
    with gzip.open(shared_path("data", "arxiv-daily-cs", "papers.jsonl.gz"), "rt") as lines:
        for line in lines:
            if line[8:18] in IDS:
                record = json.loads(line)
                found[record["id"]] = record
                if len(found) == len(IDS):
                    break
    return found


@pytest.fixture
def indexed(index_dir, make_paper, records):
    for r in records.values():
        make_paper(r["id"], title=r["title"], abstract=r["abstract"], authors=r["authors"], categories=r["categories"])
    indexer.catch_up()
    yield
    replica.forget()


class _Checker(HTMLParser):
    """Every tag opened is closed in order, and no <mark> sits inside <math>."""

    VOID = {"input", "meta", "link", "br", "img", "hr"}

    def __init__(self):
        super().__init__()
        self.stack, self.marks_in_math, self.mismatched = [], 0, []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        if tag == "mark" and "math" in self.stack:
            self.marks_in_math += 1
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.mismatched.append(tag)
        else:
            self.stack.pop()


def _results(client, q):
    html = client.get("/papers/search", {"q": q}).content.decode()
    return html[html.index("<main>") : html.index("</main>")]


def test_titles_with_math_render_as_mathml_with_their_words_marked(client, indexed):
    html = _results(client, "kissing arrangements salmonn")
    assert "$" not in html and "\\mathbb" not in html and "^{12}" not in html
    assert "ℝ" in html and "<math" in html
    assert "<mark>kissing</mark> <mark>arrangements</mark>" in html
    assert "video-<mark>SALMONN</mark>-R<math" in html
    checker = _Checker()
    checker.feed(html)
    assert checker.marks_in_math == 0 and not checker.mismatched


def test_abstract_snippets_render_text_mode_latex_and_keep_marks(client, indexed):
    html = _results(client, "bridge vectors")
    assert "\\emph" not in html and "$" not in html
    assert "<em><mark>bridge</mark> <mark>vectors</mark></em>" in html


def test_a_snippet_never_cuts_a_formula_or_a_braced_group(records):
    abstract = records["2606.03299"]["abstract"]
    terms = query_terms(parse_query("vectors"))
    for words in range(5, 60, 3):
        html = snippet(abstract, terms, words=words)
        prose = re.sub(r"<math.*?</math>", "", html, flags=re.S)
        assert "$" not in prose and "\\" not in prose and "{" not in prose and "}" not in prose, words


def test_a_word_inside_math_is_left_unmarked_and_the_mathml_whole(client, indexed):
    html = _results(client, "R")
    checker = _Checker()
    checker.feed(html)
    assert checker.marks_in_math == 0 and not checker.mismatched
