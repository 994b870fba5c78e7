"""Warm a freshly started Streamlit server: run the app once in a session of its own, so it learns its pages.

Streamlit 1.67 learns the pages of `st.navigation` from the first session's run; until then a deep link such as
/ngan-sach opens with a "Page not found" dialog over the right page (streamlit/streamlit#9624, #9992). run.sh
starts this in the background: it waits for the server's health check, opens the app's websocket, asks for one
run of the default page and leaves when the run is over (or after a timeout). Quiet unless it fails.

Usage: .venv/bin/python scripts/warmup.py [PORT] [--timeout 180]
"""
from __future__ import annotations

import argparse
import asyncio
import sys
import time
import urllib.request


def _healthy(url: str, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


async def _one_run(port: int, timeout: float) -> bool:
    import websockets  # noqa: PLC0415 - Streamlit's own dependency
    from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: PLC0415
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: PLC0415

    async with websockets.connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"],
                                  max_size=None) as ws:
        rerun = BackMsg()
        rerun.rerun_script.query_string = ""
        rerun.rerun_script.page_script_hash = ""
        await ws.send(rerun.SerializeToString())
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await asyncio.wait_for(ws.recv(), timeout))
            if msg.WhichOneof("type") == "script_finished":
                return True


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("port", nargs="?", type=int, default=8501)
    ap.add_argument("--timeout", type=float, default=180)
    a = ap.parse_args()
    if not _healthy(f"http://127.0.0.1:{a.port}", a.timeout):
        print(f"warmup: no Streamlit server on port {a.port}", file=sys.stderr)
        return 1
    try:
        return 0 if asyncio.run(_one_run(a.port, a.timeout)) else 1
    except Exception as e:  # noqa: BLE001 - a warm-up that fails leaves the server as it was
        print(f"warmup: {type(e).__name__}: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
