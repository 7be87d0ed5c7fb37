"""The students' e-mails as the service runs them: ``student_address``
from the YAML file reaches ``service.json`` and the service, whose API
then e-mails a decision; without it, nothing goes to students."""

import socket

from jupyterhub.services.auth import HubOAuth
from traitlets.config import Config

from jupyterlab_hub_groups.hub import configure_hub
from jupyterlab_hub_groups.hub.managed_service import make_service
from jupyterlab_hub_groups.hub_client import HubClient
from jupyterlab_hub_groups.service import start_enrolment
from jupyterlab_hub_groups.service.config import CourseConfig, EnrolmentConfig, ServiceConfig

from ..hub.world import dirs, state_dir, world
from .conftest import COURSE
from .test_mail import settings, smtp  # noqa: F401 (smtp: a fixture)

TEMPLATE = "{user}@uni.example"


def test_the_template_travels_from_the_file_to_the_service(tmp_path):
    smtp_settings = {"host": "smtp.example.org", "from": "hub@example.org"}
    data = world(settings={**dirs(tmp_path), "smtp": {**smtp_settings, "student_address": TEMPLATE}})
    data["courses"]["Ask9"] = {"enrolment": "request"}
    spec = configure_hub(Config(), data)
    _, _, written = make_service(spec)
    read = ServiceConfig.from_json((state_dir(tmp_path) / "service.json").read_text())
    assert read == written
    assert read.enrolment.smtp["student_address"] == TEMPLATE


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def run_service(world, smtp_settings):
    """The service's enrolment API on a port of its own, as ``serve`` starts it."""
    port = free_port()
    config = EnrolmentConfig(
        courses={COURSE: CourseConfig("request", ("prof@example.org",))},
        rate_limit=5,
        listen=f"http://127.0.0.1:{port}",
        public_url="https://hub.example.org/",
        smtp=smtp_settings,
    )
    hub_auth = HubOAuth(
        api_url=world.hub.url,
        api_token="service-token",
        oauth_client_id="service-hub-groups",
        hub_prefix="/hub/",
        base_url="/services/hub-groups/",
        cache_max_age=5,
    )
    client = HubClient(world.hub.url, timeout=2, token="service-token")
    service = await start_enrolment(config, client, world.db, hub_auth=hub_auth, environ={})
    world.url = f"http://127.0.0.1:{port}/services/hub-groups/api/"
    return service


async def test_the_service_e_mails_an_approval_to_the_student(world, smtp):
    service = await run_service(world, settings(smtp.port, student_address=TEMPLATE))
    try:
        assert (await world.ask("alice-token")).code == 201
        r = await world.decide("prof-token", ["alice"])
        assert r.json["approved"] == ["alice"]
    finally:
        await service.stop()
    to = sorted(rcpt for _, [rcpt], _ in smtp.messages)
    assert to == ["alice@uni.example", "prof@example.org"]


async def test_without_a_student_address_no_student_is_e_mailed(world, smtp):
    service = await run_service(world, settings(smtp.port))
    try:
        await world.ask("alice-token")
        await world.decide("prof-token", ["alice"])
    finally:
        await service.stop()
    assert [rcpt for _, rcpt, _ in smtp.messages] == [["prof@example.org"]]
    assert world.rows()[0]["student_notified"] is not None, "handled at once: never sent later"
