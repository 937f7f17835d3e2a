"""Every page carries a Content-Security-Policy that allows no inline script, and every page of the site passes
it in real Chromium: no violation while it loads, clicks an upvote, and renders math, comments and the API docs."""

import json

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from paperfeed.library import collections
from paperfeed.papers import paper_actions
from paperfeed.papers.periods import week_of
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_response_carries_a_policy_without_unsafe_inline_script(client, make_paper):
    make_paper("2501.00001")
    for url in ["/papers", "/papers/2501.00001", "/accounts/login/", "/api/v1/docs", "/nowhere"]:
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
        assert directives["script-src"] == "'self'", url
        assert "unsafe-inline" not in directives.get("style-src", ""), url
        assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'", url


def test_a_violation_report_is_logged_and_answered_with_204(client, caplog):
    report = {"csp-report": {"document-uri": "http://x/papers", "effective-directive": "script-src-elem"}}
    response = client.post("/csp-report", json.dumps(report), content_type="application/csp-report")
    assert response.status_code == 204
    assert "CSP violation on http://x/papers: script-src-elem" in caplog.text
    assert client.post("/csp-report", b"not json", content_type="application/csp-report").status_code == 400


def test_no_page_of_the_site_violates_the_policy_in_chromium(page, live_server, make_paper):
    today = timezone.localdate()
    paper = make_paper(
        "2501.00002",
        title="Bounds in ${\\mathbb R}^{12}$ and $\\alpha^2$",
        abstract="We show $\\sum_{i=1}^n x_i \\le \\sqrt{n}$ for \\emph{all} inputs.",
    )
    make_user("carol")
    paper_actions.add_comment(User.objects.get(username="carol"), paper, "Nice *result*, see `code`.")
    item, _ = collections.add_paper(collections.default_collection(User.objects.get(username="carol")), paper)
    collections.set_note(item, "Uses $x^2$, see **this**.")
    violations = []
    page.on("console", lambda m: violations.append(f"{page.url}: {m.text}") if "Content Security" in m.text else None)

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "carol")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form.stacked button[type=submit]")
    page.wait_for_url("**/papers")

    urls = [
        "/papers",
        "/papers/trending",
        f"/papers/date/{today:%Y-%m-%d}",
        f"/papers/week/{week_of(today).slug}",
        f"/papers/month/{today:%Y-%m}",
        "/papers/2501.00002",
        "/papers/search?q=bounds",
        "/papers/submit",
        "/about",
        "/accounts/",
        "/digests/subscribe",
        "/u/carol/collections",
        "/u/carol/c/reading-list?sort=position",
        "/api/v1/docs",
        "/papers/9999.99999",
        "/map",
        "/trends",
    ]
    for url in urls:
        page.goto(live_server.url + url)
        page.wait_for_load_state("load")
    page.goto(f"{live_server.url}/papers/2501.00002")
    page.locator("form.vote button, .vote button").first.click()
    page.wait_for_timeout(300)
    page.context.clear_cookies()
    for url in ["/accounts/login/", "/accounts/signup/", "/accounts/password_reset/"]:
        page.goto(live_server.url + url)
        page.wait_for_load_state("load")
    assert violations == []
