"""In real Chromium, on a collection page: a note (math rendered), Mark read and ↑/↓ change the page in place
without loading another one; a note over the limit shows the reason beside the field with the text kept; with
scripts off the same forms post and come back."""

import pytest

from paperfeed.library import collections
from paperfeed.papers.models import CollectionItem
from tests.conftest import make_user
from tests.test_forms_work_without_a_reload import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reader(make_paper):
    user = make_user("erin", days_old=90)
    c = collections.default_collection(user)
    for n in range(1, 4):
        collections.add_paper(c, make_paper(f"2611.0060{n}", title=f"Grasping study {n}"))
    return user


def item(arxiv_id: str) -> CollectionItem:
    return CollectionItem.objects.get(paper__arxiv_id=arxiv_id)


def test_note_read_and_order_change_in_place(browser, live_server, reader):
    page = signed_in(browser, live_server, reader)
    page.goto(f"{live_server.url}/u/erin/c/reading-list?sort=position")
    page.evaluate("window.__same_page = true")
    first = page.locator("#i-2611\\.00601")

    first.locator("details.note-edit summary").click()
    first.locator("textarea").fill("Bound: $x^2$ and **tight**")
    first.locator("form.note-form button[type=submit]").click()
    first.locator(".note math").wait_for()
    assert first.locator(".note strong").inner_text() == "tight"
    assert first.locator("form.note-form .save-status").inner_text() == "Note saved."
    assert item("2611.00601").note == "Bound: $x^2$ and **tight**"

    first.locator("textarea").fill("x" * 10_001)
    first.locator("form.note-form button[type=submit]").click()
    first.locator("form.note-form .field-error:not([hidden])").wait_for()
    assert "at most 10,000 fit" in first.locator("form.note-form .field-error").inner_text()
    assert len(first.locator("textarea").input_value()) == 10_001  # the text is kept
    assert item("2611.00601").note == "Bound: $x^2$ and **tight**"

    first.locator("form.item-read button").click()
    page.locator("#i-2611\\.00601.read").wait_for()
    assert first.locator("form.item-read button").inner_text() == "Mark unread"
    assert item("2611.00601").read is True

    last = page.locator("#i-2611\\.00603")
    last.locator("form.item-move button[value=up]").click()
    page.locator("article.collection-item:nth-of-type(2)#i-2611\\.00603").wait_for()
    ids = page.locator("article.collection-item").evaluate_all("els => els.map(e => e.id)")
    assert ids == ["i-2611.00601", "i-2611.00603", "i-2611.00602"]
    assert [i.paper.arxiv_id for i in collections.items(item("2611.00601").collection, sort="position")] == [
        "2611.00601",
        "2611.00603",
        "2611.00602",
    ]
    assert page.locator("#i-2611\\.00602 form.item-move button[value=down]").is_disabled()
    assert page.evaluate("window.__same_page") is True  # no page was loaded on the way
    page.context.close()


def test_without_scripts_the_note_and_read_forms_post_and_come_back(browser, live_server, reader):
    page = signed_in(browser, live_server, reader, scripts=False)
    page.goto(f"{live_server.url}/u/erin/c/reading-list?sort=position")
    second = page.locator("#i-2611\\.00602")
    second.locator("details.note-edit summary").click()
    second.locator("textarea").fill("Read with $\\alpha$ in mind")
    second.locator("form.note-form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert "Note saved." in page.locator("main").inner_text()
    assert page.locator("#i-2611\\.00602 .note math").count() == 1
    page.locator("#i-2611\\.00602 form.item-read button").click()
    page.wait_for_load_state("load")
    assert item("2611.00602").read is True
    page.locator("#i-2611\\.00602 form.item-move button[value=up]").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("?sort=position#i-2611.00602")
    assert page.locator("article.collection-item").first.get_attribute("id") == "i-2611.00602"
    page.context.close()
