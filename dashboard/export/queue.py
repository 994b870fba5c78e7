"""Bounded briefing-pack rendering: one pack at a time per process, a first-come queue with a visible
position, a cap on waiting requests and on the number of charts in one pack.

A pack drives Chromium for a few seconds per chart. Streamlit runs every browser session's script in its own
thread, so without this a few clicks in a few tabs would start as many pack renders at once. `PACK_QUEUE`
lets one render run; the others wait their turn in order and are told their position ("vị trí 2/3"); when
`MAX_WAITING` requests already wait, a new one is refused with a clear message instead of piling up.

The waiting caller gets `on_wait(position, total)` at least every `poll` seconds (position 1 is the render
that is running), so a Streamlit script can redraw the position and notice when its user has left.
"""
from __future__ import annotations

import itertools
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterator, Sequence, TypeVar

MAX_PACK_CHARTS = 16      # charts in one pack made in the app (title page not counted)
MAX_WAITING = 4           # requests that may wait behind the running one
WAIT_TIMEOUT = 600.0      # seconds a request waits for its turn before giving up

T = TypeVar("T")


class QueueFull(RuntimeError):
    """Too many packs are already waiting; try again later."""


class WaitTimeout(RuntimeError):
    """The turn did not come within the time allowed."""


@dataclass(eq=False)
class Ticket:
    owner: str
    number: int
    joined: float = field(default_factory=time.monotonic)


class RenderQueue:
    """First come, first served; one holder at a time."""

    def __init__(self, max_waiting: int = MAX_WAITING, poll: float = 0.5) -> None:
        self.max_waiting = max_waiting
        self.poll = poll
        self._cond = threading.Condition()
        self._tickets: list[Ticket] = []   # [0] holds the turn
        self._numbers = itertools.count(1)

    def __len__(self) -> int:
        with self._cond:
            return len(self._tickets)

    def position(self, ticket: Ticket) -> tuple[int, int]:
        """(position, total): 1 = running; 0 when the ticket is no longer queued."""
        with self._cond:
            return self._position(ticket)

    def _position(self, ticket: Ticket) -> tuple[int, int]:
        try:
            return self._tickets.index(ticket) + 1, len(self._tickets)
        except ValueError:
            return 0, len(self._tickets)

    def join(self, owner: str = "") -> Ticket:
        """A place at the end of the queue; QueueFull when `max_waiting` already wait behind the holder."""
        with self._cond:
            if len(self._tickets) > self.max_waiting:
                raise QueueFull(f"{len(self._tickets) - 1} waiting")
            ticket = Ticket(owner, next(self._numbers))
            self._tickets.append(ticket)
            return ticket

    def leave(self, ticket: Ticket) -> None:
        with self._cond:
            if ticket in self._tickets:
                self._tickets.remove(ticket)
                self._cond.notify_all()

    def wait_turn(self, ticket: Ticket, on_wait: Callable[[int, int], None] | None = None,
                  timeout: float = WAIT_TIMEOUT) -> None:
        """Block until `ticket` is first. `on_wait` runs outside the lock, at least every `poll` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            with self._cond:
                pos = self._position(ticket)
                if pos[0] == 1:
                    return
                if pos[0] == 0:
                    raise RuntimeError("ticket is not in the queue")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise WaitTimeout(f"waited {timeout:.0f} s at position {pos[0]}/{pos[1]}")
            if on_wait is not None:
                on_wait(*pos)
            with self._cond:
                if self._position(ticket) == pos:
                    self._cond.wait(min(self.poll, max(remaining, 0.0)))

    @contextmanager
    def turn(self, owner: str = "", on_wait: Callable[[int, int], None] | None = None,
             timeout: float = WAIT_TIMEOUT) -> Iterator[Ticket]:
        """`with queue.turn(owner, on_wait):` the body runs when it is this caller's turn; the place is given
        up however the body or the wait ends (an exception, a Streamlit rerun or stop)."""
        ticket = self.join(owner)
        try:
            self.wait_turn(ticket, on_wait, timeout)
            yield ticket
        finally:
            self.leave(ticket)


def limit_charts(items: Sequence[T], limit: int = MAX_PACK_CHARTS) -> tuple[list[T], int]:
    """The first `limit` items and how many were left out."""
    items = list(items)
    return items[:limit], max(0, len(items) - limit)


PACK_QUEUE = RenderQueue()
