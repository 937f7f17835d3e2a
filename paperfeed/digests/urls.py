from django.urls import path

from paperfeed.digests import views

urlpatterns = [
    path("digests/subscribe", views.subscribe, name="digest_subscribe"),
    path("digests/confirm/<str:token>", views.confirm, name="digest_confirm"),
    path("digests/unsubscribe/<str:token>", views.unsubscribe, name="digest_unsubscribe"),
    path("digests/manage/<str:token>", views.manage, name="digest_manage"),
    path("digests/preview/<str:email>", views.preview, name="digest_preview"),
]
