"""The Dockerfile and compose.yaml rely on things the app must keep: the health check path,
``accord db upgrade``, the settings they pass.  No docker daemon is needed to check that."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from alembic.config import Config
from alembic.script import ScriptDirectory
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from accord.cli import app as cli
from accord.store import Store
from accord.store.db import MIGRATIONS
from accord.web.app import create_app
from accord.web.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")


def _compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    return data


def test_image_is_slim_runs_as_non_root_and_checks_health() -> None:
    bases = re.findall(r"^FROM (\S+)", DOCKERFILE, flags=re.M)
    assert bases and all(base.endswith("-slim") or " AS " in base for base in bases)
    users = re.findall(r"^USER (\S+)", DOCKERFILE, flags=re.M)
    assert users and users[-1] not in ("root", "0")
    assert "HEALTHCHECK" in DOCKERFILE and "/healthz" in DOCKERFILE
    assert "accord db upgrade && exec accord serve" in DOCKERFILE


def test_health_check_path_answers_ok(tmp_path: Path) -> None:
    settings = Settings(secret_key="d" * 48, database_url=f"sqlite:///{tmp_path / 'a.db'}")
    store = Store.from_url(settings.database_url)
    try:
        with TestClient(create_app(settings, store)) as client:
            response = client.get("/healthz")
    finally:
        store.dispose()
    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_db_upgrade_command_migrates_the_configured_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    result = CliRunner().invoke(cli, ["db", "upgrade", "--json"], env={"ACCORD_DATABASE_URL": url})
    assert result.exit_code == 0, result.output
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert f'"revision": "{head}"' in result.output


def test_compose_runs_postgres_redis_migrate_then_web() -> None:
    services = _compose()["services"]
    assert {"db", "redis", "migrate", "web"} <= set(services)
    assert services["migrate"]["command"] == ["accord", "db", "upgrade"]
    web = services["web"]
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    env = web["environment"]
    assert env["ACCORD_DATABASE_URL"].startswith("postgresql+psycopg://")
    assert env["ACCORD_REDIS_URL"].startswith("redis://redis:")
    assert "ACCORD_SECRET_KEY" in env
    for name in ("db", "redis"):
        assert "healthcheck" in services[name]
