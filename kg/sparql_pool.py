"""Query worker processes, and which query gets one: how ``kg serve`` sheds load.

pyoxigraph cannot stop a query, so each query runs in a worker process (``kg.sparql_worker``)
that can be killed. The pool has ``size`` *slots* (queries running at once) and keeps
``spares`` processes started beyond them, so a slot freed by a kill is taken at once, not
after a process start.

Which query gives way is decided by evidence of what queries cost, never by what they say:

* **Heavy** means: this run has gone on longer than ``heavy_after`` seconds (a second, or a
  fifth of a shorter timeout) and has used the CPU for at least ``HEAVY_CPU_SHARE`` of that
  (a query that was only waiting for a CPU on a busy machine is not heavy); or the same
  query (text and dataset) was heavy, or was ended by a limit (timeout, row cap, giving
  way), the last time it ran. The pool remembers the ``REMEMBERED`` most recent heavy
  queries; a quick run forgets it.
* **Order:** waiting queries not known to be heavy get a slot first, in order of arrival;
  queries known to be heavy wait behind them.
* **Giving way:** when a query not known to be heavy is waiting and every slot is taken, the
  heavy query that has run longest is stopped (its client gets 503 with ``Retry-After``) and
  the slot passes to the waiting query. That happens at once when every running query is
  heavy, and otherwise after ``PREEMPT_GRACE`` seconds (a quick one may be about to finish).
  A query known to be heavy never makes another give way, and a query that is not heavy is
  never stopped for another.
* **CPU:** while a quick query runs or waits, heavy queries' processes run at a lower CPU
  priority (``HEAVY_NICE``), so quick queries keep their speed on a busy machine; such a
  process is retired after its query (a process cannot raise its priority again) and a
  fresh one replaces it. Alone, or among heavy ones only, a heavy query keeps its priority.
* **Waiting is bounded:** ``acquire`` raises ``TimeoutError`` after ``wait`` seconds (the
  server answers 503 with ``Retry-After``).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import logging
import os
import sys

from .sparql_worker import HEAD, LENGTH

log = logging.getLogger("kg.server")

PREEMPT_GRACE = 0.25
HEAVY_AFTER = 1.0
HEAVY_CPU_SHARE = 0.1
HEAVY_NICE = 10
SPARES = 2
REMEMBERED = 4096


class WorkerDied(Exception):
    pass


_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pid: int) -> float | None:
    """CPU seconds (user + system) used by process ``pid``; None where /proc cannot say.

    >>> used = cpu_seconds(os.getpid())
    >>> used is None or used > 0
    True
    """
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS
    except (OSError, IndexError, ValueError):
        return None


class QueryWorker:
    """One worker process, its pipes, and what it is running."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.key = ""  # the running query's identity, for the pool's memory of costs
        self.started = 0.0  # loop time its current query started
        self.known_heavy = False  # the same query was heavy last time
        self.ran_long = False  # this run went past heavy_after
        self.limited = False  # this run was ended by a limit (timeout, row cap)
        self.preempted = False  # stopped so a waiting query could run
        self.cpu = 0.0  # CPU seconds the process had used when its last request ended
        self.niced = False
        self.retired = False
        self._timer: asyncio.TimerHandle | None = None

    @property
    def heavy(self) -> bool:
        return self.known_heavy or self.ran_long

    @classmethod
    async def spawn(cls) -> QueryWorker:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "kg.sparql_worker",
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        )
        worker = cls(proc)
        kind, payload = await worker.read_frame()  # the ready signal
        if kind != b"Z":
            worker.kill()
            raise WorkerDied("query worker did not start")
        worker.ended(payload)
        return worker

    def ended(self, payload: bytes) -> dict:
        """Reads a request's last frame (``Z`` or ``E``), noting the CPU time it reports."""
        tail = json.loads(payload)
        self.cpu = tail.get("cpu", self.cpu)
        return tail

    def send(self, request: dict) -> None:
        assert self.proc.stdin is not None
        payload = json.dumps(request, ensure_ascii=False).encode()
        self.proc.stdin.write(LENGTH.pack(len(payload)) + payload)

    async def read_frame(self) -> tuple[bytes, bytes]:
        assert self.proc.stdout is not None
        try:
            kind, length = HEAD.unpack(await self.proc.stdout.readexactly(HEAD.size))
            return kind, await self.proc.stdout.readexactly(length)
        except (asyncio.IncompleteReadError, ConnectionError) as exc:
            raise WorkerDied("the query worker died (out of memory?)") from exc

    def lower_priority(self) -> None:
        if not self.niced:
            self.niced = True
            with contextlib.suppress(OSError):  # gone already, or not allowed here
                os.setpriority(os.PRIO_PROCESS, self.proc.pid, HEAVY_NICE)

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.proc.kill()


class _Waiter:
    __slots__ = ("future", "key", "known_heavy", "since")

    def __init__(self, future: asyncio.Future[QueryWorker], key: str, known_heavy: bool, since: float) -> None:
        self.future, self.key, self.known_heavy, self.since = future, key, known_heavy, since


class WorkerPool:
    """``size`` slots over killable query workers; see the module docstring for the policy."""

    def __init__(self, size: int, *, heavy_after: float = HEAVY_AFTER, spares: int = SPARES) -> None:
        self.size = size
        self.spares = spares
        self.heavy_after = heavy_after
        self.closed = False
        self.preemptions = 0  # queries stopped to let others run, since start
        self._ready: list[QueryWorker] = []  # started processes that hold no slot
        self._running: set[QueryWorker] = set()  # processes that hold a slot
        self._light: collections.deque[_Waiter] = collections.deque()
        self._heavy: collections.deque[_Waiter] = collections.deque()
        self._heavy_keys: collections.OrderedDict[str, None] = collections.OrderedDict()
        self._tasks: set[asyncio.Task[None]] = set()
        # Set when waiting queries must look again at who may give way: a running query
        # turned heavy. (A freed slot is handed over directly by _dispatch.)
        self._changed = asyncio.Event()

    async def start(self) -> None:
        self._ready.extend(await asyncio.gather(*(QueryWorker.spawn() for _ in range(self.size + self.spares))))

    # --- the memory of costs ---------------------------------------------------------------

    def known_heavy(self, key: str) -> bool:
        return key in self._heavy_keys

    def _remember(self, key: str, heavy: bool) -> None:
        if not key:
            return
        if heavy:
            self._heavy_keys[key] = None
            self._heavy_keys.move_to_end(key)
            while len(self._heavy_keys) > REMEMBERED:
                self._heavy_keys.popitem(last=False)
        else:
            self._heavy_keys.pop(key, None)

    # --- slots -----------------------------------------------------------------------------

    async def acquire(self, wait: float, *, key: str = "") -> QueryWorker:
        """A worker holding a slot for the query ``key``; ``TimeoutError`` after ``wait`` s."""
        loop = asyncio.get_running_loop()
        known = self.known_heavy(key)
        waiter = _Waiter(loop.create_future(), key, known, loop.time())
        (self._heavy if known else self._light).append(waiter)
        self._dispatch()
        if not known and not waiter.future.done():
            self._protect_quick()
        try:
            async with asyncio.timeout(wait):
                while not waiter.future.done():
                    wake_at = None if known else self._give_way_for(waiter)
                    self._changed.clear()
                    changed = asyncio.ensure_future(self._changed.wait())
                    try:
                        await asyncio.wait([waiter.future, changed], timeout=None if wake_at is None
                                           else max(0.0, wake_at - loop.time()),
                                           return_when=asyncio.FIRST_COMPLETED)
                    finally:
                        changed.cancel()
        except BaseException as exc:
            if isinstance(exc, TimeoutError):
                log.warning("a %s query found no free slot in %g s (%d running, %d of them heavy; "
                            "%d quick and %d known-heavy queries waiting, %d processes ready)",
                            "known-heavy" if known else "quick", wait, len(self._running),
                            sum(w.heavy for w in self._running), len(self._light), len(self._heavy), len(self._ready))
            with contextlib.suppress(ValueError):
                (self._heavy if known else self._light).remove(waiter)
            if waiter.future.done() and not waiter.future.cancelled():
                self.release(waiter.future.result(), healthy=True, remember=False)
            else:
                waiter.future.cancel()
            raise
        return waiter.future.result()

    def _check_heavy(self, worker: QueryWorker) -> None:
        if worker not in self._running:
            return
        loop = asyncio.get_running_loop()
        used = cpu_seconds(worker.proc.pid)
        if used is not None and used - worker.cpu < HEAVY_CPU_SHARE * self.heavy_after:
            # Mostly waiting for a CPU, not using one: look again later.
            worker._timer = loop.call_later(self.heavy_after / 4, self._check_heavy, worker)
            return
        worker.ran_long = True
        self._protect_quick()
        self._changed.set()  # a waiting query may now stop it

    def _protect_quick(self) -> None:
        """Lowers the CPU priority of the heavy queries while a quick one runs or waits.

        Only then: alone, or among heavy ones only, a heavy query keeps its priority, so it
        does not lose to other programs on the machine for nothing."""
        if self._light or any(not w.heavy for w in self._running):
            for worker in self._running:
                if worker.heavy:
                    worker.lower_priority()

    def _give_way_for(self, waiter: _Waiter) -> float | None:
        """Stops a heavy query if ``waiter`` may take its slot now; else when to look again
        (None: when a running query turns heavy, see ``_check_heavy``)."""
        if len(self._running) < self.size:
            return None  # a slot is free and its process is starting
        heavy = [w for w in self._running if w.heavy]
        if not heavy:
            return None
        grace_over = waiter.since + PREEMPT_GRACE
        now = asyncio.get_running_loop().time()
        if len(heavy) == len(self._running) or now >= grace_over:
            # The slot goes to the first waiting query, which may be an earlier one: look
            # again at once.
            self._preempt(min(heavy, key=lambda w: w.started))
            return now
        return grace_over

    def _preempt(self, victim: QueryWorker) -> None:
        log.info("stopping a query that has run %.1f s so a waiting one can run",
                 asyncio.get_running_loop().time() - victim.started)
        self.preemptions += 1
        victim.preempted = True
        self._retire(victim)
        self._dispatch()

    def _dispatch(self) -> None:
        """Hands free slots, with ready processes, to waiting queries (light ones first)."""
        while self._ready and len(self._running) < self.size:
            queue = self._light if self._light else self._heavy
            if not queue:
                break
            waiter = queue.popleft()
            if waiter.future.done():
                continue
            worker = self._ready.pop()
            self._running.add(worker)
            self._begin(worker, waiter)
            waiter.future.set_result(worker)

    def _begin(self, worker: QueryWorker, waiter: _Waiter) -> None:
        loop = asyncio.get_running_loop()
        worker.key, worker.known_heavy, worker.started = waiter.key, waiter.known_heavy, loop.time()
        worker.ran_long = worker.limited = False
        if worker.known_heavy:
            self._changed.set()  # a waiting query may stop it at once
        else:
            worker._timer = loop.call_at(worker.started + self.heavy_after, self._check_heavy, worker)
        self._protect_quick()

    def release(self, worker: QueryWorker, *, healthy: bool, remember: bool = True) -> None:
        """Gives the slot back. An unhealthy or deprioritised process is replaced."""
        if worker._timer is not None:
            worker._timer.cancel()
            worker._timer = None
        if remember:
            self._remember(worker.key, worker.ran_long or worker.limited or worker.preempted)
        if healthy and not worker.niced and not worker.retired and not self.closed:
            self._running.discard(worker)
            self._ready.append(worker)
            self._dispatch()
        else:
            self._retire(worker)

    def _retire(self, worker: QueryWorker) -> None:
        self._running.discard(worker)
        if worker.retired:
            return
        worker.retired = True
        worker.kill()
        if not self.closed:
            task = asyncio.get_running_loop().create_task(self._replace(worker))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _replace(self, dead: QueryWorker) -> None:
        await dead.proc.wait()
        for attempt in range(5):
            try:
                worker = await QueryWorker.spawn()
            except (OSError, WorkerDied) as exc:
                log.error("cannot start a query worker (%s); retrying", exc)
                await asyncio.sleep(0.5 * (attempt + 1))
                continue
            if self.closed:
                worker.kill()
                return
            self._ready.append(worker)
            self._dispatch()
            self._changed.set()  # queries waiting for a process to start look again
            return

    async def close(self) -> None:
        self.closed = True
        for task in list(self._tasks):
            task.cancel()
        for worker in self._ready + list(self._running):
            worker.kill()
            if worker.proc.stdin is not None:
                worker.proc.stdin.close()
            await worker.proc.wait()
        self._ready.clear()
        self._running.clear()
