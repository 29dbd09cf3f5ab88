"""A background loop per event loop that starts the app, woken from any thread.

The webhook dispatcher and the tracker sync both run this way.  An app is normally started
once, but test clients and schemathesis each start it in their own event loop, and an
asyncio Event or Task belongs to the loop that made it: hence one run per loop.
"""

from __future__ import annotations

import asyncio
import contextlib


class LoopRunner:
    """Subclasses implement :meth:`_run`, which waits on ``wake`` between rounds."""

    #: The asyncio task's name (seen in task dumps and logs).
    task_name = "accord-loop"

    def __init__(self) -> None:
        self._runs: dict[asyncio.AbstractEventLoop, tuple[asyncio.Task[None], asyncio.Event]] = {}

    def wake(self) -> None:
        """Run a round soon: safe to call from any thread (a request's worker thread)."""
        for loop, (_, event) in list(self._runs.items()):
            if not loop.is_closed():
                loop.call_soon_threadsafe(event.set)

    async def start(self) -> None:
        event = asyncio.Event()
        task = asyncio.create_task(self._run(event), name=self.task_name)
        self._runs[asyncio.get_running_loop()] = (task, event)

    async def stop(self) -> None:
        run = self._runs.pop(asyncio.get_running_loop(), None)
        if run is None:
            return
        task, _ = run
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async def _run(self, wake: asyncio.Event) -> None:
        raise NotImplementedError
