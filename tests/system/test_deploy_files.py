"""The deployment files say what the code does: deploy/compose.yaml runs only commands the CLI has, its API replicas
leave the scheduled jobs to the worker, every long-running service has a health check, and the Grafana dashboard and
the Prometheus configuration in docs/ ask only for metrics the service reports. No Docker is needed: the files are
read as YAML and JSON (PyYAML comes with uvicorn[standard])."""

import json
import re
from pathlib import Path

import pytest
import typer
import yaml

from app.cli import app as cli_app

ROOT = Path(__file__).resolve().parent.parent.parent
COMPOSE = ROOT / "deploy" / "compose.yaml"
CADDYFILE = ROOT / "deploy" / "Caddyfile"
ENV_EXAMPLE = ROOT / "deploy" / ".env.example"
DASHBOARD = ROOT / "docs" / "grafana-dashboard.json"
PROMETHEUS = ROOT / "docs" / "prometheus.yml"

# What GET /metrics reports (the metrics contract). Histograms are also read as _bucket, _sum and _count; the
# standard process_* and python_* collectors come on top.
COUNTERS_AND_GAUGES = {
    "roviec_http_requests_total",
    "roviec_db_pool_connections",
    "roviec_db_pool_waiting",
    "roviec_outbox_pending",
    "roviec_webhook_messages",
    "roviec_webhook_oldest_pending_age_seconds",
    "roviec_webhook_delivery_attempts_total",
    "roviec_alerts_raised_total",
    "roviec_sign_ins_total",
    "roviec_requests_refused_total",
    "roviec_tasks",
    "roviec_database_up",
}
HISTOGRAMS = {
    "roviec_http_request_duration_seconds",
    "roviec_webhook_delivery_duration_seconds",
    "roviec_deadline_scan_duration_seconds",
}
STANDARD_PREFIXES = ("process_", "python_")

PROMQL_WORDS = {"and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left",
                "group_right", "inf", "nan"}


def known_metric(name: str) -> bool:
    if name in COUNTERS_AND_GAUGES or name in HISTOGRAMS or name.startswith(STANDARD_PREFIXES):
        return True
    base, _, suffix = name.rpartition("_")
    return suffix in ("bucket", "sum", "count") and base in HISTOGRAMS


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression reads: what is left once strings, label matchers, ranges, grouping
    clauses, function names and keywords are taken out."""
    rest = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    rest = re.sub(r"\{[^}]*\}", " ", rest)
    rest = re.sub(r"\[[^\]]*\]", " ", rest)
    rest = re.sub(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", rest)
    names = set()
    for match in re.finditer(r"(?<![\w.$])[A-Za-z_:][\w:]*", rest):
        if rest[match.end():].lstrip().startswith("(") or match.group() in PROMQL_WORDS:
            continue
        names.add(match.group())
    return names


def test_metric_names_reads_promql():
    assert metric_names('histogram_quantile(0.95, sum by (route, le) (rate(a_bucket{x=~"$i"}[$__rate_interval])))'
                        ) == {"a_bucket"}
    assert metric_names('sum(rate(a{status=~"5.."}[5m])) / sum(rate(b[5m])) and on (instance) c') == {"a", "b", "c"}
    assert metric_names('label_replace(rate(a[1m]), "s", "${1}xx", "status", "([0-9])..")') == {"a"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict[str, dict]:
    return compose["services"]


def command_text(value) -> str:
    return " ".join(value) if isinstance(value, list) else str(value or "")


def roviec_commands(text: str) -> set[str]:
    return set(re.findall(r"\broviec\s+([a-z][a-z-]*)", text))


def runs(service: dict, command: str) -> bool:
    return command in roviec_commands(command_text(service.get("command")))


def test_every_roviec_command_exists_in_the_cli(services):
    cli_commands = set(typer.main.get_command(cli_app).commands)
    used = {}
    for name, service in services.items():
        texts = [command_text(service.get("command")), command_text(service.get("healthcheck", {}).get("test"))]
        for command in roviec_commands(" ".join(texts)):
            used.setdefault(command, []).append(name)
    instructions = [line for line in (ROOT / "Dockerfile").read_text().splitlines()
                    if line.startswith(("CMD", "ENTRYPOINT", "HEALTHCHECK"))]
    for command in roviec_commands(" ".join(instructions)):
        used.setdefault(command, []).append("Dockerfile")
    assert {"migrate", "serve", "worker"} <= used.keys()
    unknown = {command: where for command, where in used.items()
               if command not in cli_commands}
    assert not unknown, f"commands `roviec --help` does not list: {unknown}"


def test_the_image_is_built_from_the_repository(services):
    roviec = [s for s in services.values() if roviec_commands(command_text(s.get("command")))]
    assert roviec
    for service in roviec:
        assert service["build"]["context"] == ".."
        assert (COMPOSE.parent / service["build"]["context"] / service["build"].get("dockerfile", "Dockerfile")
                ).is_file()
        assert service["image"] == roviec[0]["image"]  # one image, built once


def test_api_replicas_leave_the_scheduled_jobs_to_the_worker(services):
    replicas = {name: s for name, s in services.items() if runs(s, "serve")}
    assert len(replicas) >= 2
    for name, service in replicas.items():
        environment = service["environment"]
        assert str(environment["ROVIEC_SCHEDULER"]).lower() == "off", name
        assert environment["ROVIEC_HOST"] == "0.0.0.0", name
        assert "/readyz" in command_text(service["healthcheck"]["test"]), name
        assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully", name
        assert service["depends_on"]["db"]["condition"] == "service_healthy", name
        assert "--workers" not in command_text(service["command"]), f"{name}: one process per replica"
    workers = [name for name, s in services.items() if runs(s, "worker")]
    assert len(workers) == 1
    assert services[workers[0]]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_migrate_is_one_shot_and_seeds_only_when_asked(services):
    migrate = services["migrate"]
    assert runs(migrate, "migrate")
    assert migrate["restart"] == "no"
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"
    text = command_text(migrate["command"])
    assert "roviec seed" in text and "SEED" in text  # behind the SEED flag, never unconditionally
    assert "SEED=false" in ENV_EXAMPLE.read_text()


def test_long_running_services_have_health_checks_and_restart(compose, services):
    for name, service in services.items():
        if name == "migrate":
            continue
        assert service["restart"] == "unless-stopped", name
        check = service.get("healthcheck", {})
        assert not check.get("disable") and check.get("test"), f"{name} has no health check"
    db = services["db"]
    assert db["image"].startswith("postgres:15")
    assert "pg_isready" in command_text(db["healthcheck"]["test"])
    assert db["volumes"][0].split(":")[0] in compose["volumes"]  # a named volume, not a folder of the host


def test_the_proxy_balances_the_replicas_and_is_the_only_trusted_one(compose, services):
    replicas = sorted(name for name, s in services.items() if runs(s, "serve"))
    caddyfile = CADDYFILE.read_text()
    upstreams = re.search(r"reverse_proxy\s+([^{]+)\{", caddyfile).group(1).split()
    assert sorted(upstreams) == [f"{name}:8000" for name in replicas]
    assert re.search(r"health_uri\s+/readyz", caddyfile)
    proxy = services["proxy"]
    assert proxy["image"].split(":")[0] in ("caddy", "nginx")
    assert proxy["networks"] == ["edge"]
    assert not any(s.get("ports") for name, s in services.items() if name != "proxy"), "only the proxy is published"
    subnet = compose["networks"]["edge"]["ipam"]["config"][0]["subnet"]
    for name in replicas:
        assert services[name]["environment"]["ROVIEC_TRUSTED_PROXIES"] == subnet, name


def test_required_variables_are_in_the_env_example():
    required = set(re.findall(r"\$\{(\w+):\?", COMPOSE.read_text()))
    assert {"POSTGRES_PASSWORD", "ROVIEC_METRICS_TOKEN"} <= required
    example = {line.split("=", 1)[0] for line in ENV_EXAMPLE.read_text().splitlines()
               if line and not line.startswith("#")}
    assert required <= example
    assert "/deploy/.env" in (ROOT / ".gitignore").read_text().split()


def test_the_image_has_the_backup_tools_and_a_liveness_check():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"apt-get install[^\n]*postgresql-client", dockerfile)
    assert re.search(r"HEALTHCHECK[^\n]*/healthz", dockerfile)


def dashboard_expressions(dashboard: dict) -> list[str]:
    expressions = []
    for panel in dashboard["panels"]:
        expressions += [target["expr"] for target in panel.get("targets", [])]
        for inner in panel.get("panels", []):
            expressions += [target["expr"] for target in inner.get("targets", [])]
    return expressions


def test_the_dashboard_reads_only_reported_metrics():
    dashboard = json.loads(DASHBOARD.read_text())
    assert dashboard["schemaVersion"] >= 36
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource" and variables["datasource"]["query"] == "prometheus"
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids))
    for panel in dashboard["panels"]:
        if panel["type"] != "row":
            assert panel["datasource"]["uid"] == "${datasource}", panel["title"]
    expressions = dashboard_expressions(dashboard)
    used = set()
    for expr in expressions:
        names = metric_names(expr)
        assert names, expr
        used |= names
    for variable in variables.values():
        if variable["type"] == "query":
            query = variable["query"]["query"] if isinstance(variable["query"], dict) else variable["query"]
            used |= set(re.findall(r"label_values\(\s*([\w:]+)\s*,", query))
    unknown = {name for name in used if not known_metric(name)}
    assert not unknown, f"metrics the service does not report: {unknown}"
    # The panels the operators asked for.
    assert {"roviec_http_requests_total", "roviec_http_request_duration_seconds_bucket", "roviec_db_pool_connections",
            "roviec_db_pool_waiting", "roviec_outbox_pending", "roviec_webhook_oldest_pending_age_seconds",
            "roviec_webhook_delivery_attempts_total", "roviec_deadline_scan_duration_seconds_bucket", "roviec_tasks",
            "roviec_database_up"} <= used


def test_prometheus_scrapes_each_process_with_the_token(services):
    config = yaml.safe_load(PROMETHEUS.read_text())
    targets = set()
    for job in config["scrape_configs"]:
        assert job["authorization"]["type"] == "Bearer", job["job_name"]
        assert job.get("metrics_path", "/metrics") == "/metrics"
        for static in job["static_configs"]:
            targets |= set(static["targets"])
    processes = {name for name, s in services.items() if runs(s, "serve") or runs(s, "worker")}
    assert {target.split(":")[0] for target in targets} == processes
    names = set(re.findall(r"\b(?:roviec|process|python)_[a-z_]+\b", PROMETHEUS.read_text()))
    assert not {name for name in names if not known_metric(name)}
