from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User

from paperfeed.accounts import usernames


class SignupForm(UserCreationForm):
    email = forms.EmailField(required=True, help_text="Used only to reset your password and for mail you ask for.")

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def clean_username(self):
        username = super().clean_username()  # NFKC (UsernameField) and a case-insensitive "taken" check
        if username and (why := usernames.problem(username)):
            raise forms.ValidationError(why)
        return username

    def clean_email(self):
        # Whether the address has an account already is not said here (it would tell anyone who has one):
        # accounts/signup.py mails the address instead, and the page says the same either way.
        return self.cleaned_data["email"].strip().lower()
