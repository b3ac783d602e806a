"""hebblab.ahead.Memo: results kept by their arguments, each computed once, here or ahead in a background thread;
a call being computed ahead is waited for, one only queued is taken back, old guesses give way to new ones, and
an error is raised where the result is asked for."""

import threading

import pytest

import hebb_core as hc

WAIT = 10  # s, at most, for the background thread (it takes milliseconds)


class Squares:
    """x², recording each call and the thread it ran in; ``gate`` holds the call of 1 until it is set."""

    def __init__(self):
        self.calls, self.gate, self.started, self.finished = [], threading.Event(), threading.Event(), {}

    def __call__(self, x):
        self.calls.append((x, threading.current_thread() is threading.main_thread()))
        if x == 1:
            self.started.set()
            assert self.gate.wait(WAIT)
        self.finished.setdefault(x, threading.Event()).set()
        if x < 0:
            raise ValueError(f"x={x} is not allowed: x >= 0")
        return x * x

    def done(self, x):
        assert self.finished.setdefault(x, threading.Event()).wait(WAIT)


def test_a_result_is_computed_once_and_the_latest_size_are_kept():
    squares = Squares()
    squares.gate.set()
    memo = hc.Memo(squares, size=2)
    assert [memo(2), memo(2), memo(3)] == [4, 4, 9]
    assert memo(2) == 4 and memo(4) == 16  # 2 used again: 3 is now the oldest, and goes
    assert memo(2) == 4 and memo(3) == 9
    assert squares.calls == [(2, True), (3, True), (4, True), (3, True)]


def test_calls_queued_ahead_are_computed_in_the_background_and_found_ready():
    squares = Squares()
    squares.gate.set()
    memo = hc.Memo(squares, size=8)
    memo.ahead([(2,), (3,)])
    squares.done(3)
    assert memo(2) == 4 and memo(3) == 9
    assert squares.calls == [(2, False), (3, False)]  # both in the background, none again here


def test_a_call_running_ahead_is_waited_for_and_one_only_queued_is_taken_back():
    squares = Squares()
    memo = hc.Memo(squares, size=8)
    memo.ahead([(1,), (2,)])
    assert squares.started.wait(WAIT)  # 1 runs in the background, held by the gate; 2 waits behind it
    assert memo(2) == 4  # taken back and computed here, without waiting for 1
    threading.Timer(0.05, squares.gate.set).start()
    assert memo(1) == 1  # waited for: not computed twice
    memo.ahead([(5,)])
    squares.done(5)  # the background has gone past the 2 it had queued, without computing it
    assert squares.calls == [(1, False), (2, True), (5, False)]


def test_new_guesses_drop_the_old_ones_that_have_not_started():
    squares = Squares()
    memo = hc.Memo(squares, size=8)
    memo.ahead([(1,), (2,), (3,)])
    assert squares.started.wait(WAIT)
    memo.ahead([(4,), (2,)])  # 2 and 3 were only queued: 3 is dropped, 2 queued again after 4
    squares.gate.set()
    squares.done(2)
    assert squares.calls == [(1, False), (4, False), (2, False)]


def test_an_error_ahead_is_raised_where_the_result_is_asked_for_and_not_kept():
    squares = Squares()
    memo = hc.Memo(squares, size=8)
    memo.ahead([(-1,)])
    squares.done(-1)
    with pytest.raises(ValueError, match=r"^x=-1 is not allowed: x >= 0$"):
        memo(-1)
    assert squares.calls == [(-1, False), (-1, True)]  # tried again here, so that the error is raised here


def test_clear_forgets_every_result():
    squares = Squares()
    squares.gate.set()
    memo = hc.Memo(squares, size=8)
    memo(2)
    memo.clear()
    memo(2)
    assert squares.calls == [(2, True), (2, True)]


@pytest.mark.parametrize("arguments, message", [
    ({"size": 0}, r"^size=0 is not allowed: "),
    ({"size": 2.5}, r"^size=2.5 is not allowed: "),
])
def test_a_memo_refuses_a_size_that_is_not_a_positive_integer(arguments, message):
    with pytest.raises((ValueError, TypeError), match=message):
        hc.Memo(abs, **arguments)


def test_ahead_refuses_anything_but_a_list_of_calls():
    with pytest.raises(ValueError, match=r"^calls=.* is not allowed: a list of argument tuples"):
        hc.Memo(abs, 4).ahead((1,) for _ in range(2))


def answer_in_a_forked_process(memo, args, expected):
    """Run in a forked process: the memo answers there (exit status 0), without waiting for a thread it lacks."""
    import os

    memo.function.gate.set()  # this process's copy of the gate: here, 1 is computed at once
    os._exit(0 if memo(*args) == expected else 1)


def test_a_forked_process_computes_for_itself_what_the_background_had_not_finished():
    """A process forked while the background thread holds a call (a sweep's workers on Linux fork) has no such
    thread: it keeps the results that were done and computes the others itself."""
    import multiprocessing

    squares = Squares()
    memo = hc.Memo(squares, size=8)
    memo.ahead([(2,)])
    squares.done(2)
    memo.ahead([(1,), (3,)])  # 1 held in the background by the gate, 3 queued behind it
    assert squares.started.wait(WAIT)
    children = [multiprocessing.get_context("fork").Process(target=answer_in_a_forked_process, args=(memo, args, x))
                for args, x in (((1,), 1), ((2,), 4), ((3,), 9))]
    for child in children:
        child.start()
    for child in children:
        child.join(WAIT)
        child.kill()  # one that waits for a thread it lacks would wait for ever
    squares.gate.set()
    assert [child.exitcode for child in children] == [0, 0, 0]
