"""Every handler of the service's API is authenticated: the service's
equivalent of .github/scripts/check_auth.py (which checks the server
extension through Jupyter Server's own warning; the service is a plain
tornado application, so it is checked here, twice: in the code and over
HTTP).
"""

import re

import pytest
from tornado import web

from jupyterlab_hub_groups.service import api

METHODS = ("get", "head", "post", "put", "patch", "delete", "options")
#: What tornado's @web.authenticated makes of a method: its wrapper's code.
AUTHENTICATED = web.authenticated(lambda self: None).__code__
#: Public on purpose: the end of a browser's OAuth login (JupyterHub's own
#: handler, which checks its state cookie).
PUBLIC = {api.OAuthCallbackHandler}


def handlers():
    prefix = "/services/hub-groups/"
    return [cls for _, cls in api.routes(prefix)]


@pytest.mark.parametrize("cls", handlers(), ids=lambda c: c.__name__)
def test_every_http_method_of_every_handler_is_authenticated(cls):
    # every method served: tornado's own answer 405 otherwise
    defined = [m for m in METHODS if getattr(cls, m) is not getattr(web.RequestHandler, m)]
    assert defined, f"{cls.__name__} serves nothing"
    for name in defined:
        method = getattr(cls, name)
        assert method.__code__ is AUTHENTICATED, f"{cls.__name__}.{name} is not @web.authenticated"


def test_the_base_and_the_404_serve_no_method():
    for cls in (api._Handler, api.NotFoundHandler):
        assert not [m for m in METHODS if m in vars(cls)], cls


def test_the_routes_are_the_handlers_checked_here():
    app = api.make_app(enrolment=None, hub_auth=_hub_auth())
    served = {rule.target for rule in app.wildcard_router.rules}
    assert served == set(handlers()) | PUBLIC


def _hub_auth():
    from jupyterhub.services.auth import HubOAuth

    return HubOAuth(
        api_url="http://127.0.0.1:9/hub/api",
        api_token="x",
        oauth_client_id="service-hub-groups",
        base_url="/services/hub-groups/",
    )


async def test_no_route_answers_anything_without_a_token(world):
    """Over HTTP: every route and method, no token: a refusal (403), a
    method it does not serve (405), or the browser's way to the login
    (302 to the hub, the service's home only); never an answer."""
    for pattern, cls in api.routes("/services/hub-groups/"):
        path = re.sub(r"\(\[\^/\]\+\)", "Class1234_Semester02", pattern)
        path = re.sub(r"\(approve\|decline(\|undecline)?\)", "approve", path).replace("\\", "")
        path = path.removeprefix("/services/hub-groups/api/")
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
            if path.startswith("/services/hub-groups/"):
                url = path.removeprefix("/services/hub-groups/")
                response = await world.client.fetch(
                    world.url.removesuffix("api/") + url,
                    method=method,
                    body=b"{}" if method in ("POST", "PUT", "PATCH") else None,
                    follow_redirects=False,
                    raise_error=False,
                    allow_nonstandard_methods=True,
                )
            else:
                response = await world.call(method, path, None, {} if method != "GET" else None)
            assert response.code in (302, 403, 405), (method, path, response.code)
            if response.code == 302:
                assert cls is api.HomeHandler and method == "GET"
                assert "/hub/api/oauth2/authorize" in response.headers["Location"]
    assert world.hub.calls == 0, "nothing to ask the hub about"


async def test_every_answer_of_the_service_says_nothing_in_it_may_run(world):
    """Its own pages too: the 404 (inside and outside its prefix), the
    browser's way to the login, and the OAuth callback (whose errors are
    tornado's HTML pages)."""
    base = world.url.removesuffix("services/hub-groups/api/")
    answers = {
        "API": await world.call("GET", "courses", "alice-token"),
        "API refusal": await world.call("GET", "courses"),
        "API 404": await world.call("GET", "nope", "alice-token"),
    }
    for name, path in [
        ("home", "services/hub-groups/"),
        ("404 outside the prefix", "elsewhere"),
        ("OAuth callback", "services/hub-groups/oauth_callback?code=x&state=y"),
    ]:
        answers[name] = await world.client.fetch(
            base + path, follow_redirects=False, raise_error=False
        )
    assert {k: r.code for k, r in answers.items()} == {
        "API": 200,
        "API refusal": 403,
        "API 404": 404,
        "home": 302,
        "404 outside the prefix": 404,
        "OAuth callback": 403,  # no state cookie: refused
    }
    for name, r in answers.items():
        assert r.headers.get("Content-Security-Policy") == (
            "default-src 'none'; frame-ancestors 'none'"
        ), name
        assert r.headers.get("X-Content-Type-Options") == "nosniff", name
        assert r.headers.get("Cache-Control") == "no-store", name
