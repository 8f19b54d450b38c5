"""Webhook delivery throughput against a bare httpx.AsyncClient, in the same run.

For each backend: a fresh database with N queued messages for one subscription, a receiver (uvicorn, one worker)
on 127.0.0.1, then
  - bare: httpx.AsyncClient posting the same N bodies at the same concurrency, nothing else;
  - worker: the real delivery worker (claim in short transactions, resolve and check the address, sign, send, record
    every attempt and the message's new state) run until nothing is due.
Alternates bare / worker, three pairs, keeps the median, prints messages/s and the ratio (target ≥ 0.5).

    .venv/bin/python bench/webhooks.py [--messages 10000] [--concurrency 32] [--rounds 3] [--backends sqlite,postgresql]
"""

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import delete, func, select
from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.clock import utcnow  # noqa: E402
from app.config import Settings  # noqa: E402
from app.db import make_engine  # noqa: E402
from app.webhooks import outbox  # noqa: E402
from app.webhooks.delivery import Deliverer  # noqa: E402
from app.webhooks.models import MessageStatus, WebhookAttempt, WebhookEndpoint, WebhookMessage  # noqa: E402
from app.webhooks.security import new_secret  # noqa: E402
from bench.common import BIN, fresh_database, serve  # noqa: E402

TARGET = 0.5


def body(i: int) -> dict:
    text = (f"Nhiệm vụ 'Triển khai nhiệm vụ chuyển đổi số số {i}' của Bộ Tài chính đã quá hạn 5 ngày "
            "(thời hạn 30/6/2026).")
    return {"type": "task.overdue", "timestamp": "2026-11-23T01:00:00+00:00",
            "data": {"task_id": i, "title": f"Triển khai nhiệm vụ chuyển đổi số số {i}", "days_overdue": 5,
                     "lead_agency": {"code": "000.00.00.G12", "name": "Bộ Tài chính"}, "text": text}}


def queue(engine, endpoint_id: int, count: int) -> None:
    now = utcnow()
    with Session(engine) as session:
        session.execute(delete(WebhookAttempt))
        session.execute(delete(WebhookMessage))
        for start in range(0, count, 2000):
            rows = [outbox.message_row(endpoint_id=endpoint_id, event_type="task.overdue", now=now,
                                                dedupe_key=f"bench:{i}", payload=body(i))
                    for i in range(start, min(count, start + 2000))]
            outbox.enqueue(session, rows)
        session.commit()


async def bare(url: str, count: int, concurrency: int) -> float:
    payloads = [httpx.Request("POST", url, json=body(i)).content for i in range(count)]
    semaphore = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=15) as client:
        async def post(content: bytes) -> None:
            async with semaphore:
                response = await client.post(url, content=content, headers={"content-type": "application/json"})
                assert response.status_code == 200

        started = time.perf_counter()
        await asyncio.gather(*(post(p) for p in payloads))
        return count / (time.perf_counter() - started)


async def worker(engine, settings: Settings, count: int) -> float:
    deliverer = Deliverer(session_factory=lambda: Session(engine, expire_on_commit=False), settings=settings)
    try:
        started = time.perf_counter()
        attempts = await deliverer.run_until_idle()
        elapsed = time.perf_counter() - started
    finally:
        await deliverer.aclose()
    with Session(engine) as session:
        delivered = session.scalar(select(func.count()).select_from(WebhookMessage).where(
            WebhookMessage.status == MessageStatus.delivered))
    assert attempts == count and delivered == count, (attempts, delivered)
    return count / elapsed


def bench_backend(backend: str, args, workdir: Path) -> dict:
    with fresh_database(backend, workdir) as url:
        settings = Settings(database_url=url, webhook_allow_http=True, webhook_allowed_networks="127.0.0.0/8",
                            webhook_concurrency=args.concurrency)
        engine = make_engine(settings.sqlalchemy_url).execution_options(sqlite_begin="IMMEDIATE")
        with serve([str(BIN / "uvicorn"), "bench.receiver:app", "--no-access-log", "--log-level", "warning"],
                   url, "/") as receiver_base:
            target = receiver_base + "/hook"
            with Session(engine) as session:
                endpoint = WebhookEndpoint(owner_agency_id=1, owner_is_secretariat=True, url=target,
                                           event_types=["task.overdue"], secret=new_secret())
                session.add(endpoint)
                session.commit()
                endpoint_id = endpoint.id
            rounds = []
            for _ in range(args.rounds):
                bare_rate = asyncio.run(bare(target, args.messages, args.concurrency))
                queue(engine, endpoint_id, args.messages)
                worker_rate = asyncio.run(worker(engine, settings, args.messages))
                rounds.append((worker_rate / bare_rate, worker_rate, bare_rate))
                print(f"[{backend}] worker {worker_rate:7.0f} msg/s  bare httpx {bare_rate:7.0f} msg/s  "
                      f"ratio {worker_rate / bare_rate:.3f}", flush=True)
        engine.dispose()
        ratio, worker_rate, bare_rate = sorted(rounds)[len(rounds) // 2]
        return {"ratio": ratio, "worker": worker_rate, "bare": bare_rate,
                "ratios": [r[0] for r in rounds], "spread": statistics.pstdev(r[0] for r in rounds)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = {backend: bench_backend(backend, args, Path(tmp)) for backend in args.backends.split(",")}
    print(f"\n{args.messages} messages, concurrency {args.concurrency}, median of {args.rounds}")
    print("backend     worker msg/s  bare msg/s  ratio  target")
    for backend, r in results.items():
        print(f"{backend:11s} {r['worker']:12.0f} {r['bare']:11.0f}  {r['ratio']:.3f}  ≥ {TARGET}  "
              f"(rounds: {', '.join(f'{x:.3f}' for x in r['ratios'])})")


if __name__ == "__main__":
    main()
