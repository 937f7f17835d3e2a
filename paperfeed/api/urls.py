from django.urls import path

from paperfeed.api import hf_views, token_views
from paperfeed.api.v1 import api

urlpatterns = [
    path("api/daily_papers", hf_views.daily_papers, name="hf_daily_papers"),
    path("api/papers/search", hf_views.papers_search, name="hf_papers_search"),
    path("api/papers/<path:arxiv_id>", hf_views.paper, name="hf_paper"),
    path("api/v1/", api.urls),
    path("accounts/tokens/new", token_views.create, name="api_token_create"),
    path("accounts/tokens/<int:pk>/revoke", token_views.revoke, name="api_token_revoke"),
]
