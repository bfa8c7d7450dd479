"""Every path and setting of vnnews, in one place.

Precedence, highest first: explicit overrides (CLI flags, tests), environment variables
(`VNNEWS_*`), a TOML file (`$VNNEWS_CONFIG`, else `vnnews.toml` in the project root), defaults.
"""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from vnnews.tasks.budget import DEFAULT_MAX_CHARS, DEFAULT_SECONDS, Budget
from vnnews.tasks.ingest.fetch.policy import USER_AGENT, FetchPolicy

PROJECT_ROOT = Path(__file__).resolve().parents[1]
PASSWORD = re.compile(r"(password=)[^\s,;]+", re.IGNORECASE)

# Telemetry is off unless the user explicitly turns it back on in their environment.
TELEMETRY_OFF = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "GX_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    # Hub downloads are never needed: the CRF models ship inside the underthesea wheel.
    "HF_HUB_OFFLINE": "1",
}


@dataclass(frozen=True)
class Settings:
    data_dir: Path = PROJECT_ROOT / "data"
    # Local files, folders and globs (Path), and live sources: http(s) URLs of feeds, sitemaps
    # or article pages (str).
    sources: tuple[Path | str, ...] = (PROJECT_ROOT / "seeds",)
    # A sources.toml listing outlets (tasks/ingest/fetch/outlets.py), fetched with `sources`.
    sources_file: Path | None = None
    batch_size: int = 500
    # Documents a run carries from ingest to extract at a time (a few batches): each part is
    # validated, then staged as Parquet, and publish commits every part as one snapshot, so a
    # run's memory stays that of one part however large the corpus.
    part_size: int = 2000
    # A file, or a JSONL record, larger than this is an `oversized` reject.
    max_doc_bytes: int = 5 * 1024 * 1024
    # What one document may cost the NLP stages (tasks/budget.py): a clean body longer than
    # max_doc_chars, or tokenising / extracting for longer than max_doc_seconds, makes it a
    # `too_complex` reject instead of a stuck run.
    max_doc_chars: int = DEFAULT_MAX_CHARS
    max_doc_seconds: float = DEFAULT_SECONDS
    # A stage whose row checks fail on more than this share of its documents is broken: the
    # run is blocked. Below it, the failing documents are quarantined and the rest publish.
    max_quarantine_share: float = 0.05
    # Processes for the NLP stages; models load once per process.
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    # Where the NLP batches run: "local" (this machine's process pool) or "dask" (Prefect tasks
    # on a Dask cluster: a LocalCluster of `workers` single-thread workers, or the scheduler at
    # dask_address, "tcp://host:8786").
    runner: str = "local"
    dask_address: str = ""
    expectations_dir: Path = PROJECT_ROOT / "expectations"
    rules_dir: Path = PROJECT_ROOT / "seeds" / "rules"
    gazetteers_dir: Path = PROJECT_ROOT / "seeds" / "gazetteers"
    # DuckLake catalog: "sqlite:PATH" (default: data_dir/catalog.sqlite), "duckdb:PATH", or
    # "postgres:dbname=... host=..."; and where its Parquet files go (default: data_dir/lake/).
    catalog: str = ""
    data_path: str = ""
    # For an s3:// data_path on S3-compatible storage other than AWS ("http://minio:9000"):
    # path-style URLs, and no TLS for http://. Credentials come from AWS_ACCESS_KEY_ID,
    # AWS_SECRET_ACCESS_KEY and AWS_REGION, never from a settings file.
    s3_endpoint: str = ""
    # Seconds a run waits for another run writing to the same lake before giving up.
    lock_timeout: float = 600.0
    # The local Prefect server (`vnnews server`, and what `vnnews run` and `serve` look for).
    # Its database lives under the data dir, so the runs of one lake stay together.
    server_host: str = "127.0.0.1"
    server_port: int = 4200
    # Seconds a Prefect server may take to answer after it is started (a busy machine is slow).
    server_start_timeout: float = 120.0
    # What a later run may reuse on this machine: the migrated Prefect database that a fresh
    # data dir starts from (flows/prefect_db.py). Safe to delete.
    cache_dir: Path = field(default_factory=lambda: _cache_home() / "vnnews")
    # A run that takes longer than this many seconds is stopped and marked failed; 0: no limit.
    flow_timeout: float = 0.0
    # POSTed a JSON summary when a run fails or is blocked (a chat or alerting webhook).
    notify_url: str = ""
    # Fetching live sources (tasks/ingest/fetch/policy.py). Sites may write to the contact URL.
    user_agent: str = USER_AGENT
    fetch_interval: float = 1.0  # seconds between two requests to one host
    fetch_per_host: int = 2  # requests in flight to one host
    fetch_workers: int = 8  # requests in flight in all
    fetch_timeout: float = 60.0  # seconds for one response, however slowly it comes
    fetch_retries: int = 3  # on connection errors, 429 and 5xx, with exponential backoff
    max_pages_per_listing: int = 1000  # the newest entries of a feed or sitemap
    # Hosts or networks (127.0.0.1, 10.0.0.0/8, intranet.example) that may resolve to private,
    # loopback or link-local addresses. Empty: such addresses are refused (`private_address`).
    allow_private_hosts: tuple[str, ...] = ()
    # What an export's datasheet says of the terms of sources without a `licence` of their own.
    licence: str = "not stated: check each source's terms before sharing"
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def budget(self) -> Budget:
        return Budget(self.max_doc_chars, self.max_doc_seconds)

    @property
    def catalog_uri(self) -> str:
        return self.catalog or f"sqlite:{self.data_dir / 'catalog.sqlite'}"

    @property
    def catalog_path(self) -> Path | None:
        """The catalog file, for file catalogs (SQLite, DuckDB); None for a database server."""
        kind, _, rest = self.catalog_uri.partition(":")
        return Path(rest) if kind in ("sqlite", "duckdb") else None

    @property
    def lake_label(self) -> str:
        """Where the lake is, for messages: its catalog (password masked) and data path."""
        catalog = str(self.catalog_path) if self.catalog_path else self.catalog_uri
        where = catalog if not self.data_path else f"{catalog}, files in {self.data_path}"
        return PASSWORD.sub(r"\1***", where)

    @property
    def lake_files_dir(self) -> Path:
        return self.data_dir / "lake"

    @property
    def data_path_uri(self) -> str:
        return self.data_path or f"{self.lake_files_dir}/"

    @property
    def reports_dir(self) -> Path:
        return self.data_dir / "reports"

    @property
    def data_docs_dir(self) -> Path:
        return self.reports_dir / "data_docs"

    @property
    def prefect_home(self) -> Path:
        return self.data_dir / "prefect"

    @property
    def validations_dir(self) -> Path:
        return self.reports_dir / "validations"

    @property
    def staging_dir(self) -> Path:
        """Where a run's parts wait as Parquet until publish commits them (always local)."""
        return self.data_dir / "staging"

    @property
    def local_sources(self) -> list[Path]:
        return [s for s in self.sources if isinstance(s, Path)]

    @property
    def live_sources(self) -> list[str]:
        return [s for s in self.sources if isinstance(s, str)]

    @property
    def fetch_policy(self) -> FetchPolicy:
        return FetchPolicy(
            user_agent=self.user_agent,
            total_timeout=self.fetch_timeout,
            max_bytes=self.max_doc_bytes,
            retries=self.fetch_retries,
            min_interval=self.fetch_interval,
            per_host=self.fetch_per_host,
            workers=self.fetch_workers,
            allow_private=self.allow_private_hosts,
        )

    def with_overrides(self, **overrides) -> Settings:
        given = {k: v for k, v in overrides.items() if v is not None and v != ()}
        return _coerce(replace(self, **given))

    def describe(self) -> dict[str, str]:
        """Every setting as text, as recorded in `runs.settings`: passwords masked."""
        return {
            f.name: PASSWORD.sub(r"\1***", str(getattr(self, f.name)))
            for f in fields(self)
            if f.name != "extra"
        }


_ENV = {
    "VNNEWS_DATA_DIR": "data_dir",
    "VNNEWS_SOURCES": "sources",
    "VNNEWS_BATCH_SIZE": "batch_size",
    "VNNEWS_PART_SIZE": "part_size",
    "VNNEWS_MAX_DOC_BYTES": "max_doc_bytes",
    "VNNEWS_MAX_DOC_CHARS": "max_doc_chars",
    "VNNEWS_MAX_DOC_SECONDS": "max_doc_seconds",
    "VNNEWS_MAX_QUARANTINE_SHARE": "max_quarantine_share",
    "VNNEWS_WORKERS": "workers",
    "VNNEWS_RUNNER": "runner",
    "VNNEWS_DASK_ADDRESS": "dask_address",
    "VNNEWS_CATALOG": "catalog",
    "VNNEWS_DATA_PATH": "data_path",
    "VNNEWS_S3_ENDPOINT": "s3_endpoint",
    "VNNEWS_LOCK_TIMEOUT": "lock_timeout",
    "VNNEWS_EXPECTATIONS_DIR": "expectations_dir",
    "VNNEWS_RULES_DIR": "rules_dir",
    "VNNEWS_GAZETTEERS_DIR": "gazetteers_dir",
    "VNNEWS_SERVER_HOST": "server_host",
    "VNNEWS_SERVER_PORT": "server_port",
    "VNNEWS_SERVER_START_TIMEOUT": "server_start_timeout",
    "VNNEWS_CACHE_DIR": "cache_dir",
    "VNNEWS_FLOW_TIMEOUT": "flow_timeout",
    "VNNEWS_NOTIFY_URL": "notify_url",
    "VNNEWS_SOURCES_FILE": "sources_file",
    "VNNEWS_USER_AGENT": "user_agent",
    "VNNEWS_FETCH_INTERVAL": "fetch_interval",
    "VNNEWS_FETCH_PER_HOST": "fetch_per_host",
    "VNNEWS_FETCH_WORKERS": "fetch_workers",
    "VNNEWS_FETCH_TIMEOUT": "fetch_timeout",
    "VNNEWS_FETCH_RETRIES": "fetch_retries",
    "VNNEWS_MAX_PAGES_PER_LISTING": "max_pages_per_listing",
    "VNNEWS_ALLOW_PRIVATE_HOSTS": "allow_private_hosts",
    "VNNEWS_LICENCE": "licence",
}

# One source in a list of several ($VNNEWS_SOURCES, split on os.pathsep): a URL keeps the colons
# of its scheme and port.
SOURCE = re.compile(r"https?://[^\s:]+(?::\d+)?[^\s:]*|[^:\s][^:]*")


def _cache_home() -> Path:
    if given := os.environ.get("XDG_CACHE_HOME"):
        return Path(given)
    try:
        return Path.home() / ".cache"
    except RuntimeError:  # no home directory (a bare service account): the cache is optional
        return Path(tempfile.gettempdir())


def _source(value: str | Path) -> Path | str:
    """A URL stays text; anything else is a local path."""
    if isinstance(value, str) and re.match(r"https?://", value, re.IGNORECASE):
        return value
    return Path(value).expanduser()


def _words(value) -> tuple[str, ...]:
    """A list from TOML, or comma-separated text from the environment."""
    if isinstance(value, str):
        value = value.split(",")
    return tuple(str(v).strip() for v in value if str(v).strip())


RUNNERS = ("local", "dask")


def _coerce(s: Settings) -> Settings:
    sources = s.sources
    if isinstance(sources, Path):
        sources = [sources]
    elif isinstance(sources, str):
        sources = SOURCE.findall(sources) if os.pathsep == ":" else sources.split(os.pathsep)
    if s.runner not in RUNNERS:
        raise SystemExit(f"runner = {s.runner!r}: use one of {', '.join(RUNNERS)}.")
    return replace(
        s,
        data_dir=Path(s.data_dir).expanduser().resolve(),
        cache_dir=Path(s.cache_dir).expanduser(),
        sources=tuple(_source(p) for p in sources),
        sources_file=Path(s.sources_file).expanduser() if s.sources_file else None,
        fetch_interval=float(s.fetch_interval),
        fetch_per_host=max(1, int(s.fetch_per_host)),
        fetch_workers=max(1, int(s.fetch_workers)),
        fetch_timeout=float(s.fetch_timeout),
        fetch_retries=max(0, int(s.fetch_retries)),
        max_pages_per_listing=max(1, int(s.max_pages_per_listing)),
        allow_private_hosts=_words(s.allow_private_hosts),
        batch_size=max(1, int(s.batch_size)),
        part_size=max(1, int(s.part_size)),
        max_doc_bytes=int(s.max_doc_bytes),
        max_doc_chars=int(s.max_doc_chars),
        max_doc_seconds=float(s.max_doc_seconds),
        max_quarantine_share=float(s.max_quarantine_share),
        workers=max(1, int(s.workers)),
        lock_timeout=float(s.lock_timeout),
        server_port=int(s.server_port),
        server_start_timeout=float(s.server_start_timeout),
        flow_timeout=float(s.flow_timeout),
        expectations_dir=Path(s.expectations_dir),
        rules_dir=Path(s.rules_dir),
        gazetteers_dir=Path(s.gazetteers_dir),
    )


def _from_toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            table = tomllib.load(fh).get("vnnews", {})
    except tomllib.TOMLDecodeError as exc:
        raise SystemExit(
            f"{path}: not valid TOML ({exc}). Fix the file or unset VNNEWS_CONFIG."
        ) from exc
    known = {f.name for f in fields(Settings)} - {"extra"}
    unknown = set(table) - known
    if unknown:
        raise SystemExit(f"{path}: unknown [vnnews] keys {sorted(unknown)}; known: {sorted(known)}")
    return table


def load_settings(**overrides) -> Settings:
    """Settings from defaults, TOML file, environment, then the given overrides."""
    values: dict = {}
    config = Path(os.environ.get("VNNEWS_CONFIG", PROJECT_ROOT / "vnnews.toml"))
    if config.is_file():
        values.update(_from_toml(config))
    elif "VNNEWS_CONFIG" in os.environ:
        raise SystemExit(f"VNNEWS_CONFIG={config}: no such file.")
    values.update({attr: os.environ[env] for env, attr in _ENV.items() if os.environ.get(env)})
    return Settings().with_overrides(**values).with_overrides(**overrides)


def run_settings(
    sources: list[str] | None = None, data_dir: str | None = None, sources_file: str | None = None
) -> Settings:
    """The settings of one run of the flow with these arguments. A sources file given alone
    means its outlets alone, not the default seeds/ as well."""
    settings = load_settings(
        data_dir=data_dir, sources=tuple(sources or ()), sources_file=sources_file
    )
    if settings.sources_file and not sources and not os.environ.get("VNNEWS_SOURCES"):
        settings = replace(settings, sources=())
    return settings


def quiet_telemetry() -> None:
    """Turn off Prefect and GX analytics unless the user set them explicitly."""
    for key, value in TELEMETRY_OFF.items():
        os.environ.setdefault(key, value)
