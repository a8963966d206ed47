"""The searchable LEA picker: search by name, city, county, CDS code; closed LEAs left out."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from requests_intake import lea_search
from requests_intake.models import LeaMembership, LocalEducationalAgency
from tests.factories import LeaFactory

pytestmark = pytest.mark.django_db
CLOSED = LocalEducationalAgency.Status.CLOSED


@pytest.fixture
def directory(db):
    return {
        "oakland": LeaFactory(
            name="Oakland Unified", city="Oakland", county="Alameda", cds_code="01612590000000"
        ),
        "fresno": LeaFactory(
            name="Fresno Unified", city="Fresno", county="Fresno", cds_code="10621660000000"
        ),
        "clovis": LeaFactory(
            name="Clovis Unified", city="Clovis", county="Fresno", cds_code="10621170000000"
        ),
        "closed": LeaFactory(
            name="Oakwood Elementary (closed)", city="Oakdale", county="Stanislaus", status=CLOSED
        ),
        "sac": LeaFactory(
            name="Sacramento City Unified",
            city="Sacramento",
            county="Sacramento",
            cds_code="34674390000000",
        ),
    }


def names(query):
    return [lea.name for lea in lea_search.search_leas(query).leas]


def test_three_letters_of_the_name_find_it(directory):
    assert names("oak") == ["Oakland Unified"]
    assert names("UNI") == ["Clovis Unified", "Fresno Unified", "Oakland Unified"] + [
        "Sacramento City Unified"
    ]


def test_the_city_finds_the_lea(directory):
    assert names("clovis") == ["Clovis Unified"]


def test_the_county_finds_its_leas_names_starting_with_the_words_first(directory):
    assert names("fresno") == ["Fresno Unified", "Clovis Unified"]


def test_the_start_of_the_cds_code_finds_the_lea(directory):
    assert names("106211") == ["Clovis Unified"]
    assert names("3467") == ["Sacramento City Unified"]


def test_every_word_must_match(directory):
    assert names("sacramento city") == ["Sacramento City Unified"]
    assert names("fresno clovis") == ["Clovis Unified"]
    assert names("oakland fresno") == []


def test_closed_agencies_are_never_offered(directory):
    assert names("oakw") == []
    assert names("oakdale") == []
    assert "Oakwood" not in names("oak")


def test_one_letter_is_too_short_and_says_so(client, directory):
    result = lea_search.search_leas("o")
    assert result.too_short and result.leas == []
    body = client.get(reverse("accounts:lea_search"), {"lea_q": "o"}).content.decode()
    assert "Type at least two letters" in body


def test_more_matches_than_shown_are_counted(db):
    LeaFactory.create_batch(25, name="Valley Elementary")
    result = lea_search.search_leas("valley", limit=20)
    assert (len(result.leas), result.total, result.more) == (20, 25, 5)
    assert all(lea.name == "Valley Elementary" for lea in result.leas)


@pytest.mark.parametrize("rows", [5, 60])
def test_the_search_endpoint_takes_two_queries_whatever_the_directory_size(
    client, rows, django_assert_max_num_queries
):
    LeaFactory.create_batch(rows, name="Sample Union Elementary", city="Union City")
    with django_assert_max_num_queries(2):
        response = client.get(reverse("accounts:lea_search"), {"lea_q": "uni"})
    assert response.status_code == 200
    assert response.content.decode().count('type="radio"') == min(rows, lea_search.LIMIT)


def test_the_endpoint_returns_radio_results_and_a_live_status(client, directory):
    body = client.get(reverse("accounts:lea_search"), {"lea_q": "fres"}).content.decode()
    assert f'value="{directory["fresno"].pk}"' in body
    assert f'value="{directory["clovis"].pk}"' in body
    assert 'role="status"' in body and 'hx-swap-oob="true"' in body
    assert "2 LEAs match" in body
    assert "Oakland" not in body


def test_the_endpoint_keeps_the_lea_chosen_before_checked(client, directory):
    chosen = directory["oakland"]
    body = client.get(
        reverse("accounts:lea_search"), {"lea_q": "fres", "lea": chosen.pk}
    ).content.decode()
    assert f'value="{chosen.pk}" checked' in body


# --- Without scripts: the Search button, then the choice -----------------------------------


def signup_data(**overrides):
    return {
        "full_name": "Pat Morales",
        "email": "pat@district.k12.ca.us",
        "job_title": "Director",
        "phone": "559 555 0199",
        "password1": "a-long-passphrase-2026",
        "password2": "a-long-passphrase-2026",
        **overrides,
    }


def test_sign_up_search_without_scripts_lists_results_and_keeps_what_was_typed(client, directory):
    response = client.post(reverse("accounts:signup"), signup_data(lea_q="clovis", lea_search="1"))
    body = response.content.decode()
    assert response.status_code == 200
    assert f'value="{directory["clovis"].pk}"' in body and "1 LEA matches" in body
    assert 'value="Pat Morales"' in body
    assert "a-long-passphrase-2026" not in body  # passwords are never sent back
    assert "Error:" not in body  # a search is not a failed sign-up
    assert not get_user_model().objects.exists()


def test_enter_in_the_search_box_with_no_lea_chosen_searches(client, directory):
    body = client.post(reverse("accounts:signup"), signup_data(lea_q="sacr")).content.decode()
    assert f'value="{directory["sac"].pk}"' in body
    assert not get_user_model().objects.exists()


def test_sign_up_with_the_lea_chosen_from_the_results(client, directory):
    response = client.post(
        reverse("accounts:signup"), signup_data(lea_q="clovis", lea=directory["clovis"].pk)
    )
    assert "Check your email" in response.content.decode()
    membership = LeaMembership.objects.get(user__email="pat@district.k12.ca.us")
    assert membership.lea == directory["clovis"]


def test_sign_up_without_an_lea_says_so_next_to_the_picker(client, directory):
    body = client.post(reverse("accounts:signup"), signup_data()).content.decode()
    assert 'id="lea_error"' in body
    assert "Search for your LEA above, then choose it from the results." in body
    assert not get_user_model().objects.exists()


def test_a_closed_lea_forged_into_the_form_is_refused(client, directory):
    body = client.post(
        reverse("accounts:signup"), signup_data(lea=directory["closed"].pk)
    ).content.decode()
    assert "then choose it from the results" in body
    assert not get_user_model().objects.exists()


def test_the_sign_up_page_has_a_labelled_search_box_and_no_directory_dropdown(client, directory):
    body = client.get(reverse("accounts:signup")).content.decode()
    assert '<label class="form-label" for="id_lea_q">' in body
    assert "<select" not in body
    assert "Fresno Unified" not in body  # nothing listed before a search
    assert 'hx-get="/accounts/leas/search/"' in body


def test_join_an_lea_by_search_then_choice(client, lea_staff, directory):
    client.force_login(lea_staff)
    url = reverse("accounts:membership_request")
    body = client.post(url, {"lea_q": "fresno", "lea_search": "1"}).content.decode()
    assert f'value="{directory["fresno"].pk}"' in body
    response = client.post(url, {"lea_q": "fresno", "lea": directory["fresno"].pk})
    assert response.status_code == 302
    membership = LeaMembership.objects.get(user=lea_staff, lea=directory["fresno"])
    assert membership.status == LeaMembership.Status.PENDING
