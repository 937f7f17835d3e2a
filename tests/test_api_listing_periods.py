"""Day, week and month listings: what the pattern allows is answered, a day or week that does not exist is a 400,
a period before arXiv is an empty page, and a slug of the wrong shape is a 422."""

import pytest

pytestmark = pytest.mark.django_db


def error(response):
    return response.status_code, response.json()["error"]["code"]


def test_a_period_that_cannot_exist_is_a_400(client):
    assert error(client.get("/api/v1/listings/date/2026-02-30")) == (400, "invalid_date")
    week53 = client.get("/api/v1/listings/week/2025-W53")  # 2025 starts on a Wednesday and is not a leap year
    assert error(week53) == (400, "invalid_date") and "no ISO week 53" in week53.json()["error"]["message"]


def test_a_week_53_that_exists_is_answered(client):
    assert client.get("/api/v1/listings/week/2026-W53").status_code == 200  # 2026 starts on a Thursday


def test_periods_before_arxiv_or_far_ahead_are_empty_pages(client):
    for url in ["/api/v1/listings/date/0001-01-01", "/api/v1/listings/week/1990-W01", "/api/v1/listings/month/9999-12"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.json()["items"] == [] and response.json()["total"] == 0, url
    assert error(client.get("/api/v1/listings/month/0000-01?page=2")) == (404, "page_not_found")


def test_a_slug_of_the_wrong_shape_is_a_422(client):
    for url in ["/api/v1/listings/date/0", "/api/v1/listings/week/2026-07", "/api/v1/listings/month/2026-13"]:
        assert error(client.get(url)) == (422, "invalid_request"), url
