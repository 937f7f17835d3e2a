"""In real Chromium, ▲, Save and Not interested change the page in place without loading another one (the
shared forms.js posts them), and each still works as a plain POST when scripts are off."""

import pytest
from django.utils import timezone

from paperfeed.accounts import follow_actions
from paperfeed.papers.models import Collection, Vote
from paperfeed.recommend.models import NotInterested
from tests.conftest import make_user, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reader(make_paper):
    today = timezone.localdate().isoformat()
    for n in range(3):
        make_paper(f"2611.0050{n}", title=f"Robot grasping study {n}", categories=["cs.RO"], first_listing_date=today)
    user = make_user("dana", days_old=90)
    follow_actions.follow(user, "category", "cs.RO")
    return user


def signed_in(browser, live_server, user, *, scripts=True):
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    context = browser.new_context(viewport={"width": 1100, "height": 900}, java_script_enabled=scripts)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(20_000)
    return page


def test_upvote_save_and_not_interested_change_the_page_in_place(browser, live_server, reader):
    page = signed_in(browser, live_server, reader)
    page.goto(f"{live_server.url}/papers/for-you")
    page.evaluate("window.__same_page = true")
    entries = page.locator("article.entry")
    assert entries.count() == 3

    entries.first.locator("form.vote button").click()
    page.locator("article.entry form.vote button.voted").first.wait_for()
    assert Vote.objects.filter(user=reader).count() == 1

    entries.first.locator("form.save button").click()
    page.locator("article.entry form.save button.saved").first.wait_for()
    assert Collection.objects.get(owner=reader).papers.count() == 1

    gone = entries.nth(1).locator("h3").inner_text()
    entries.nth(1).locator("form.not-interested button").click()
    page.locator("article.entry").nth(2).wait_for(state="detached")  # the page's CSP allows no eval of a string
    assert gone not in page.locator("main").inner_text()
    assert NotInterested.objects.filter(user=reader).count() == 1
    assert page.evaluate("window.__same_page") is True  # no page was loaded on the way
    screenshot(page, "for-you-after-actions")
    page.context.close()


def test_without_scripts_the_same_forms_post_and_come_back(browser, live_server, reader):
    page = signed_in(browser, live_server, reader, scripts=False)
    page.goto(f"{live_server.url}/papers/for-you")
    page.locator("article.entry").first.locator("form.save button").click()
    page.wait_for_load_state("load")
    assert Collection.objects.get(owner=reader).papers.count() == 1
    page.goto(f"{live_server.url}/papers/for-you")
    page.locator("article.entry").first.locator("form.not-interested button").click()
    page.wait_for_load_state("load")
    assert NotInterested.objects.filter(user=reader).count() == 1
    page.context.close()
