from django.urls import path

from paperfeed.runtime import views

urlpatterns = [
    path("outbox", views.outbox, name="outbox"),
    path("outbox/<int:pk>", views.outbox_message, name="outbox_message"),
]
