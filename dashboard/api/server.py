"""Run the read API with uvicorn: `python -m dashboard api --port 8502 [--host 127.0.0.1] [--workers 2]`."""
from __future__ import annotations

import argparse
import copy
import os
import sys


def default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def add_arguments(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    p.add_argument("--port", type=int, default=8502, help="port (default 8502)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1; 0.0.0.0 for all)")
    p.add_argument("--workers", type=int, default=default_workers(),
                   help=f"worker processes (default {default_workers()} = the cores, at most 2)")
    p.add_argument("--proxy-headers", action="store_true",
                   help="trust X-Forwarded-* from the reverse proxy (next links then carry the public address)")
    return p


def log_config() -> dict:
    """uvicorn's logging, plus the dashboard's logger (incident codes with their tracebacks) on stderr."""
    from uvicorn.config import LOGGING_CONFIG

    cfg = copy.deepcopy(LOGGING_CONFIG)
    cfg["loggers"]["dashboard"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return cfg


def run(args: argparse.Namespace) -> int:
    import uvicorn

    if not 1 <= args.port <= 65535:
        print(f"--port {args.port}: give a port between 1 and 65535", file=sys.stderr)
        return 2
    if args.workers < 1:
        print(f"--workers {args.workers}: give at least 1", file=sys.stderr)
        return 2
    print(f"API: http://{args.host}:{args.port}/api/v1/meta — docs http://{args.host}:{args.port}/docs",
          file=sys.stderr)
    uvicorn.run("dashboard.api.app:app", host=args.host, port=args.port, workers=args.workers,
                log_config=log_config(), proxy_headers=args.proxy_headers, server_header=False,
                access_log=False)
    return 0
