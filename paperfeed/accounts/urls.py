from django.conf import settings
from django.contrib.auth import views as auth
from django.urls import path

from paperfeed.accounts import views

# Django's auth views name the site by the request's host ("127.0.0.1:8000"); the hub has a name of its own.
NAMED = {"site_name": settings.PAPERFEED["SITE_NAME"]}

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signup/confirm/<uidb64>/<token>/", views.signup_confirm, name="signup_confirm"),
    path("", views.account, name="account"),
    path("login/", auth.LoginView.as_view(extra_context=NAMED), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path(
        "password_reset/",
        auth.PasswordResetView.as_view(extra_context=NAMED, extra_email_context=NAMED),
        name="password_reset",
    ),
    path("password_reset/done/", auth.PasswordResetDoneView.as_view(extra_context=NAMED), name="password_reset_done"),
    path(
        "reset/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(extra_context=NAMED),
        name="password_reset_confirm",
    ),
    path("reset/done/", auth.PasswordResetCompleteView.as_view(extra_context=NAMED), name="password_reset_complete"),
    path("password_change/", auth.PasswordChangeView.as_view(extra_context=NAMED), name="password_change"),
    path(
        "password_change/done/", auth.PasswordChangeDoneView.as_view(extra_context=NAMED), name="password_change_done"
    ),
]

urlpatterns += [
    path("digests", views.digests, name="account_digests"),
    path("follows", views.follow_add, name="follow_add"),
    path("follows/<int:follow_id>/delete", views.follow_remove, name="follow_remove"),
    path("saved-searches", views.saved_search_add, name="saved_search_add"),
    path("saved-searches/<int:search_id>", views.saved_search_update, name="saved_search_update"),
]
