"""Memory per idle websocket in Granian (and, for scale, in uvicorn): the smallest app that shows it.

An ASGI app that accepts every websocket and then only waits; N clients connect and stay idle. Prints the
server's RSS growth per connection. Granian 2.8.9 upgrades with ``upgrade_intent(req, None)``, so every
socket gets tungstenite's default ``WebSocketConfig``, whose 128 KiB read buffer is allocated up front.

    python docs/upstream/granian-websocket-buffer/repro.py [N]          # Granian (default N=200)
    python docs/upstream/granian-websocket-buffer/repro.py [N] uvicorn  # uvicorn + wsproto, same app
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path


async def app(scope, receive, send):  # the whole ASGI app
    if scope["type"] == "lifespan":
        while (message := await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    if scope["type"] != "websocket":
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})
        return
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    await send({"type": "websocket.send", "text": "ready"})
    while (await receive())["type"] != "websocket.disconnect":
        pass


def _rss_kb(pid: int) -> int:
    """RSS of the server and its children (Granian's worker is a child process)."""
    total = 0
    pids = [pid] + [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    for each in pids:
        for line in Path(f"/proc/{each}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def _open(url: str, n: int):
    import aiohttp

    http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
    sockets = []
    for _ in range(n):
        ws = await http.ws_connect(url)
        assert (await ws.receive_str()) == "ready"
        sockets.append(ws)
    return http, sockets


async def main(n: int, server: str) -> None:
    port = _free_port()
    here = Path(__file__).resolve().parent
    command = ([sys.executable, "-m", "granian", "--interface", "asgi", "--workers", "1", "--port", str(port),
                "repro:app"] if server == "granian" else
               [sys.executable, "-m", "uvicorn", "--ws", "wsproto", "--port", str(port), "repro:app"])
    process = subprocess.Popen(command, cwd=here, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):  # the server is up when its port answers
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            await asyncio.sleep(0.05)
        url = f"ws://127.0.0.1:{port}/"
        http, warm = await _open(url, 20)  # first sockets grow pools and arenas once: not per socket
        for ws in warm:
            await ws.close()
        await asyncio.sleep(0.5)
        before = _rss_kb(process.pid)
        http2, sockets = await _open(url, n)
        await asyncio.sleep(0.5)
        after = _rss_kb(process.pid)
        print(f"{server}: {n} idle websockets, server RSS {before} -> {after} KB: "
              f"{(after - before) / n:.0f} KB per websocket")
        for ws in sockets:
            await ws.close()
        await http.close()
        await http2.close()
    finally:
        process.terminate()
        process.wait(timeout=10)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 200,
                     sys.argv[2] if len(sys.argv) > 2 else "granian"))
