"""Every page of the site opens in Chromium at 1280 px and 390 px and is saved to test-output/pages/ for a
person to look at; on a phone no page scrolls sideways and the header takes at most two compact rows."""

from datetime import date

import pytest

from paperfeed.digests import tokens
from paperfeed.papers import paper_actions
from paperfeed.papers.periods import week_of
from paperfeed.search import indexer, replica
from tests.conftest import PASSWORD, TEST_OUTPUT, make_user
from tests.digests_support import subscribe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 390)
PHONE_HEADER_MAX = 90  # two rows of about 36 px plus padding; three rows measured 165 px


@pytest.fixture
def site(make_paper, index_dir):
    day = date(2026, 11, 25)
    kissing = make_paper(
        "2606.18984",
        title="Structure of kissing arrangements in ${\\mathbb R}^{12}$ and a place for the $841$st sphere",
        abstract="Most currently known kissing arrangements of size $840$ in $\\mathbb R^{12}$ share a common "
        "structure. They consist of $60$ vectors supported on $\\mathbb R^6\\times\\{\\mathbf 0\\}$ and $720$ "
        "additional \\emph{bridge vectors}.",
        authors=["Rustem Takhanov", "Zhenisbek Assylbekov", "Stanislav Yun"],
        categories=["cs.IT"],
        first_listing_date=day.isoformat(),
    )
    make_paper(
        "2606.24477",
        title="video-SALMONN-R$^3$: Learning to ReWatch, ReAsk, and ReAnswer for Efficient Video Understanding",
        categories=["cs.CV", "cs.AI"],
        first_listing_date=day.isoformat(),
    )
    for n in range(3):
        make_paper(
            f"2606.3000{n}",
            title=f"A long title about video vectors number {n} " * 2,
            first_listing_date=day.isoformat(),
        )
    carol = make_user("carol")
    for voter in [carol, make_user("dave")]:
        paper_actions.upvote(voter, kissing)
    paper_actions.add_comment(
        carol,
        kissing,
        "Lovely: the $60$ vectors in $\\mathbb R^{12}$.\n\n> quoting the *abstract* here\n\n$$\\sum_i x_i^2$$",
    )
    indexer.catch_up()
    subscription = subscribe("carol@example.org", user=carol, tz="Europe/Berlin")
    yield {"day": day, "manage": f"/digests/manage/{tokens.manage_token(subscription.subscriber_id)}"}
    replica.forget()


def _pages(site) -> dict[str, str]:
    day = site["day"]
    return {
        "daily": f"/papers/date/{day:%Y-%m-%d}",
        "weekly": f"/papers/week/{week_of(day).slug}",
        "monthly": f"/papers/month/{day:%Y-%m}",
        "trending": "/papers/trending",
        "paper": "/papers/2606.18984",
        "search": "/papers/search?q=bridge+vectors",
        "search-none": "/papers/search?q=zzzyzx",
        "search-empty": "/papers/search",
        "about": "/about",
        "digest-subscribe": "/digests/subscribe",
        "digest-manage": site["manage"],
        "api-docs": "/api/v1/docs",
        "map": "/map",
        "trends": "/trends",
        "not-found": "/papers/2606.99999",
    }


def _visit(page, url: str, name: str, width: int) -> tuple[int, float]:
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(url)
    assert response.status == (404 if name == "not-found" else 200), f"{name}: HTTP {response.status}"
    page.wait_for_load_state("networkidle")
    (TEST_OUTPUT / "pages").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(TEST_OUTPUT / "pages" / f"{name}-{width}.png"), full_page=True)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    header = page.evaluate(
        "document.querySelector('header.site')?.getBoundingClientRect().height ?? 0"
    )  # the API docs have their own
    return scroll_width, header


def test_every_page_fits_a_phone_and_is_saved_at_both_widths(page, live_server, site):
    problems = []
    signed_out = {**_pages(site), "login": "/accounts/login/", "signup": "/accounts/signup/"}
    for name, path in signed_out.items():
        for width in WIDTHS:
            scroll_width, header = _visit(page, live_server.url + path, name, width)
            if width == 390 and scroll_width > 390:
                problems.append(f"{name}: {scroll_width} px wide at 390")
            if width == 390 and header > PHONE_HEADER_MAX:
                problems.append(f"{name}: header {header:.0f} px high at 390")

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "carol")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form.stacked button[type=submit]")
    page.wait_for_url("**/papers")
    for name, path in {
        "submit": "/papers/submit",
        "account": "/accounts/",
        "paper-signed-in": "/papers/2606.18984",
    }.items():
        for width in WIDTHS:
            scroll_width, header = _visit(page, live_server.url + path, name, width)
            if width == 390 and (scroll_width > 390 or header > PHONE_HEADER_MAX):
                problems.append(f"{name}: {scroll_width} px wide, header {header:.0f} px at 390")
    assert problems == []


def test_the_phone_header_keeps_brand_and_nav_on_one_row_and_search_below(page, live_server, site):
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"{live_server.url}/papers/date/{site['day']:%Y-%m-%d}")
    top = {sel: page.locator(sel).bounding_box()["y"] for sel in ["header .brand", "header nav", "header .user"]}
    search = page.locator("header .search-box").bounding_box()
    subscribe_box = page.locator("header .subscribe-button").bounding_box()
    assert max(top.values()) - min(top.values()) < 12, top
    assert search["y"] > max(top.values()) + 12 and abs(subscribe_box["y"] - search["y"]) < 12
    assert page.locator("header.site").bounding_box()["height"] <= PHONE_HEADER_MAX


def test_the_search_filters_line_up_in_one_row_on_a_wide_screen(page, live_server, site):
    page.goto(f"{live_server.url}/papers/search?q=vectors")
    boxes = page.locator("main .filters input:not([type=hidden]), main .filters button").evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.top, r.bottom]; })"
    )
    assert len(boxes) == 5
    assert max(b[1] for b in boxes) - min(b[1] for b in boxes) < 2, boxes  # one row, bottoms aligned
    assert page.locator("main input[name=q]").count() == 0  # the query lives in the header box only
