"""In real Chromium: create an API token on the account page, use it from a script, revoke it with the button."""

import httpx
import pytest

from paperfeed.papers.models import Vote
from tests.conftest import PASSWORD, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_token_made_on_the_account_page_works_until_revoked_there(page, live_server, alice, make_paper):
    make_paper("2602.00001", title="Votable", first_listing_date="2026-02-10")
    page.goto(f"{live_server.url}/accounts/login/?next=/accounts/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/")
    page.fill("#api-tokens input[name=name]", "lab chat bot")
    page.click("#api-tokens button:has-text('Create token')")
    secret = page.locator("#token-secret").inner_text().strip()
    assert secret.startswith("pf_")
    screenshot(page, "api-token-created")

    headers = {"Authorization": f"Bearer {secret}"}
    voted = httpx.put(f"{live_server.url}/api/v1/papers/2602.00001/vote", headers=headers)
    assert voted.status_code == 200 and Vote.objects.filter(user=alice).count() == 1

    page.goto(f"{live_server.url}/accounts/")
    row = page.locator("#api-tokens tr", has_text="lab chat bot")
    assert secret[:10] in row.inner_text() and secret not in page.content()
    page.locator("#api-tokens").scroll_into_view_if_needed()
    screenshot(page, "api-tokens")
    row.locator("button:has-text('Revoke')").click()
    page.wait_for_url("**/accounts/")
    assert "revoked" in page.locator("#api-tokens tr", has_text="lab chat bot").inner_text()
    refused = httpx.delete(f"{live_server.url}/api/v1/papers/2602.00001/vote", headers=headers)
    assert refused.status_code == 401 and Vote.objects.filter(user=alice).count() == 1
