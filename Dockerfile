# Rõ Việc API. Build: docker build -t roviec .   Run: docker run -p 8000:8000 -v roviec-data:/data roviec
# Bookworm, pinned: its postgresql-client is 15, the server of deploy/compose.yaml (pg_dump refuses a newer server,
# and pg_restore is surest at the server's own version).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    ROVIEC_HOST=0.0.0.0 \
    ROVIEC_PORT=8000 \
    ROVIEC_DATABASE_URL=sqlite:////data/roviec.db

# Liberation Serif: the PDF export's font (Times New Roman's widths, every Vietnamese diacritic), embedded in each PDF.
# postgresql-client: pg_dump and pg_restore for `roviec backup` / `roviec restore` on PostgreSQL.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-liberation2 postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY app ./app
RUN pip install -e .
COPY alembic.ini ./
COPY migrations ./migrations
COPY seed ./seed

RUN useradd --system --uid 10001 --home-dir /app roviec \
    && mkdir -p /data && chown roviec /data
USER roviec
VOLUME ["/data"]
EXPOSE 8000

# Liveness only (/healthz asks no database), so a single container on SQLite is healthy as soon as it serves; compose
# files ask /readyz instead (deploy/compose.yaml).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"

# Migrations first (they are the only way the schema is made), then the server, which also runs the webhook
# delivery and the deadline watch unless ROVIEC_SCHEDULER=off (then run `roviec worker` in another container).
CMD ["sh", "-c", "roviec migrate && exec roviec serve"]
