"""Every page names the site's icon, and /favicon.ico, which clients ask for anyway, leads to it."""


def test_favicon_ico_leads_to_the_icon_that_every_page_names(client, db):
    page = client.get("/about").content.decode()
    assert '<link rel="icon" href="/static/paperfeed/favicon.svg"' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/paperfeed/favicon.svg"
    icon = client.get(response["Location"])
    assert icon.status_code == 200 and b"<svg" in b"".join(icon.streaming_content)
