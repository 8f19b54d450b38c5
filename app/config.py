from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_DIR = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ROVIEC_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///./roviec.db"
    timezone: str = "Asia/Ho_Chi_Minh"
    host: str = "127.0.0.1"
    port: int = 8000
    seed_dir: Path = PROJECT_DIR / "seed"
    due_soon_days: int = 7
    auth_cache_seconds: float = 5.0
    list_total_cache_seconds: float = 2.0  # how long a list's `total` is reused; 0 counts on every request
    report_cache_seconds: float = 30.0  # how long a page reuses a grid another replica's writes may have changed
    db_pool_size: int = 20
    # A request waits at most this long for a pooled connection, and a new connection this long to open, before it
    # is answered 503 with Retry-After (the database is away or saturated): bounded, never a hung request.
    db_pool_timeout_seconds: float = 10.0
    db_connect_timeout_seconds: int = 5
    threads: int | None = None  # interactive threads per process; default 1 on SQLite, 2 on PostgreSQL
    heavy_threads: int = 2  # threads for long reports
    public_url: str | None = None  # how people and subscribers reach this service; default http://HOST:PORT
    max_body_bytes: int = 1_000_000  # a request body larger than this is refused (413) before it is read
    import_max_bytes: int = 10_000_000  # ... for an uploaded notice (the API's and the page's: one limit)
    # Reading a notice runs in a child process of its own (app/imports/sandbox.py), killed past any of these.
    import_read_seconds: float = 20.0  # wall clock for one notice: extraction and parsing
    import_read_memory_mb: int = 512  # the child's address space (RLIMIT_AS)
    import_read_concurrency: int = 2  # notices read at once per server process
    import_queue_seconds: float = 20.0  # how long a notice waits for a free reader before a 503 with Retry-After
    import_max_pages: int = 300  # pages of a PDF
    import_max_docx_blocks: int = 20_000  # paragraphs and table cells of a DOCX
    import_max_docx_elements: int = 500_000  # XML elements in a DOCX's parts, counted before python-docx loads them
    import_max_chars: int = 2_000_000  # characters of text read from a file (or pasted)
    # Evidence files attached to progress and completion reports (app/tasks/evidence.py): each file, the files of one
    # report together, and how many one report carries. Stored by SHA-256 under files_dir (see `evidence_dir`).
    evidence_max_bytes: int = 20_000_000
    evidence_max_total_bytes: int = 50_000_000
    evidence_max_files: int = 10
    files_dir: Path | None = None  # unset: beside the SQLite file (roviec.db -> roviec-files/), or ./roviec-files
    # The reverse proxies in front of the service (comma-separated addresses or CIDRs): only a request from one of
    # them may say, in X-Forwarded-For / X-Forwarded-Proto, who the client is and whether it came over https. Empty:
    # the connection's own address is the client's (a forged header changes nothing).
    trusted_proxies: str = ""
    # A client's wrong passwords on an account: the first waits after the free ones (app/auth/throttle.py), doubling.
    sign_in_first_wait_seconds: float = 2.0
    # Operations (app/observability/, app/operations/): logs, metrics, request limits.
    log_format: Literal["json", "text"] = "json"  # one JSON object per line, or plain lines for a terminal
    log_level: str = "INFO"
    metrics_token: str | None = None  # /metrics then needs `Authorization: Bearer <this>`; unset: loopback only
    worker_metrics_port: int | None = None  # `roviec worker` serves its own /metrics on this port when set
    worker_metrics_host: str = "127.0.0.1"
    # Requests a minute per API token, and per client address (pages and API; behind a reverse proxy only with
    # ROVIEC_TRUSTED_PROXIES set, or every client is the proxy): a minute's worth may come at once. 0: no limit.
    rate_limit_per_token: int = 6000
    rate_limit_per_address: int = 0
    rate_limit_bad_tokens_per_address: int = 300  # API requests refused 401 a minute per address, then 429
    scheduler: bool = True  # run the delivery worker and the deadline watch inside `roviec serve`
    webhook_allow_http: bool = False
    webhook_allowed_networks: str = ""  # comma-separated CIDRs exempt from the private-address refusal
    webhook_timeout_seconds: float = 15.0
    webhook_concurrency: int = 32  # requests in flight per worker process
    # A claimed message not recorded within this is claimed again; default: one attempt's longest time (twice the
    # timeout) and 10 s to record it. Longer only delays the retry of a message whose worker was killed.
    webhook_lease_seconds: float | None = None
    # `roviec worker`'s stable name, its own (two workers never share one): kept on the messages it claims, so that,
    # restarted after a kill, it takes them back at once. Unset: host:pid, and a killed worker's claims wait for
    # their leases to end (as do those of the scheduler inside `roviec serve`).
    worker_name: str | None = None
    webhook_poll_seconds: float = 1.0
    alert_due_soon_days: str = "7,3,1"  # the default policy; each subscription may set its own
    alert_overdue_repeat_days: int = 3
    alert_escalate_after_days: int = 7
    alert_scan_seconds: float = 60.0
    # An indicator behind the straight path to its target by no more than this share of the distance from its
    # baseline to the target is `at_risk`; further behind, `off_track` (app/indicators/judgement.py).
    indicator_tolerance: float = 0.1
    # Liberation Serif (Debian fonts-liberation2): Times New Roman's widths, so the PDF breaks lines as Word does.
    pdf_font_dir: Path = Path("/usr/share/fonts/truetype/liberation2")
    # A longer list is refused as PDF (use XLSX or CSV): 5,000 tasks are some 1,100 pages; reportlab holds them all.
    pdf_max_rows: int = 5000
    # E-mail to people (app/notifications/): off while smtp_host is empty. security: "none" (plain, a relay on the
    # local network), "starttls" (the submission port, 587) or "tls" (implicit TLS, 465); the port defaults to those.
    smtp_host: str = ""
    smtp_port: int | None = None
    smtp_security: Literal["none", "starttls", "tls"] = "starttls"
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_sender: str = ""  # the From of every message; default "Rõ Việc <roviec@HOST of ROVIEC_PUBLIC_URL>"
    smtp_timeout_seconds: float = 30.0
    smtp_ca_file: Path | None = None  # a ministry's own certificate authority, for its mail server's certificate

    @property
    def allowed_networks(self) -> list[IPv4Network | IPv6Network]:
        return [ip_network(cidr.strip(), strict=False) for cidr in self.webhook_allowed_networks.split(",")
                if cidr.strip()]

    @property
    def delivery_lease_seconds(self) -> float:
        return self.webhook_lease_seconds or 2 * self.webhook_timeout_seconds + 10.0

    @property
    def base_url(self) -> str:
        """Where this service is reached: ROVIEC_PUBLIC_URL, or http://HOST:PORT (set it in production)."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def evidence_dir(self) -> Path:
        """Where evidence files are kept: ROVIEC_FILES_DIR, or a folder beside the SQLite database's file named after
        it (./roviec.db -> ./roviec-files, /data/roviec.db -> /data/roviec-files), or ./roviec-files (PostgreSQL, or
        SQLite in memory): set it on PostgreSQL, to storage every replica shares."""
        if self.files_dir is not None:
            return Path(self.files_dir)
        url = self.database_url
        if url.startswith("sqlite:///") and ":memory:" not in url and len(url) > len("sqlite:///"):
            database = Path(url.removeprefix("sqlite:///").split("?", 1)[0])
            return database.parent / f"{database.stem}-files"
        return Path("roviec-files")

    @property
    def evidence_request_max_bytes(self) -> int:
        """The body limit of a request carrying a report's files: all of them at their limit, and room for the form's
        other fields and the multipart framing."""
        return self.evidence_max_total_bytes + 1_000_000

    @property
    def email_enabled(self) -> bool:
        """E-mail to people is on once an SMTP server is named."""
        return bool(self.smtp_host.strip())

    @property
    def smtp_port_in_use(self) -> int:
        return self.smtp_port or {"tls": 465, "starttls": 587}.get(self.smtp_security, 25)

    @property
    def email_lease_seconds(self) -> float:
        """A claimed e-mail not recorded within this is claimed again: one attempt's longest time and 10 s."""
        return 2 * self.smtp_timeout_seconds + 10.0

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def sqlalchemy_url(self) -> str:
        """Accept the plain libpq form (`postgresql://`) and drive it with psycopg 3."""
        url = self.database_url
        for prefix in ("postgresql://", "postgres://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix):]
        return url


@lru_cache
def get_settings() -> Settings:
    return Settings()
