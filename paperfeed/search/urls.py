from django.urls import path

from paperfeed.search import views

urlpatterns = [
    path("papers/search", views.search_page, name="search"),
]
