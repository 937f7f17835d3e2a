"""A username cannot pass for another: homoglyphs of a taken name, mixed scripts, other cases and compatibility
forms of it are refused; an honest name in one non-Latin script is welcome."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def sign_up(username):
    return Client().post(
        "/accounts/signup/",
        {
            "username": username,
            "email": f"{abs(hash(username))}@example.net",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


@pytest.mark.parametrize(
    "lookalike",
    [
        "s\u0435cadmin",  # Cyrillic е
        "\u0455\u0435\u0441\u0430dmin",  # Cyrillic ѕ, е, с, а with Latin dmin
        "SecAdmin",
        "\uff53\uff45\uff43\uff41\uff44\uff4d\uff49\uff4e",  # full-width, NFKC folds it to secadmin
    ],
)
def test_a_name_that_looks_like_a_taken_one_is_refused(db, smtp, lookalike):
    make_user("secadmin")
    response = sign_up(lookalike)
    assert response.status_code == 400
    assert User.objects.count() == 1


def test_a_name_that_mixes_scripts_is_refused_and_says_why(db, smtp):
    response = sign_up("paypa\u0406")  # Cyrillic І
    assert response.status_code == 400 and b"one alphabet" in response.content


def test_a_whole_script_lookalike_of_a_latin_name_is_refused(db, smtp):
    make_user("ace")
    assert sign_up("\u0430\u0441\u0435").status_code == 400  # Cyrillic а, с, е


def test_a_latin_lookalike_of_an_existing_cyrillic_name_is_refused(db, smtp):
    make_user("\u0430\u0441\u0435")
    assert sign_up("ace").status_code == 400


def test_an_honest_name_in_one_other_script_is_accepted(db, smtp):
    assert sign_up("\u0438\u0432\u0430\u043d_42").status_code == 200  # иван_42
    assert User.objects.filter(username="\u0438\u0432\u0430\u043d_42").exists()
