from django.urls import path

from paperfeed.topics import views

urlpatterns = [
    path("map", views.map_page, name="map"),
    path("map/overlay.json", views.map_overlay, name="map_overlay"),
    path("topics/<int:topic_id>", views.topic_page, name="topic"),
    path("topics/<int:topic_id>/<str:kind>.svg", views.topic_chart, name="topic_chart"),
    path("trends", views.trends_page, name="trends"),
]
