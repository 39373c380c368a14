"""4. Under load: N simulated clients replaying the websocket events that a real browser sent.

RECORD (``--record``): Playwright drives the signup wizard (일반 회원가입 as the sandbox person 홍길동, STEP 01
to 04 with 중복체크, passwords, 주소찾기, 회원가입 확인) and the card page (로그인 as the demo account
``demofull``, then /card) in Debian's chromium and captures every socket.io frame of the page's websockets
(``page.on("websocket")`` → framesent / framereceived). The frames are cut into *steps*: the events the page
sent together, and the updates the server sent back before the page sent again. The recordings
(bench/recordings/*.json) keep the sent events as sent, and of each received update only which substates and
frontend events it carried. Browser-storage values the server handed out (the signup draft token, the session
cookie) are replaced by ``$live:<var>`` and filled in at replay time with what this client got, as the
browser does through ``update_vars_internal`` and the hydrate's client storage.

REPLAY: every simulated client is a python-socketio AsyncClient that connects like Reflex 0.10.1's
state.js: ``ws://host:port/_event/?token=<fresh uuid>&EIO=4&transport=websocket``, with the hydrate event
(``hydrate_and_load``) and the state schema in the socket.io CONNECT packet's auth. It then sends each step's
events in order and times the step until the server's updates for it have arrived: as many "event" messages
as the browser got, the last one carrying the same substates and frontend events (Reflex 0.10 has no "final"
flag any more). A new connection of the recording (a full page load) is a new socket with a new token, as in
the browser. Before a client closes a socket at the end of a page (the next page load, or the end of the
flow, when a person closes the tab), it does what the page does at ``pagehide``: it posts its tab ID and
tab key to the app's beacon endpoint (yongin_app/tab_lifecycle.py), so the server frees that tab's state
as it does for a browser instead of keeping it until it expires. A socket cut by the end of the measuring
window sends nothing (that page is still open). Clients alternate between the two flows and think 1–3 s
between steps (``THINK_S``).

The final 회원가입 확인 is recorded but not replayed: it creates the account, so it would succeed once per
sandbox person; its cost is measured in event_latency.py against the bare argon2id hash.

Reported per mode and N: p50/p95/p99 step round trip, events/s, errors (connect failures, timeouts, updates
that differ from the recording, the app's error toast), and the backend's memory per client: (sum of RSS of
the server's processes with N clients connected − before they connected) / N; in the scaled mode also Redis'
used_memory per client. The reference of each figure is a single client replaying the same flows (think time
0.2–0.4 s) in the same run against the same server. In full mode 20 clients warm the workers up first (a
fresh worker's heap grows on its first traffic, whatever the number of clients). To tell a slow server from
a busy machine, each point also shows the server's CPU, the whole machine's CPU and how long the server's
threads waited for a core (/proc schedstat).

If the app's state tree changed since the committed recordings were made (the server answers the recorded
CONNECT with state_mismatch), run() records the flows anew into its workdir and replays those; refresh the
committed ones with ``python bench/load.py --record``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # `python bench/load.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    ROOT,
    Row,
    Server,
    app_server,
    format_table,
    percentile,
)

RECORDINGS = ROOT / "bench" / "recordings"
FLOWS = ("signup", "card")
SIGNUP_PERSON = "홍길동"
CARD_LOGIN = ("demofull", "Chaekbit-2026!")  # demo account of README.md (a 정회원 with a 회원증)
NOT_REPLAYED_MARK = "회원가입 확인 (not replayed)"
NAMESPACE = "/_event"
THINK_S = (1.0, 3.0)  # a person's pause between two actions, uniform
REFERENCE_THINK_S = (0.2, 0.4)  # the single reference client: its latency does not depend on the pause
STEP_TIMEOUT_S = 60.0
QUIET_S = 10.0  # no update for this long while one is still expected: the step is judged different
TARGET_N = 200
TARGET_P95_MS = 100.0
TARGET_KB_PER_CLIENT = 100.0  # issue 15 (was 50 KB)
FULL_NS = (50, 200, 500)
WARM_UP_CLIENTS = 20
QUICK_NS = (10,)
SCALED_WORKERS = (2, 3)
# Markers of the app's backend error toast and live region (yongin_app/states/errors.py).
ERROR_MARKERS = ("backend-error-alert", "backend_error")
DB_UNAVAILABLE_TEXT = "데이터베이스에 연결할 수 없습니다"
_FRAME = re.compile(r"^(4[02])/_event,(\d*)(.*)$", re.S)


# ---------------------------------------------------------------- recording


class _Capture:
    """Every socket.io frame of the page's Reflex websockets, in order, with marks between them."""

    def __init__(self, page) -> None:
        self.sockets: list[list[dict[str, Any]]] = []
        page.on("websocket", self._on_websocket)

    def _on_websocket(self, ws) -> None:
        if "/_event" not in ws.url:
            return
        frames: list[dict[str, Any]] = []
        self.sockets.append(frames)
        ws.on("framesent", lambda payload: frames.append({"dir": "sent", "data": payload}))
        ws.on("framereceived", lambda payload: frames.append({"dir": "recv", "data": payload}))

    def wait_quiet(self, page, quiet_s: float = 0.5) -> None:
        """Waits until no frame has come or gone for ``quiet_s`` (the last updates of an action are in)."""
        count, since = -1, time.monotonic()
        while time.monotonic() - since < quiet_s:
            page.wait_for_timeout(50)
            now = sum(len(frames) for frames in self.sockets)
            if now != count:
                count, since = now, time.monotonic()

    def mark(self, label: str) -> None:
        self.sockets[-1].append({"dir": "mark", "label": label})


def _parse(data: Any) -> tuple[str, Any] | None:
    """("connect", auth) for a CONNECT packet, ("event", [name, body]) for an EVENT packet, else None."""
    if not isinstance(data, str):
        return None
    match = _FRAME.match(data)
    if match is None:
        return None
    kind, _ack, body = match.groups()
    payload = json.loads(body) if body else None
    return ("connect" if kind == "40" else "event"), payload


def _summary(update: dict[str, Any]) -> dict[str, Any]:
    return {
        "states": sorted((update.get("delta") or {}).keys()),
        "events": [event.get("name", "") for event in update.get("events") or []],
    }


def _storage_vars(event: dict[str, Any]) -> dict[str, Any]:
    return ((event or {}).get("payload") or {}).get("vars") or {}


def _replace_strings(value: Any, secrets: dict[str, str]) -> Any:
    if isinstance(value, str):
        return f"$live:{secrets[value]}" if value in secrets else value
    if isinstance(value, list):
        return [_replace_strings(item, secrets) for item in value]
    if isinstance(value, dict):
        return {key: _replace_strings(item, secrets) for key, item in value.items()}
    return value


def build_recording(flow: str, sockets: list[list[dict[str, Any]]], meta: dict[str, Any]) -> dict[str, Any]:
    """Cuts the captured frames into connections and steps and takes out the storage values."""
    storage_keys: set[str] = set()
    secrets: dict[str, str] = {}  # a value the server handed to browser storage -> its var
    for frames in sockets:
        for frame in frames:
            parsed = _parse(frame.get("data"))
            if parsed is None:
                continue
            kind, payload = parsed
            event = payload.get("event") if kind == "connect" else (payload[1] if payload[0] == "event" else None)
            if frame["dir"] == "sent" and isinstance(event, dict):
                for key, value in _storage_vars(event).items():
                    storage_keys.add(key)
                    if isinstance(value, str) and value:
                        secrets[value] = key
    for frames in sockets:  # the values may first appear in an update
        for frame in frames:
            parsed = _parse(frame.get("data"))
            if frame["dir"] != "recv" or parsed is None or parsed[0] != "event" or parsed[1][0] != "event":
                continue
            for state, fields in (parsed[1][1].get("delta") or {}).items():
                for name, value in (fields or {}).items():
                    if f"{state}.{name}" in storage_keys and isinstance(value, str) and value:
                        secrets[value] = f"{state}.{name}"

    connections = []
    replay = True
    for frames in sockets:
        connection: dict[str, Any] = {"boot": None, "boot_responses": [], "steps": []}
        for frame in frames:
            if frame["dir"] == "mark":
                replay = False
                continue
            parsed = _parse(frame["data"])
            if parsed is None:
                continue
            kind, payload = parsed
            if frame["dir"] == "sent" and kind == "connect":
                connection["boot"] = _replace_strings(payload, secrets)
            elif frame["dir"] == "sent" and payload and payload[0] == "event":
                steps = connection["steps"]
                if not steps or steps[-1]["responses"] or steps[-1]["replay"] != replay:
                    steps.append({"events": [], "responses": [], "replay": replay})
                steps[-1]["events"].append(_replace_strings(payload[1], secrets))
            elif frame["dir"] == "recv" and kind == "event" and payload and payload[0] == "event":
                target = connection["steps"][-1]["responses"] if connection["steps"] else connection["boot_responses"]
                target.append(_summary(payload[1]))
        if connection["boot"] is not None:
            boot_event = connection["boot"].get("event") or {}
            connection["path"] = (boot_event.get("router_data") or {}).get("asPath", "")
            connections.append(connection)
    return {
        "flow": flow,
        **meta,
        "storage_vars": sorted(storage_keys),
        "connections": connections,
    }


def record_flows(app: Server, out_dir: Path, db: Any) -> dict[str, dict[str, Any]]:
    """Drives both flows in chromium against ``app`` and writes ``out_dir/<flow>.json``."""
    from playwright.sync_api import expect, sync_playwright

    from tests.e2e import signup_steps
    from tests.e2e.helpers import log_in, open_login

    from importlib.metadata import version

    out_dir.mkdir(parents=True, exist_ok=True)
    recordings: dict[str, dict[str, Any]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for flow in FLOWS:
            context = browser.new_context(viewport=PHONE, locale="ko-KR", base_url=app.url, is_mobile=True,
                                          has_touch=True)
            page = context.new_page()
            capture = _Capture(page)
            if flow == "signup":
                db.call("tests.e2e.signup_steps:forget_person", SIGNUP_PERSON)
                signup_steps.general_signup_until_info(page)
                signup_steps.fill_required_info(page, signup_steps.new_login_id())
                capture.wait_quiet(page)
                capture.mark(NOT_REPLAYED_MARK)
                signup_steps.submit(page)
                signup_steps.expect_welcome(page, SIGNUP_PERSON)
            else:
                open_login(page)
                log_in(page, *CARD_LOGIN)
                expect(page.get_by_role("navigation", name="주 메뉴").get_by_role("button", name="로그아웃")).to_be_visible()
                capture.wait_quiet(page)
                page.goto("/card")
                expect(page.get_by_role("article", name="모바일 회원증")).to_be_visible()
            capture.wait_quiet(page)
            context.close()
            recording = build_recording(flow, capture.sockets, {
                "reflex": version("reflex"),
                "recorded_with": "bench/load.py --record (Playwright, Debian chromium, 390×844 phone)",
                "think_s": list(THINK_S),
            })
            recording["state_schema"] = (recording["connections"][0]["boot"] or {}).get("state_schema", "")
            (out_dir / f"{flow}.json").write_text(json.dumps(recording, ensure_ascii=False, indent=1) + "\n")
            recordings[flow] = recording
        browser.close()
    db.call("tests.e2e.signup_steps:forget_person", SIGNUP_PERSON)
    return recordings


def load_recordings(directory: Path = RECORDINGS) -> dict[str, dict[str, Any]] | None:
    paths = {flow: directory / f"{flow}.json" for flow in FLOWS}
    if not all(path.exists() for path in paths.values()):
        return None
    return {flow: json.loads(path.read_text()) for flow, path in paths.items()}


# ---------------------------------------------------------------- replay


@dataclass
class StepResult:
    finished_at: float  # perf_counter
    seconds: float
    events: int
    kind: str  # "connect" or "event"
    label: str = ""  # the handler of the step's last event


@dataclass
class LoadStats:
    steps: list[StepResult] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    flows_done: int = 0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


class StepMismatch(Exception):
    pass


def _label(event: dict[str, Any]) -> str:
    """"login_state.submit /login/" for an event."""
    state, _, handler = event.get("name", "").rpartition(".")
    path = (event.get("router_data") or {}).get("pathname", "")
    field_name = (event.get("payload") or {}).get("field")
    return f"{state.rpartition('.')[2].split('____')[-1]}.{handler} {path}" + (f" {field_name}" if field_name else "")


def _fill_live(value: Any, live: dict[str, str]) -> Any:
    if isinstance(value, str):
        return live.get(value[6:], "") if value.startswith("$live:") else value
    if isinstance(value, list):
        return [_fill_live(item, live) for item in value]
    if isinstance(value, dict):
        return {key: _fill_live(item, live) for key, item in value.items()}
    return value


def _tab_left_protocol() -> tuple[str, str]:
    """(the beacon's path, the tab key's storage var): what the page's pagehide script sends."""
    from reflex_base.constants.state import FIELD_MARKER

    from yongin_app.states.tab_guard import TabGuardState
    from yongin_app.tab_lifecycle import LEFT_PATH

    return LEFT_PATH, f"{TabGuardState.get_full_name()}.tab_key{FIELD_MARKER}"


class SimClient:
    """One browser tab's worth of socket.io traffic."""

    def __init__(self, base_url: str, stats: LoadStats, *, think_s: tuple[float, float], stop_at: float,
                 rng: random.Random, http: Any = None) -> None:
        self.base_url = base_url
        self.stats = stats
        self.think_s = think_s
        self.stop_at = stop_at
        self.rng = rng
        self.http = http  # an httpx.AsyncClient for the pagehide beacon; None: no beacon (a probe)
        self.left_path, self.key_var = _tab_left_protocol()

    async def run_flow(self, recording: dict[str, Any]) -> None:
        live: dict[str, str] = {}  # this client's browser storage
        storage_keys = set(recording["storage_vars"])
        for connection in recording["connections"]:
            if time.perf_counter() >= self.stop_at:
                return
            if not await self._run_connection(connection, live, storage_keys):
                return
        self.stats.flows_done += 1

    async def _run_connection(self, connection: dict[str, Any], live: dict[str, str], storage_keys: set[str]) -> bool:
        import socketio

        inbox: asyncio.Queue = asyncio.Queue()
        mismatch = asyncio.Event()
        sio = socketio.AsyncClient(reconnection=False, handle_sigint=False)

        def on_event(data: Any) -> None:
            inbox.put_nowait((time.perf_counter(), data))

        sio.on("event", on_event, namespace=NAMESPACE)
        sio.on("state_mismatch", lambda *_: mismatch.set(), namespace=NAMESPACE)
        token = str(uuid.uuid4())
        started = time.perf_counter()
        try:
            try:
                await sio.connect(f"{self.base_url}?token={token}", transports=["websocket"], socketio_path="_event",
                                  namespaces=[NAMESPACE], auth=_fill_live(connection["boot"], live),
                                  wait_timeout=STEP_TIMEOUT_S)
            except Exception:  # socketio.exceptions.ConnectionError and transport errors
                self.stats.error("connect failed")
                return False
            try:
                finished = await self._await_updates(inbox, connection["boot_responses"], live, storage_keys)
            except StepMismatch as exc:
                self.stats.error("state schema mismatch (stale recording)" if mismatch.is_set()
                                 else f"{exc} (connect {connection.get('path', '')})")
                return False
            if mismatch.is_set():
                self.stats.error("state schema mismatch (stale recording)")
                return False
            self.stats.steps.append(StepResult(finished, finished - started, 1, "connect",
                                               "connect " + connection.get("path", "")))
            for step in connection["steps"]:
                if not step["replay"]:
                    break
                await asyncio.sleep(self.rng.uniform(*self.think_s))
                if time.perf_counter() >= self.stop_at:
                    return False
                started = time.perf_counter()
                for event in step["events"]:
                    await sio.emit("event", _fill_live(event, live), namespace=NAMESPACE)
                if not step["responses"]:
                    continue  # nothing to wait for: the browser got no update either
                try:
                    finished = await self._await_updates(inbox, step["responses"], live, storage_keys)
                except StepMismatch as exc:
                    self.stats.error(f"{exc} ({_label(step['events'][-1])})")
                    return False
                self.stats.steps.append(StepResult(finished, finished - started, len(step["events"]), "event",
                                                   _label(step["events"][-1])))
                if not sio.connected:
                    self.stats.error("disconnected")
                    return False
            await self._pagehide(token, live)
            return True
        finally:
            with suppress(Exception):
                await sio.disconnect()

    async def _pagehide(self, token: str, live: dict[str, str]) -> None:
        """The page's pagehide script: its tab ID and key to the beacon endpoint, before the socket closes."""
        import httpx

        key = live.get(self.key_var, "")
        if self.http is None or not key:
            return
        try:
            answer = await self.http.post(self.base_url + self.left_path, data={"token": token, "key": key})
            ok = answer.status_code == 204
        except httpx.HTTPError:
            ok = False
        if not ok:
            self.stats.error("pagehide beacon failed")

    async def _await_updates(self, inbox: asyncio.Queue, expected: list[dict[str, Any]], live: dict[str, str],
                             storage_keys: set[str]) -> float:
        """Waits for the step's updates; returns when the last one arrived."""
        got = 0
        last: dict[str, Any] | None = None
        finished = time.perf_counter()
        deadline = finished + STEP_TIMEOUT_S
        while not (got >= len(expected) and last == expected[-1]):
            if got > len(expected) + 5:
                raise StepMismatch("updates differ from the recording")
            remaining = min(deadline - time.perf_counter(), QUIET_S if got else STEP_TIMEOUT_S)
            try:
                finished, update = await asyncio.wait_for(inbox.get(), timeout=max(remaining, 0.001))
            except asyncio.TimeoutError:
                raise StepMismatch("timeout" if got == 0 else "updates differ from the recording") from None
            got += 1
            update = update if isinstance(update, dict) else {}
            for state, fields in (update.get("delta") or {}).items():
                for name, value in (fields or {}).items():
                    if f"{state}.{name}" in storage_keys:
                        live[f"{state}.{name}"] = value
            events_json = json.dumps(update.get("events") or [], ensure_ascii=False)
            if any(marker in events_json for marker in ERROR_MARKERS):
                raise StepMismatch("app error toast: database unavailable" if DB_UNAVAILABLE_TEXT in events_json
                                   else "app error toast: other")
            last = _summary(update)
        return finished


async def _replay(base_url: str, recordings: dict[str, dict[str, Any]], clients: int, *, ramp_s: float,
                  window_s: float, think_s: tuple[float, float], flows_per_client: int | None,
                  on_window_start=None, beacon: bool = True) -> tuple[LoadStats, float, float]:
    stats = LoadStats()
    start = time.perf_counter()
    window_start = start + ramp_s
    stop_at = window_start + window_s if flows_per_client is None else start + 600.0
    order = [recordings[flow] for flow in FLOWS]

    import httpx

    # One pool for every client's beacons (a browser's beacon is one small POST on its own connection).
    http = httpx.AsyncClient(timeout=STEP_TIMEOUT_S, limits=httpx.Limits(max_connections=max(clients, 10)))

    async def one(index: int) -> None:
        rng = random.Random(index)
        await asyncio.sleep(ramp_s * index / max(clients, 1))
        client = SimClient(base_url, stats, think_s=think_s, stop_at=stop_at, rng=rng, http=http if beacon else None)
        done = 0
        while time.perf_counter() < stop_at and (flows_per_client is None or done < flows_per_client):
            await client.run_flow(order[(index + done) % len(order)])
            done += 1

    async def window_hook() -> None:
        await asyncio.sleep(max(0.0, window_start - time.perf_counter()))
        if on_window_start is not None:
            on_window_start()

    hook = asyncio.create_task(window_hook())
    try:
        await asyncio.gather(*(one(i) for i in range(clients)))
    finally:
        await http.aclose()
    hook.cancel()
    return stats, window_start, min(stop_at, time.perf_counter())


# ---------------------------------------------------------------- memory


def _rss_bytes(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/statm") as statm:
                total += int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            pass
    return total


def _cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, ValueError, IndexError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


def _run_queue_seconds(pids: list[int]) -> float:
    """Time the processes' threads spent runnable but waiting for a core (schedstat run_delay)."""
    total = 0
    for pid in pids:
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{pid}/task/{task}/schedstat") as schedstat:
                    total += int(schedstat.read().split()[1])
            except (OSError, ValueError, IndexError):
                pass
    return total / 1e9


def _machine_cpu() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine."""
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return float(sum(values) - idle), float(sum(values))


class MemorySampler:
    """Samples the summed RSS and CPU time of the server's processes (and Redis' used_memory) once a
    second."""

    def __init__(self, server: Server, redis_url: str | None) -> None:
        self.server = server
        self.redis_url = redis_url
        self.samples: list[tuple[float, int, int]] = []
        self.cpu: list[tuple[float, float]] = []
        self.machine: list[tuple[float, float, float]] = []
        self.run_queue: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def redis_used(self) -> int:
        if not self.redis_url:
            return 0
        import redis

        client = redis.Redis.from_url(self.redis_url)
        try:
            return int(client.info("memory")["used_memory"])
        finally:
            client.close()

    def reading(self) -> tuple[int, int]:
        return _rss_bytes(self.server.backend_pids()), self.redis_used()

    def _run(self) -> None:
        while not self._stop.wait(1.0):
            rss, used = self.reading()
            now = time.perf_counter()
            self.samples.append((now, rss, used))
            pids = self.server.backend_pids()
            self.cpu.append((now, _cpu_seconds(pids)))
            self.run_queue.append((now, _run_queue_seconds(pids)))
            self.machine.append((now, *_machine_cpu()))

    def machine_percent(self, start: float, end: float) -> float:
        """The whole machine's CPU use (100 % per core, so 200 % here is every core busy)."""
        inside = [m for m in self.machine if start <= m[0] <= end]
        if len(inside) < 2:
            inside = self.machine
        if len(inside) < 2:
            return float("nan")
        busy, total = inside[-1][1] - inside[0][1], inside[-1][2] - inside[0][2]
        return 100.0 * (os.cpu_count() or 1) * busy / max(total, 1.0)

    def cpu_percent(self, start: float, end: float, series: list[tuple[float, float]] | None = None) -> float:
        """The server's CPU use between two moments (100 % = one core busy); with ``series`` the same
        rate of another counter in seconds."""
        series = self.cpu if series is None else series
        inside = [(at, cpu) for at, cpu in series if start <= at <= end]
        if len(inside) < 2:
            inside = series
        if len(inside) < 2:
            return float("nan")
        return 100.0 * (inside[-1][1] - inside[0][1]) / max(inside[-1][0] - inside[0][0], 1e-9)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


# ---------------------------------------------------------------- one load point


@dataclass
class LoadPoint:
    mode: str
    clients: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    connect_p95_ms: float
    events_per_s: float
    steps: int
    errors: int
    error_kinds: dict[str, int]
    kb_per_client: float
    redis_kb_per_client: float | None
    loadgen_cpu_pct: float
    server_cpu_pct: float
    machine_cpu_pct: float
    run_queue_ms_per_s: float  # the server's threads waiting for a core, per second of wall time
    connections: int  # sockets opened (each a new Reflex token), in the whole run
    by_label: dict[str, tuple[int, float, float]] = field(default_factory=dict)  # label -> (n, p50, p95) ms

    @property
    def kb_per_socket(self) -> float:
        return self.kb_per_client * self.clients / max(self.connections, 1)

    def slowest(self, count: int = 4) -> str:
        worst = sorted(self.by_label.items(), key=lambda item: -item[1][2])[:count]
        return "; ".join(f"{label}: p50 {p50:.0f} / p95 {p95:.0f} ms (n={n})" for label, (n, p50, p95) in worst)


def run_load_point(server: Server, recordings: dict[str, dict[str, Any]], mode: str, clients: int, *,
                   ramp_s: float, window_s: float, think_s: tuple[float, float] = THINK_S,
                   flows_per_client: int | None = None, redis_url: str | None = None,
                   beacon: bool = True) -> LoadPoint:
    time.sleep(2.0)  # let the previous point's disconnects settle before the idle reading
    sampler = MemorySampler(server, redis_url)
    idle_rss, idle_redis = sampler.reading()
    cpu_before = time.process_time()
    wall_before = time.perf_counter()
    with sampler:
        stats, window_start, window_end = asyncio.run(_replay(
            server.url, recordings, clients, ramp_s=ramp_s, window_s=window_s, think_s=think_s,
            flows_per_client=flows_per_client, beacon=beacon))
    loadgen_cpu = 100.0 * (time.process_time() - cpu_before) / max(time.perf_counter() - wall_before, 1e-9)
    if flows_per_client is not None:
        window_start, window_end = wall_before, time.perf_counter()
    in_window = [s for s in stats.steps if window_start <= s.finished_at <= window_end] or stats.steps
    events = [s for s in in_window if s.kind == "event"] or in_window
    connects = [s for s in in_window if s.kind == "connect"] or in_window
    span = max(window_end - window_start, 1e-9)
    loaded = [(rss, used) for at, rss, used in sampler.samples if window_start + (window_end - window_start) / 2 <= at <= window_end]
    if not loaded:
        loaded = [(rss, used) for _, rss, used in sampler.samples] or [sampler.reading()]
    rss = statistics.median(r for r, _ in loaded)
    used = statistics.median(u for _, u in loaded)
    ms = [s.seconds * 1000 for s in events] or [float("nan")]
    return LoadPoint(
        mode=mode, clients=clients,
        p50_ms=percentile(ms, 50), p95_ms=percentile(ms, 95), p99_ms=percentile(ms, 99),
        connect_p95_ms=percentile([s.seconds * 1000 for s in connects], 95) if connects else float("nan"),
        events_per_s=sum(s.events for s in in_window) / span, steps=len(in_window),
        errors=sum(stats.errors.values()), error_kinds=dict(stats.errors),
        kb_per_client=(rss - idle_rss) / 1024 / clients,
        redis_kb_per_client=(used - idle_redis) / 1024 / clients if redis_url else None,
        loadgen_cpu_pct=loadgen_cpu,
        server_cpu_pct=sampler.cpu_percent(window_start, window_end),
        machine_cpu_pct=sampler.machine_percent(window_start, window_end),
        run_queue_ms_per_s=10 * sampler.cpu_percent(window_start, window_end, sampler.run_queue),
        connections=sum(1 for step in stats.steps if step.kind == "connect"),
        by_label=_by_label(in_window),
    )


def _by_label(steps: list[StepResult]) -> dict[str, tuple[int, float, float]]:
    grouped: dict[str, list[float]] = {}
    for step in steps:
        grouped.setdefault(step.label, []).append(step.seconds * 1000)
    return {label: (len(ms), percentile(ms, 50), percentile(ms, 95)) for label, ms in grouped.items()}


def point_rows(point: LoadPoint, reference: LoadPoint) -> list[Row]:
    at_target = point.clients == TARGET_N
    label = f"{point.mode} N={point.clients}"
    rows = [
        Row("4 load", f"{label} event p50", point.p50_ms, "ms", reference.p50_ms),
        Row("4 load", f"{label} event p95", point.p95_ms, "ms", reference.p95_ms,
            f"≤ {TARGET_P95_MS:.0f} ms at N={TARGET_N}", point.p95_ms <= TARGET_P95_MS if at_target else None),
        Row("4 load", f"{label} event p99", point.p99_ms, "ms", reference.p99_ms),
        Row("4 load", f"{label} connect+hydrate p95", point.connect_p95_ms, "ms", reference.connect_p95_ms),
        Row("4 load", f"{label} events/s", point.events_per_s, "ev/s"),
        Row("4 load", f"{label} errors" + (f" {point.error_kinds}" if point.errors else ""), point.errors, "",
            None, f"0 at N={TARGET_N}", point.errors == 0 if at_target else None),
        Row("4 load", f"{label} backend memory", point.kb_per_client, "KB/client", None,
            f"≤ {TARGET_KB_PER_CLIENT:.0f} KB at N={TARGET_N}",
            point.kb_per_client <= TARGET_KB_PER_CLIENT if at_target else None),
    ]
    if point.redis_kb_per_client is not None:
        rows.append(Row("4 load", f"{label} Redis memory", point.redis_kb_per_client, "KB/client"))
    rows.append(Row("4 load", f"{label} sockets opened (each a new Reflex token)", point.connections, ""))
    rows.append(Row("4 load", f"{label} backend memory per socket opened", point.kb_per_socket, "KB/socket"))
    cores = 100 * (os.cpu_count() or 1)
    rows.append(Row("4 load", f"{label} server CPU ({cores} % = every core)", point.server_cpu_pct, "%"))
    rows.append(Row("4 load", f"{label} machine CPU (server, load generator, databases, anything else)",
                    point.machine_cpu_pct, "%"))
    rows.append(Row("4 load", f"{label} server threads waiting for a core", point.run_queue_ms_per_s, "ms/s"))
    rows.append(Row("4 load", f"{label} load generator CPU", point.loadgen_cpu_pct, "%"))
    return rows


def knee_row(mode: str, points: list[LoadPoint]) -> Row:
    """Where p95 first misses 100 ms (or errors appear): the knee lies between that N and the one before."""
    previous: LoadPoint | None = None
    for point in points:
        if point.p95_ms > TARGET_P95_MS or point.errors:
            where = (f"between N={previous.clients} (p95 {previous.p95_ms:.0f} ms) and N={point.clients}"
                     if previous else f"at or below N={point.clients}")
            return Row("4 load", f"{mode} knee {where} (p95 {point.p95_ms:.0f} ms, {point.errors} errors)",
                       point.clients, "clients")
        previous = point
    return Row("4 load", f"{mode} knee: none up to N={points[-1].clients}", points[-1].clients, "clients")


# ---------------------------------------------------------------- servers and data


def _local_services_env() -> dict[str, str]:
    """YONGIN_DATABASE_URL and YONGIN_REDIS_URL of the environment when both are set (e.g. services started
    from another work tree), else of scripts/local-services.sh."""
    given = {key: os.environ.get(key, "") for key in ("YONGIN_DATABASE_URL", "YONGIN_REDIS_URL")}
    if all(given.values()):
        return given
    out = subprocess.run(["bash", "scripts/local-services.sh", "env"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    return dict(re.findall(r"export (\w+)='([^']*)'", out))


def scaled_settings(workers: int) -> dict[str, str]:
    """YONGIN_DATABASE_URL of the yongin_bench database (made and emptied of Redis here), Redis db 3."""
    import redis
    import sqlalchemy as sa

    services = _local_services_env()
    base_url = services["YONGIN_DATABASE_URL"]
    redis_url = re.sub(r"/\d+$", "/3", services["YONGIN_REDIS_URL"])
    bench_url = base_url.rsplit("/", 1)[0] + "/yongin_bench"
    engine = sa.create_engine(base_url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    with engine.connect() as conn:
        if not conn.exec_driver_sql("SELECT 1 FROM pg_database WHERE datname = 'yongin_bench'").scalar():
            conn.exec_driver_sql("CREATE DATABASE yongin_bench")
    engine.dispose()
    client = redis.Redis.from_url(redis_url)
    try:
        client.flushdb()
    finally:
        client.close()
    return {"YONGIN_DATABASE_URL": bench_url, "YONGIN_REDIS_URL": redis_url, "GRANIAN_WORKERS": str(workers)}


def _recordings_for(app: Server, workdir: Path, db: Any) -> tuple[dict[str, dict[str, Any]], str]:
    """The committed recordings, or new ones (in workdir) when they are missing or the app's state tree
    changed since they were made (the server answers state_mismatch)."""
    recordings = load_recordings()
    if recordings is not None:
        probe = LoadStats()
        asyncio.run(SimClient(app.url, probe, think_s=(0, 0), stop_at=time.perf_counter() + 60,
                              rng=random.Random(0))._run_connection(recordings["card"]["connections"][0], {}, set()))
        if not probe.errors:  # a stale recording is refused (state_mismatch) or answered differently
            return recordings, "bench/recordings"
        print(f"load: the committed recordings no longer replay ({probe.errors}); recording anew",
              file=sys.stderr, flush=True)
    return record_flows(app, workdir / "recordings", db), f"{workdir / 'recordings'} (committed ones are stale)"


def measure_mode(server: Server, recordings: dict[str, dict[str, Any]], mode: str, ns: tuple[int, ...], *,
                 quick: bool, redis_url: str | None = None, beacon: bool = True) -> list[LoadPoint]:
    ramp, window = (2.0, 8.0) if quick else (10.0, 40.0)
    reference = run_load_point(server, recordings, mode, 1, ramp_s=0.0, window_s=0.0, flows_per_client=2,
                               think_s=REFERENCE_THINK_S, redis_url=redis_url, beacon=beacon)
    print(f"  {mode} N=1: p95 {reference.p95_ms:.1f} ms; slowest steps: {reference.slowest()}", file=sys.stderr,
          flush=True)
    if reference.errors:  # one client alone cannot be overloaded: the app now answers a step differently
        raise SystemExit(f"load: the single reference client failed ({reference.error_kinds}); the recordings "
                         "no longer match the app: refresh them with `python -m bench.load --record`")
    points = [reference]
    if not quick:  # a fresh worker's first traffic grows its heap (imports, pools, caches): not per client
        # Every client replays both flows to their end, so each handler and each one-time load (e.g. the
        # 3.7 MB common-password list of the first password check, at signup step 04) has run once
        # before memory is measured; a time window of 1-3 s pauses stopped short of that.
        run_load_point(server, recordings, mode, WARM_UP_CLIENTS, ramp_s=2.0, window_s=0.0, flows_per_client=2,
                       think_s=REFERENCE_THINK_S, redis_url=redis_url, beacon=beacon)
    for clients in ns:
        points.append(run_load_point(server, recordings, mode, clients, ramp_s=max(ramp, clients / 50),
                                     window_s=window, redis_url=redis_url, beacon=beacon))
        print(f"  {mode} N={clients}: p95 {points[-1].p95_ms:.1f} ms, errors {points[-1].errors}, "
              f"{points[-1].events_per_s:.1f} ev/s, server CPU {points[-1].server_cpu_pct:.0f} %, "
              f"machine CPU {points[-1].machine_cpu_pct:.0f} %, run queue {points[-1].run_queue_ms_per_s:.0f} ms/s, "
              f"{points[-1].connections} sockets opened, {points[-1].kb_per_client:.0f} KB/client; slowest steps: {points[-1].slowest()}", file=sys.stderr, flush=True)
    return points


# --compare: each mode's setting before issue 15 beside today's, each on a fresh server, in one run.
# Embedded: clients that send no pagehide beacon (a left tab's state then waits 30 minutes to expire).
# Scaled: Reflex's opportunistic Redis lock off (rxconfig.py turns it on with Redis).
PREVIOUS_EMBEDDED = "embedded, previous (left tabs kept)"
PREVIOUS_SCALED_ENV = {"REFLEX_OPLOCK_ENABLED": "false"}


def run(quick: bool, workdir: Path, app: Server, blank: Server | None, *, ns: tuple[int, ...] | None = None,
        scaled_workers: tuple[int, ...] | None = None, embedded: bool = True, compare: bool = False) -> list[Row]:
    """Every mode and N of the full (or quick) run; ``ns``, ``scaled_workers`` and ``embedded`` pick a subset
    (``scaled_workers=()``: the embedded mode only); ``compare`` adds the previous setting of each mode."""
    from bench.event_latency import AppDb

    if app.env.get("YONGIN_RATE_LIMITS_ENABLED") != "false":
        # Every client replays one sandbox person from 127.0.0.1: the abuse limits would refuse all but
        # the first code send. Their cost per event is measured by event_latency and usecases instead.
        with app_server(rate_limits=False) as unlimited:
            return run(quick, workdir, unlimited, blank, ns=ns, scaled_workers=scaled_workers, embedded=embedded,
                       compare=compare)

    with AppDb(app) as db:
        db.call("tests.e2e.signup_steps:forget_person", SIGNUP_PERSON)
        recordings, source = _recordings_for(app, workdir, db)
    print(f"load: replaying {source}", file=sys.stderr, flush=True)
    results: list[tuple[str, list[LoadPoint]]] = []
    skipped: list[Row] = []
    ns = ns or (QUICK_NS if quick else FULL_NS)
    if embedded:
        if compare:  # the previous setting first, on a server of its own: RSS never shrinks back
            with app_server(rate_limits=False) as previous:
                results.append((PREVIOUS_EMBEDDED, measure_mode(previous, recordings, PREVIOUS_EMBEDDED, ns,
                                                                quick=quick, beacon=False)))
        results.append(("embedded", measure_mode(app, recordings, "embedded", ns, quick=quick)))
    if not quick:
        for workers in SCALED_WORKERS if scaled_workers is None else scaled_workers:
            try:
                settings = scaled_settings(workers)
            except Exception as exc:  # no local PostgreSQL/Redis: the embedded figures still count
                print(f"load: scaled mode skipped ({exc!r}); start scripts/local-services.sh", file=sys.stderr)
                skipped.append(Row("4 load", f"scaled {workers}w skipped: PostgreSQL/Redis not reachable "
                                             "(bash scripts/local-services.sh start)", 0, ""))
                continue
            variants = [(f"scaled {workers}w, previous (no oplock)", PREVIOUS_SCALED_ENV)] if compare else []
            for mode, extra_env in [*variants, (f"scaled {workers}w", {})]:
                settings = scaled_settings(workers)  # Redis emptied for each server
                with app_server(scaled={**settings, **extra_env}, rate_limits=False) as scaled:
                    with AppDb(scaled) as db:
                        db.call("tests.e2e.signup_steps:forget_person", SIGNUP_PERSON)
                    results.append((mode, measure_mode(scaled, recordings, mode, ns, quick=quick,
                                                       redis_url=settings["YONGIN_REDIS_URL"])))
    rows: list[Row] = []
    for mode, points in results:
        reference, loaded = points[0], points[1:]
        rows.append(Row("4 load", f"{mode} N=1 reference: event p50 / p95", reference.p50_ms, "ms", None,
                        f"p95 {reference.p95_ms:.1f} ms"))
        for point in loaded:
            rows += point_rows(point, reference)
        rows.append(knee_row(mode, loaded))
    return rows + skipped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="N=10 for a few seconds, embedded mode only (CI)")
    parser.add_argument("--record", action="store_true",
                        help="record the flows in chromium into bench/recordings/ and exit")
    parser.add_argument("--ns", help="comma-separated client counts instead of the mode's default, e.g. 50,200")
    parser.add_argument("--scaled-workers", help="comma-separated worker counts of the scaled mode (default "
                        f"{','.join(map(str, SCALED_WORKERS))}; 0: embedded only)")
    parser.add_argument("--no-embedded", action="store_true", help="only the scaled mode (full mode)")
    parser.add_argument("--compare", action="store_true",
                        help="also each mode's previous setting (embedded: no pagehide beacon; scaled: no opportunistic "
                             "lock), on fresh servers in the same run")
    args = parser.parse_args()
    ns = tuple(int(n) for n in args.ns.split(",")) if args.ns else None
    scaled_workers = (None if args.scaled_workers is None
                      else tuple(int(w) for w in args.scaled_workers.split(",") if int(w) > 0))
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    with app_server(rate_limits=False) as app:
        if args.record:
            from bench.event_latency import AppDb

            with AppDb(app) as db:
                record_flows(app, RECORDINGS, db)
            print(f"recorded: {', '.join(str(RECORDINGS / f'{flow}.json') for flow in FLOWS)}")
            return
        rows = run(args.quick, workdir, app, None, ns=ns, scaled_workers=scaled_workers,
                   embedded=not args.no_embedded, compare=args.compare)
    print(format_table(rows))
    print(f"\nload: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
