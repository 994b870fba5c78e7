"""Load test of the read API (not a test): N parallel clients for S seconds against a mix of endpoints.

    .venv/bin/python scripts/bench_api.py [--clients 20] [--seconds 60] [--workers 2] [--db FILE] [--no-cache]
                                          [--warmup SECONDS]
    .venv/bin/python scripts/bench_api.py --url http://127.0.0.1:8502      # a server that is already running
    .venv/bin/python scripts/bench_api.py --app-dir /tmp/wt-before ...      # serve another checkout's code

Without --url it starts `python -m dashboard api` on a free port of 127.0.0.1 (on --db, else the configured
store), waits until it answers, runs the clients, and stops it. --no-cache starts the server with
DASHBOARD_API_CACHE=0, so every request runs its SQL (ETags still work; the clients send no If-None-Match).
Parameters are drawn at random from the store's own provinces, indicators, levels and page offsets, so most
requests differ. Prints per endpoint and overall: requests, p50, p95, max (ms), errors, requests per second,
the load average before, during and after the run, and the CPU time the server's processes (when started here)
and the clients used per request — on a machine shared with other work, CPU per request compares runs better
than latency does.

The clients share one process and one event loop. `--client raw` (default) speaks HTTP/1.1 keep-alive over
asyncio streams (a request line, headers up to the blank line, a Content-Length or chunked body: what uvicorn
sends) and costs ~0.1 ms of CPU per request; `--client httpx` uses httpx.AsyncClient, which costs ~1-3 ms per
request on this machine — on 127.0.0.1 that CPU is taken from the server, and every measured latency includes
the time the request waited for the clients' own event loop.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: str | None, workers: int, cache: bool, app_dir: Path = ROOT) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = dict(os.environ)
    if db:  # a file, or a database URL (postgresql+psycopg://…)
        env["DATABASE_URL"] = db if "://" in db else f"sqlite:///{Path(db).resolve()}"
    if not cache:
        env["DASHBOARD_API_CACHE"] = "0"
    # the server's log goes to a file: a pipe nobody reads fills up and stops the server at its next log line
    log = tempfile.NamedTemporaryFile("w+", prefix="bench_api_server_", suffix=".log", delete=False)
    print(f"server log: {log.name}", file=sys.stderr)
    proc = subprocess.Popen([sys.executable, "-m", "dashboard", "api", "--port", str(port), "--workers", str(workers)],
                            cwd=app_dir, env=env, stdout=subprocess.DEVNULL, stderr=log, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server stopped: {Path(log.name).read_text(encoding='utf-8')[-3000:]}")
        try:
            if httpx.get(f"{base}/api/v1/meta", timeout=2).status_code == 200:
                return proc, base
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    proc.terminate()
    raise SystemExit("the server did not answer within 300 s")


def request_mix(base: str) -> list[tuple[str, str, float]]:
    """(name, path with query template, weight); '{p}' etc. are filled per request."""
    return [
        ("observations?province", "/api/v1/observations?province={p}&limit=100", 3),
        ("observations?indicator", "/api/v1/observations?indicator={i}", 2),
        ("observations?year", "/api/v1/observations?province={p}&year_from={y}&provenance=published", 1),
        ("schools?province&offset", "/api/v1/schools?province={p}&limit=100&offset={o}", 3),
        ("schools?level", "/api/v1/schools?province={p}&level={l}&limit=200", 2),
        ("schools csv", "/api/v1/schools?province={p}&limit=500&offset={o}&format=csv", 1),
        ("targets", "/api/v1/targets?scope={p}&scope=VN", 1),
        ("progress", "/api/v1/progress?province={p}", 2),
        ("indicators", "/api/v1/indicators?limit=1000", 1),
        ("meta", "/api/v1/meta", 1),
        ("sources", "/api/v1/sources", 1),
    ]


def discover(base: str) -> dict:
    c = httpx.Client(base_url=base, timeout=30)
    provs = [p["code"] for p in c.get("/api/v1/provinces", params={"geography": "former"}).json()["items"]
             if p["has_data"]]
    inds = [i["code"] for i in c.get("/api/v1/indicators", params={"limit": 1000}).json()["items"]]
    totals = {p: c.get("/api/v1/schools", params={"province": p, "limit": 1}).json()["total"] for p in provs}
    return {"p": provs, "i": inds, "l": ["MN", "TH", "THCS", "THPT"], "y": [2021, 2022, 2023, 2024], "totals": totals}


def fill(template: str, v: dict, rng: random.Random) -> str:
    p = rng.choice(v["p"])
    return template.format(p=p, i=rng.choice(v["i"]), l=rng.choice(v["l"]), y=rng.choice(v["y"]),
                           o=rng.randrange(0, max(1, v["totals"].get(p, 1))) // 100 * 100)


class RawClient:
    """One keep-alive HTTP/1.1 connection: GET, read the status, the headers and the whole body."""

    def __init__(self, base: str) -> None:
        u = httpx.URL(base)
        self.host, self.port = u.host, u.port or 80
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        try:
            self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n\r\n".encode())
            head = await asyncio.wait_for(self.reader.readuntil(b"\r\n\r\n"), 30)
            status = int(head[9:12])
            fields = {k.strip().lower(): v.strip() for k, _, v in
                      (line.partition(b":") for line in head.split(b"\r\n")[1:] if line)}
            if b"content-length" in fields:
                await self.reader.readexactly(int(fields[b"content-length"]))
            elif fields.get(b"transfer-encoding", b"").lower() == b"chunked":
                while (size := int((await self.reader.readuntil(b"\r\n")).strip(), 16)):
                    await self.reader.readexactly(size + 2)
                await self.reader.readuntil(b"\r\n")
            if fields.get(b"connection", b"").lower() == b"close":
                await self.close()
            return status
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None


async def client_loop(base: str, mix, values: dict, until: float, results: list, seed: int,
                      kind: str = "raw") -> None:
    rng = random.Random(seed)
    names, templates, weights = zip(*[(n, t, w) for n, t, w in mix])
    raw = RawClient(base) if kind == "raw" else None
    async with httpx.AsyncClient(base_url=base, timeout=30) as c:
        while time.monotonic() < until:
            k = rng.choices(range(len(names)), weights)[0]
            url = fill(templates[k], values, rng)
            t0 = time.perf_counter()
            try:
                if raw is not None:
                    ok = await raw.get(url) == 200
                else:
                    r = await c.get(url)
                    ok = r.status_code == 200
                    await r.aread()
            except (httpx.HTTPError, OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError):
                ok = False
            results.append((names[k], (time.perf_counter() - t0) * 1000, ok))
    if raw is not None:
        await raw.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children that are still running (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total, todo, seen = 0.0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for t in Path(f"/proc/{p}/task").iterdir():
                kids = Path(f"/proc/{p}/task/{t.name}/children")
                todo += [int(c) for c in kids.read_text().split()] if kids.exists() else []
        except (OSError, ValueError):
            continue
    return total


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def pct(xs: list[float], q: float) -> float:
    return statistics.quantiles(xs, n=100, method="inclusive")[q - 1] if len(xs) > 1 else (xs[0] if xs else 0.0)


def report(results: list, seconds: float) -> None:
    by: dict[str, list] = {}
    for name, ms, ok in results:
        by.setdefault(name, []).append((ms, ok))
    print(f"{'endpoint':28} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'errors':>6}")
    for name in sorted(by):
        ms = [m for m, _ in by[name]]
        print(f"{name:28} {len(ms):8d} {pct(ms, 50):8.1f} {pct(ms, 95):8.1f} {max(ms):8.1f} "
              f"{sum(1 for _, ok in by[name] if not ok):6d}")
    allms = [m for _, m, _ in results]
    errors = sum(1 for *_, ok in results if not ok)
    print(f"{'ALL':28} {len(allms):8d} {pct(allms, 50):8.1f} {pct(allms, 95):8.1f} {max(allms):8.1f} {errors:6d}")
    print(f"requests per second: {len(allms) / seconds:.1f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", help="base URL of a running server (default: start one)")
    ap.add_argument("--db", help="store to serve when starting the server: a file or a database URL (default: the "
                                 "configured one)")
    ap.add_argument("--app-dir", type=Path, default=ROOT,
                    help="checkout whose code the started server runs (default: this one), e.g. a git worktree "
                         "of an earlier commit for a before/after comparison")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--workers", type=int, default=2, help="uvicorn workers of the started server (default 2)")
    ap.add_argument("--no-cache", action="store_true", help="start the server without its response cache")
    ap.add_argument("--client", choices=("raw", "httpx"), default="raw",
                    help="raw: keep-alive HTTP/1.1 on asyncio streams (default, cheap); httpx: httpx.AsyncClient")
    ap.add_argument("--warmup", type=float, default=0,
                    help="seconds of the same mix before measuring, not counted (default 0: a freshly started server)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    proc = None
    load_before = loadavg()
    if args.url:
        base = args.url.rstrip("/")
    else:
        proc, base = start_server(args.db, args.workers, cache=not args.no_cache, app_dir=args.app_dir)
    try:
        values = discover(base)
        mix = request_mix(base)
        loads: list[float] = []

        async def sample_load(until: float) -> None:
            while time.monotonic() < until:
                loads.append(float(loadavg().split()[0]))
                await asyncio.sleep(min(5.0, max(0.0, until - time.monotonic())))

        async def run(seconds: float, results: list, seed: int) -> None:
            until = time.monotonic() + seconds
            await asyncio.gather(sample_load(until), *[
                client_loop(base, mix, values, until, results, seed + i, args.client) for i in range(args.clients)])
        if args.warmup > 0:  # the same mix, not counted: caches filled as in a server that has been running
            asyncio.run(run(args.warmup, [], args.seed + 1000))
            loads.clear()
        results: list = []
        server0 = cpu_seconds(proc.pid) if proc else 0.0
        client0 = resource.getrusage(resource.RUSAGE_SELF)
        t0 = time.monotonic()
        asyncio.run(run(args.seconds, results, args.seed))
        elapsed = time.monotonic() - t0
        client1 = resource.getrusage(resource.RUSAGE_SELF)
        server1 = cpu_seconds(proc.pid) if proc else 0.0
        print(f"{args.clients} clients ({args.client}), {elapsed:.0f} s after {args.warmup:.0f} s warm-up, "
              f"server {base} "
              f"({'running' if args.url else f'{args.workers} workers'}, cache {'off' if args.no_cache else 'on'}), "
              f"provinces with data: {len(values['p'])}")
        report(results, elapsed)
        n = max(1, len(results))
        client_cpu = (client1.ru_utime + client1.ru_stime) - (client0.ru_utime + client0.ru_stime)
        cpu = f"clients {client_cpu * 1000 / n:.2f}"
        if proc:
            cpu = f"server {(server1 - server0) * 1000 / n:.2f}, " + cpu
        during = (f"{min(loads):.1f}-{max(loads):.1f} (mean {statistics.mean(loads):.1f})" if loads else "?")
        print(f"CPU ms per request: {cpu}; load average (1 min) before {load_before.split()[0]}, during {during}, "
              f"after {loadavg().split()[0]}; cores: {os.cpu_count()}")
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
