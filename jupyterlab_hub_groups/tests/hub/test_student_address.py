"""``settings.smtp.student_address``: the template a student's address is
made from (hub/settings.py), checked before anything is applied, and
passed to the service only when set."""

import pytest

from jupyterlab_hub_groups.hub import HubGroupsConfigError, load_spec

SMTP = {"host": "smtp.example.org", "from": "hub@example.org"}


def smtp_with(address):
    return load_spec({"settings": {"smtp": {**SMTP, "student_address": address}}}).settings.smtp


@pytest.mark.parametrize(
    "template", ["{user}@uni.example", "student.{user}@mail.uni.example", "{user}+hub@example.org"]
)
def test_a_template_is_kept_and_given_to_the_service(template):
    smtp = smtp_with(template)
    assert smtp.student_address == template
    assert smtp.as_config()["student_address"] == template


def test_without_it_the_service_config_has_none():
    smtp = load_spec({"settings": {"smtp": SMTP}}).settings.smtp
    assert smtp.student_address is None
    assert "student_address" not in smtp.as_config()


@pytest.mark.parametrize(
    "template, words",
    [
        ("students@uni.example", "exactly once"),
        ("{user}.{user}@uni.example", "exactly once"),
        ("{user}{0}@uni.example", "no braces besides"),
        ("{user}@{host}", "no braces besides"),
        ("{user.__class__}@uni.example", "exactly once"),
        ("{user}@uni.example\r\nBcc: all@uni.example", "one plain e-mail address"),
        ("{user}@uni.example, boss@uni.example", "one plain e-mail address"),
        ("Student <{user}@uni.example>", "one plain e-mail address"),
        ("{user}", "one plain e-mail address"),
        ("admin@{user}.example", "before the @"),
        ('"{user}"@uni.example', "one plain e-mail address"),
        (7, "must be a text"),
        ("", "exactly once"),
    ],
)
def test_a_template_that_cannot_make_plain_addresses_is_refused_with_its_place(template, words):
    with pytest.raises(HubGroupsConfigError) as e:
        smtp_with(template)
    place = "settings.smtp.student_address:"
    assert any(p.startswith(place) and words in p for p in e.value.problems), e.value.problems
