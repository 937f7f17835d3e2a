"""Sign-up that does not tell whether an address has an account.

Every valid sign-up gets the same answer ("check your email"), and the address gets the mail: a new address
a link that activates the account (it stays inactive until then), an address with an account already a notice
that someone tried to sign up with it, with links to log in or reset the password. Only the owner of the
address learns which. Both paths hash the password, so the time taken tells nothing either.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode


def register(form, *, base_url: str) -> None:
    """Act on a valid SignupForm; the caller shows the same page whatever happened."""
    email = form.cleaned_data["email"]
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        user = form.save(commit=False)
        user.is_active = False
        user.save()
        _mail(user, "activate", base_url)
        return
    make_password(form.cleaned_data["password1"])  # the same work as a new account's, so timing tells nothing
    _mail(existing, "activate" if _pending(existing) else "exists", base_url)


def _pending(user) -> bool:
    # Signed up, never confirmed, and its link could still be valid: the owner lost the mail, send it again.
    age = timezone.now() - user.date_joined
    return not user.is_active and user.last_login is None and age < timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)


def _mail(user, kind: str, base_url: str) -> None:
    site = settings.PAPERFEED["SITE_NAME"]
    context = {"user": user, "site_name": site, "base_url": base_url.rstrip("/")}
    if kind == "activate":
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        context["link"] = base_url.rstrip("/") + reverse(
            "signup_confirm", kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)}
        )
        subject = f"{site}: confirm your account"
    else:
        subject = f"{site}: someone tried to sign up with your address"
    body = render_to_string(f"accounts/signup_{kind}_email.txt", context)
    send_mail(subject, body, None, [user.email])


def confirm(uidb64: str, token: str):
    """The user whose activation link this is, now active; None for a link that is wrong, used or expired."""
    try:
        user = User.objects.get(pk=int(urlsafe_base64_decode(uidb64).decode()))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        return None
    if user.is_active or not default_token_generator.check_token(user, token):
        return None
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user
