from django.urls import path

from paperfeed.recommend import views

urlpatterns = [
    path("papers/for-you", views.for_you, name="for_you"),
    path("papers/for-you/excluded-words", views.excluded_words, name="for_you_words"),
    path("papers/for-you/follow", views.follow_category, name="for_you_follow"),
    path("papers/for-you/import", views.import_library, name="for_you_import"),
    path("papers/for-you/feed-token", views.rotate_token, name="for_you_token"),
    path("papers/for-you/feed/<str:token>.atom", views.for_you_feed, name="for_you_feed"),
    path("papers/<path:arxiv_id>/not-interested", views.not_interested, name="not_interested"),
]
