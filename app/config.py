from functools import lru_cache
from pathlib import Path
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
    db_pool_size: int = 20
    threads: int | None = None  # interactive threads per process; default 1 on SQLite, 2 on PostgreSQL
    heavy_threads: int = 2  # threads for long reports

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
