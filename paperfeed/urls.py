from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from paperfeed.lib.csp_report import csp_report
from paperfeed.recommend import views as recommend_views

urlpatterns = [
    path("", recommend_views.landing, name="landing"),
    path("", include("paperfeed.search.urls")),
    path("", include("paperfeed.feeds.urls")),
    path("", include("paperfeed.api.urls")),
    path("", include("paperfeed.digests.urls")),
    path("", include("paperfeed.library.urls")),
    path("", include("paperfeed.recommend.urls")),
    path("", include("paperfeed.topics.urls")),
    path("", include("paperfeed.papers.urls")),
    path("accounts/", include("paperfeed.accounts.urls")),
    path("", include("paperfeed.runtime.urls")),
    path("admin/", admin.site.urls),
    path("csp-report", csp_report, name="csp_report"),
    # Feed readers and browsers without the page's <link rel=icon> still ask for /favicon.ico.
    path("favicon.ico", RedirectView.as_view(url=static("paperfeed/favicon.svg"), permanent=True)),
]

handler400 = "paperfeed.lib.error_views.bad_request"
handler403 = "paperfeed.lib.error_views.permission_denied"
handler404 = "paperfeed.lib.error_views.not_found"
handler500 = "paperfeed.lib.error_views.server_error"
