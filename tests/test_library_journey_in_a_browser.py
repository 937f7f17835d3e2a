"""A reader's library in real Chromium, as a new user meets it: sign up, save three papers from a listing, a
search result and a paper page, write a note with math, mark one read, show the unread, export BibTeX and read
it back, open an author page from a listing and follow, with the message; the same screens at phone width.
Screenshots go to test-output/library/."""

import bibtexparser
import pytest

from paperfeed.accounts.models import Follow
from paperfeed.papers.models import CollectionItem
from paperfeed.search import indexer
from tests.browser_support import sign_up
from tests.conftest import TEST_OUTPUT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OUT = TEST_OUTPUT / "library"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def hub(make_paper, index_dir):
    make_paper(
        "2611.00701",
        title="Tactile sensing for dexterous robot hands",
        authors=["Mira Okafor", "Jonas Weber"],
        categories=["cs.RO"],
        abstract="Robot hands learn to grasp with touch sensors and $\\ell_1$ regularisation.",
    )
    make_paper(
        "2611.00702",
        title="Quantum error correction with surface codes",
        authors=["Lena Fischer"],
        categories=["quant-ph"],
        abstract="Surface codes protect logical qubits from noise.",
    )
    make_paper(
        "2611.00703",
        title="Sparse attention for long documents",
        authors=["Ravi Iyer", "Mira Okafor"],
        categories=["cs.CL"],
        abstract="Attention over long inputs in $O(n \\log n)$ time.",
    )
    indexer.catch_up()


def shot(page, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUT / f"{name}.png"))


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways on a phone ({width}px)"


def save_here(page, entry) -> None:
    entry.locator("form.save button").click()
    entry.locator("form.save button.saved").wait_for()


def test_a_reader_keeps_a_library(browser, live_server, hub, smtp):
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    sign_up(page, base, smtp, "reader")

    # Three saves from three kinds of page, each without a reload
    page.goto(f"{base}/papers")
    save_here(page, page.locator("article.entry", has_text="Tactile sensing"))
    shot(page, "listing-after-save")
    page.goto(f"{base}/papers/search?q=surface+codes")
    save_here(page, page.locator("article.hit", has_text="Quantum error correction"))
    page.goto(f"{base}/papers/2611.00703")
    save_here(page, page.locator("main"))
    assert page.locator("form.save .save-status").inner_text() == "Saved to Reading list."
    saved = CollectionItem.objects.filter(collection__owner__username="reader")
    assert sorted(saved.values_list("paper__arxiv_id", flat=True)) == ["2611.00701", "2611.00702", "2611.00703"]

    # A note with math, rendered as MathML as abstracts are
    page.goto(f"{base}/u/reader/collections")
    page.click("text=Reading list")
    page.wait_for_url("**/u/reader/c/reading-list")
    assert page.locator("article.collection-item").count() == 3
    tactile = page.locator("#i-2611\\.00701")
    tactile.locator("details.note-edit summary").click()
    tactile.locator("textarea").fill("Grip force grows as $x^2$; compare with **Weber's** law.")
    tactile.locator("form.note-form button[type=submit]").click()
    math = tactile.locator(".note math")
    math.wait_for()
    box = math.bounding_box()
    assert box and box["width"] > 0 and box["height"] > 0
    assert "$" not in tactile.locator(".note").inner_text()

    # Mark one read, then show only the unread
    page.locator("#i-2611\\.00702 form.item-read button").click()
    page.locator("#i-2611\\.00702.read").wait_for()
    page.reload()
    shot(page, "collection")
    page.click("nav.sorts >> text=Unread")
    page.wait_for_url("**unread=1")
    shown = page.locator("article.collection-item").evaluate_all("els => els.map(e => e.id)")
    assert sorted(shown) == ["i-2611.00701", "i-2611.00703"]
    shot(page, "collection-unread")

    # Export BibTeX and read it back
    with page.expect_download() as download:
        page.click("footer.list-links >> text=BibTeX")
    library = bibtexparser.parse_file(download.value.path())
    assert sorted(e.fields_dict["eprint"].value for e in library.entries) == ["2611.00701", "2611.00702", "2611.00703"]
    assert len(library.entries) == saved.count() and not library.failed_blocks

    # From a listing to an author page, and follow
    page.goto(f"{base}/papers")
    page.locator("article.entry", has_text="Sparse attention").locator("a", has_text="Mira Okafor").click()
    page.wait_for_url("**/authors/Mira%20Okafor")
    assert page.locator("article.entry").count() == 2
    page.locator("form.follow-form button").click()
    page.locator("ul.messages", has_text="Following Mira Okafor.").wait_for()
    assert page.locator("form.follow-form button").inner_text() == "✓ Following"
    assert Follow.objects.filter(user__username="reader", kind="author", value="Mira Okafor").exists()
    shot(page, "author-followed")

    # The same screens at phone width
    phone = browser.new_context(viewport=PHONE, is_mobile=True, storage_state=context.storage_state())
    small = phone.new_page()
    for name, url in [
        ("phone-listing", "/papers"),
        ("phone-collection", "/u/reader/c/reading-list"),
        ("phone-author", "/authors/Mira%20Okafor"),
        ("phone-collections", "/u/reader/collections"),
    ]:
        small.goto(base + url)
        no_sideways_scroll(small)
        shot(small, name)
        if name == "phone-collection":
            assert small.locator("#i-2611\\.00701 .note math").count() == 1
    phone.close()
    context.close()
