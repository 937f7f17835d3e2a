"""The browsable API docs render in real Chromium from this server's own assets (the test machines are offline)."""

import pytest

from tests.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_swagger_docs_render_every_operation_offline(page, live_server):
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.goto(f"{live_server.url}/api/v1/docs")
    page.locator(".swagger-ui .opblock").first.wait_for()
    assert page.locator(".swagger-ui .opblock").count() >= 20
    assert page.locator(".swagger-ui", has_text="/api/v1/trending").count() == 1
    screenshot(page, "api-docs")
    assert outside == []
