from django.urls import path

from paperfeed.papers import views

urlpatterns = [
    path("papers", views.papers_latest, name="papers"),
    path("papers/trending", views.papers_trending, name="trending"),
    path("papers/submit", views.paper_submit, name="submit"),
    path("papers/date/<str:slug>", views.papers_date, name="papers_date"),
    path("papers/week/<str:slug>", views.papers_week, name="papers_week"),
    path("papers/month/<str:slug>", views.papers_month, name="papers_month"),
    path("papers/cat/<str:category>", views.category_page, name="category"),
    path("authors/<str:name>", views.author_page, name="author"),
    path("papers/<path:arxiv_id>/vote", views.paper_vote, name="paper_vote"),
    path("papers/<path:arxiv_id>/comments", views.paper_comment, name="paper_comment"),
    path("papers/<path:arxiv_id>", views.paper_detail, name="paper"),
    path("about", views.about, name="about"),
]
