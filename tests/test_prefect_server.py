"""The temporary Prefect server: its route table (flows/prefect_server.py), where the
routers a flow run calls go first and no request is answered by another route for it;
and its events vacuum, which runs at most once an interval (flows/runtime.py)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys

from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient

from flows.prefect_server import run_routers_first
from flows.runtime import event_vacuum_env


def _router(prefix: str, *paths: str) -> APIRouter:
    """A router whose every route answers with its own path pattern and method."""
    router = APIRouter(prefix=prefix)
    for path in paths:
        for method in ("GET", "POST"):
            def endpoint(pattern=f"{method} {prefix}{path}") -> str:
                return pattern

            router.add_api_route(path, endpoint, methods=[method])
    return router


def _app(*routers: APIRouter) -> FastAPI:
    app = FastAPI()

    @app.get("/health")
    def health() -> str:
        return "health"

    for router in routers:
        app.include_router(router)
    return app


def _answers(app: FastAPI, paths: list[str]) -> list[tuple[int, str]]:
    client = TestClient(app)
    found = []
    for path in paths:
        for method in ("GET", "POST", "PUT"):
            response = client.request(method, path)
            found.append((response.status_code, response.text))
    return found


# concrete paths for every pattern below, and some that match none or match only partly
PATHS = ["/health", "/flows/", "/flows/filter", "/flows/7", "/flow_runs/", "/flow_runs/7/set_state",
         "/deployments/", "/deployments/filter", "/deployments/7", "/hello", "/csrf-token", "/admin/storage",
         "/nothing", "/flows", "/flow_runs/7/other"]


def _prefect_like() -> FastAPI:
    return _app(
        _router("/flows", "/", "/filter", "/{id}"),
        _router("/deployments", "/", "/filter", "/{id}"),
        _router("/flow_runs", "/", "/{id}", "/{id}/set_state"),
        _router("", "/hello", "/ready"),
        _router("/csrf-token", ""),
        _router("/admin", "/storage", "/version"),
    )


def _order(app: FastAPI) -> list[str]:
    return [route.original_router.prefix if hasattr(route, "original_router") else route.path
            for route in app.router.routes]


def test_a_run_s_routers_go_first_in_the_order_a_run_calls_them_and_every_request_gets_the_same_answer():
    before = _answers(_prefect_like(), PATHS)
    app = _prefect_like()
    unmoved = _order(app)
    assert run_routers_first(app.router) is True
    order = _order(app)
    assert order != unmoved
    # the plain routes ahead of the first router stay where they were
    assert order[: unmoved.index("/flows")] == unmoved[: unmoved.index("/flows")]
    tail = order[unmoved.index("/flows"):]
    assert tail == ["/csrf-token", "/flows", "/flow_runs", "/admin", "/deployments", ""]
    assert _answers(app, PATHS) == before
    assert ("GET /flow_runs/{id}/set_state" not in {text for _, text in before})  # the check can tell them apart
    assert (200, '"POST /flow_runs/{id}/set_state"') in before


def test_the_table_is_left_as_it_is_when_moving_could_change_an_answer():
    # a route left behind that starts with a parameter could answer a moved path
    app = _app(_router("/flows", "/"), _router("", "/{anything}"), _router("/flow_runs", "/"))
    unmoved = _order(app)
    assert run_routers_first(app.router) is False
    assert _order(app) == unmoved
    # a route left behind under a segment a run calls
    app = _app(_router("/flows", "/"), _router("", "/deployments", "/flow_runs/extra"), _router("/flow_runs", "/"))
    assert run_routers_first(app.router) is False
    assert _order(app) == unmoved
    # an app mounted at the root, which answers every path it is asked
    app = _app(_router("/flows", "/"))
    app.mount("", FastAPI())
    app.include_router(_router("/flow_runs", "/"))
    unmoved = _order(app)
    assert run_routers_first(app.router) is False
    assert _order(app) == unmoved


def test_nothing_to_move_is_no_change():
    for routers in ([_router("/deployments", "/"), _router("/work_pools", "/")],
                    [_router("/deployments", "/"), _router("/flows", "/"), _router("/flow_runs", "/")]):
        app = _app(*routers)
        unmoved = _order(app)
        assert run_routers_first(app.router) is False
        assert _order(app) == unmoved


VACUUM = "PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED"
NO_EVENTS_VACUUM = {VACUUM: "orphans"}


def test_a_run_s_server_vacuums_events_once_an_interval_as_a_long_lived_one(tmp_path, monkeypatch):
    monkeypatch.delenv(VACUUM, raising=False)
    monkeypatch.delenv("PREFECT_SERVER_SERVICES_DB_VACUUM_LOOP_SECONDS", raising=False)
    assert event_vacuum_env(tmp_path, now=1000.0) == {}  # no server has vacuumed here yet
    assert event_vacuum_env(tmp_path, now=1010.0) == NO_EVENTS_VACUUM
    assert event_vacuum_env(tmp_path, now=4599.0) == NO_EVENTS_VACUUM
    assert event_vacuum_env(tmp_path, now=4600.0) == {}  # Prefect's hour has passed
    assert event_vacuum_env(tmp_path, now=4605.0) == NO_EVENTS_VACUUM
    assert event_vacuum_env(tmp_path, now=10.0) == {}  # a clock set back: vacuum again
    monkeypatch.setenv("PREFECT_SERVER_SERVICES_DB_VACUUM_LOOP_SECONDS", "60")
    assert event_vacuum_env(tmp_path, now=50.0) == NO_EVENTS_VACUUM
    assert event_vacuum_env(tmp_path, now=71.0) == {}
    # a user's own choice of vacuums is theirs, every time
    monkeypatch.setenv(VACUUM, "events,flow_runs")
    assert event_vacuum_env(tmp_path, now=72.0) == {}
    # a home that cannot hold the stamp: every start vacuums
    monkeypatch.delenv(VACUUM)
    missing = tmp_path / "no" / "such" / "home"
    assert event_vacuum_env(missing, now=1.0) == event_vacuum_env(missing, now=2.0) == {}


PREFECT_SERVICES = """
import prefect.server.api.background_workers
from prefect.server.services.perpetual_services import get_enabled_perpetual_services
print(sorted(config.function.__name__ for config in get_enabled_perpetual_services(ephemeral=True)))
"""


def test_prefect_reads_the_setting_as_a_server_without_its_events_vacuum(tmp_path):
    """What a temporary server (an ephemeral one, for Prefect) schedules as it starts,
    with and without the setting: only the events vacuum is left out."""
    found = {}
    for name, extra in (("default", {}), ("without", NO_EVENTS_VACUUM)):
        env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_SERVER_SERVICES_")}
        env.update(extra, PREFECT_HOME=str(tmp_path / name), PREFECT_SERVER_ANALYTICS_ENABLED="false")
        run = subprocess.run([sys.executable, "-c", PREFECT_SERVICES], env=env, capture_output=True, text=True,
                             timeout=120)
        assert run.returncode == 0, run.stderr
        found[name] = set(ast.literal_eval(run.stdout.strip().splitlines()[-1]))
    assert "schedule_event_vacuum_tasks" in found["default"]
    assert found["without"] == found["default"] - {"schedule_event_vacuum_tasks"}
