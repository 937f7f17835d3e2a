"""A BibTeX file of 5,000 real arXiv papers imports into a collection from the page: in Chromium the form shows
the upload's progress and then that the entries are being matched, and lands on the collection with the count;
without scripts the same form posts and comes back with the message; the page shows the papers 100 at a time."""

import gzip
import json

import pytest

from paperfeed.ingest.store import ingest_records
from paperfeed.library import collections
from paperfeed.papers.models import CollectionItem
from tests.conftest import make_user
from tests.shared_data import shared_path
from tests.test_forms_work_without_a_reload import signed_in
from tests.test_library_import_parsing import bibtex_styles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
N = 5000


@pytest.fixture
def library_file(tmp_path, db):
    records = []
    with gzip.open(shared_path("data", "arxiv-daily-cs", "papers.jsonl.gz"), "rt") as lines:
        for line in lines:
            records.append(json.loads(line))
            if len(records) == N:
                break
    ingest_records(records, source="test")
    path = tmp_path / "my-library.bib"
    path.write_text("".join(bibtex_styles(r, n) for n, r in enumerate(records)))
    return path


@pytest.fixture
def reader(db):
    user = make_user("fran", days_old=90)
    collections.create(user, "Imported")
    return user


def test_the_import_shows_its_progress_and_lands_on_the_collection(browser, live_server, reader, library_file):
    page = signed_in(browser, live_server, reader)
    statuses: list[str] = []
    page.expose_function("recordStatus", lambda text: statuses.append(text))
    page.goto(f"{live_server.url}/u/fran/c/imported")
    # What the status line says along the way, recorded as it changes (the page navigates away at the end).
    page.evaluate(
        """() => { const status = document.querySelector(".import-status");
        new MutationObserver(() => window.recordStatus(status.textContent))
          .observe(status, {childList: true, characterData: true, subtree: true}); }"""
    )
    page.set_input_files("#import-file", str(library_file))
    page.click("form.import-form button[type=submit]")
    page.locator("ul.messages", has_text="Imported 5000 papers from 5000 BibTeX entries into Imported.").wait_for(
        timeout=60_000
    )
    assert page.url == f"{live_server.url}/u/fran/c/imported"
    assert statuses[0] == "Uploading…"
    assert any(s.startswith("Uploaded; finding the papers") for s in statuses), statuses
    assert CollectionItem.objects.filter(collection__slug="imported").count() == N
    assert page.locator("article.collection-item").count() == collections.PAGE_SIZE
    assert "page 1 of 5000 papers" in page.locator("nav.pager").inner_text()
    page.click("nav.pager >> text=More →")
    page.wait_for_url("**page=2")
    assert page.locator("article.collection-item").count() == collections.PAGE_SIZE
    page.context.close()


def test_without_scripts_the_import_posts_and_comes_back_with_the_message(browser, live_server, reader, library_file):
    page = signed_in(browser, live_server, reader, scripts=False)
    page.goto(f"{live_server.url}/u/fran/c/imported")
    page.set_input_files("#import-file", str(library_file))
    page.click("form.import-form button[type=submit]")
    page.locator("ul.messages", has_text="Imported 5000 papers").wait_for(timeout=60_000)
    assert page.url == f"{live_server.url}/u/fran/c/imported"
    assert "5000 added, 0 already here, 0 not found of 5000 entries." in page.locator(".import-result").inner_text()
    page.context.close()
