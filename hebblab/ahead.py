"""Work done ahead for the explorers: a function's results kept by their arguments, each computed once, either
when it is asked for or before, in one background thread, while the reader looks at the figure (the settings
one step of a slider away from the one shown). The results are those of the function, wherever it ran."""

import functools
import os
import queue
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future

from hebblab.checks import an_instance, an_int, with_checks


class Memo:
    """``function``'s results by their (hashable) arguments, the latest ``size`` kept.

    ``memo(*args)`` returns the result: kept, or waited for if the background thread is computing it, or else
    computed here (a call only queued in the background is taken back first). ``memo.ahead(calls)`` queues the
    argument tuples ``calls`` for the background thread, in order, after dropping the calls queued before that have
    not started: only the latest guesses are worth the time. An error in the background is not kept: the call
    is made again when asked for, so that the error is raised where it is asked.
    """

    @with_checks(function=an_instance(Callable, "a function"), size=an_int(1, 10**4))
    def __init__(self, function, size):
        self.function, self.size = function, size
        self._results = OrderedDict()  # arguments → Future, oldest first
        self._lock = threading.Lock()
        self._jobs = None  # the background thread's queue, made when first needed
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=functools.partial(_after_fork, weakref.ref(self)))

    def __call__(self, *args):
        with self._lock:
            future = self._results.get(args)
            here = future is None or future.cancel()  # unknown, or queued and taken back: compute it here
            if here:
                future = self._results[args] = Future()
                future.set_running_or_notify_cancel()
            self._results.move_to_end(args)
            self._trim()
        if here:
            self._run(future, args)
        return future.result()

    @with_checks(calls=an_instance((list, tuple), "a list of argument tuples"))
    def ahead(self, calls):
        """Queue ``calls`` (argument tuples, likeliest first) for the background thread."""
        with self._lock:
            for args, future in list(self._results.items()):
                if future.cancel():  # an earlier guess, not started
                    del self._results[args]
            for args in calls:
                if args not in self._results:
                    self._results[args] = future = Future()
                    self._background().put((future, args))
            self._trim()

    def clear(self):
        """Forget every result (those being computed in the background still finish, unkept)."""
        with self._lock:
            for future in self._results.values():
                future.cancel()
            self._results.clear()

    def _trim(self):
        """Forget the oldest results that are done, beyond ``size``."""
        for args in [args for args, future in self._results.items() if future.done()]:
            if len(self._results) <= self.size:
                break
            del self._results[args]

    def _run(self, future, args):
        try:
            future.set_result(self.function(*args))
        except BaseException as error:  # noqa: BLE001 (handed to whoever waits, and not kept)
            with self._lock:
                if self._results.get(args) is future:
                    del self._results[args]
            future.set_exception(error)

    def _background(self):
        if self._jobs is None:
            self._jobs = queue.SimpleQueue()
            threading.Thread(target=self._work, daemon=True, name="hebb-course ahead").start()
        return self._jobs

    def _work(self):
        while True:
            future, args = self._jobs.get()
            if future.set_running_or_notify_cancel():  # False: taken back meanwhile
                self._run(future, args)


def _after_fork(memo):
    """In a forked process, which has no threads but the one that forked it: keep the results that are done, and
    start a background thread of its own when one is needed (a lock held by another thread would stay held)."""
    memo = memo()
    if memo is not None:
        memo._lock = threading.Lock()
        memo._jobs = None
        memo._results = OrderedDict((args, future) for args, future in memo._results.items() if future.done())
