"""A real HTTP receiver on 127.0.0.1 for webhook tests: records every request and answers as scripted per path."""

import asyncio
import socket
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

import uvicorn


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b"ok"


class Receiver:
    def __init__(self, delay_seconds: float = 0.0):
        self.received: list[Received] = []
        self.scripts: dict[str, list[Reply]] = defaultdict(list)
        self.delay_seconds = delay_seconds
        self._lock = threading.Lock()
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning", access_log=False,
                                interface="asgi3",
                                lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> "Receiver":
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("receiver did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def script(self, path: str, *replies: Reply) -> str:
        """Answers the next requests to `path` with `replies` in turn, then 200."""
        self.scripts[path].extend(replies)
        return self.base_url + path

    def at(self, path: str) -> list[Received]:
        with self._lock:
            return [r for r in self.received if r.path == path]

    async def app(self, scope, receive, send):
        body = b""
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the sender died mid-request (the crash test kills workers): nothing was delivered
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        with self._lock:
            self.received.append(Received(scope["path"], headers, body))
            script = self.scripts.get(scope["path"])
            reply = script.pop(0) if script else Reply()
        if self.delay_seconds:
            await asyncio.sleep(self.delay_seconds)
        await send({"type": "http.response.start", "status": reply.status,
                    "headers": [(k.encode(), v.encode()) for k, v in reply.headers.items()]})
        await send({"type": "http.response.body", "body": reply.body})
