"""Prefect tasks whose arguments and answers travel in boxes that the flow empties.

Prefect keeps the run context of every task call until the flow run ends, and with it the
call's arguments and answer. A run of many parts would so hold every part's tables to its end:
a flow calling a task 8 times with a 20 MB table grew by 52 MB, and by 2 MB with boxes. Here
each argument goes to the task in a `Box`, the answer comes back in one, and the flow empties
them as soon as it has the answer: Prefect keeps only empty boxes.

A submitted call's boxes are emptied by `Handed.release()`, once its answer has been used:
another task may still be reading it (extract reads tokenise's answer).
"""

from __future__ import annotations

import functools

import prefect
from prefect.futures import PrefectFuture


class Box:
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __reduce__(self):  # to a Dask worker, whole
        return (Box, (self.value,))

    def __format__(self, spec: str) -> str:  # task run names such as "validate-{stage}"
        return format(self.value, spec)


def opened(value):
    return value.value if isinstance(value, Box) else value


def _boxed(value):
    """A future stays itself: Prefect resolves it where the task runs (on Dask, the worker)."""
    if isinstance(value, Handed):
        return value.future
    return value if isinstance(value, PrefectFuture) else Box(value)


def _empty(boxes) -> None:
    for box in boxes:
        if isinstance(box, Box):
            box.value = None


class Handed:
    """A submitted call: `result()` is the task's answer, `release()` empties its boxes."""

    def __init__(self, future: PrefectFuture, boxes: list):
        self.future, self.boxes, self.answer = future, boxes, None

    def result(self):
        if self.answer is None:  # once: on Dask each result() would fetch it again
            self.answer = self.future.result()
        return opened(self.answer)

    def release(self) -> None:
        self.future.wait()  # a task not yet started still needs its arguments
        _empty([*self.boxes, self.answer])
        self.answer = None


class BoxedTask:
    """A Prefect task called as usual, `task(*args)` or `task.submit(*args)`, with boxes."""

    def __init__(self, task: prefect.Task):
        self.task = task
        self.name = task.name

    def __call__(self, *args, **kwargs):
        boxes, kwboxes = _boxed_all(args, kwargs)
        try:
            answer = self.task(*boxes, **kwboxes)
        finally:
            _empty([*boxes, *kwboxes.values()])
        value = opened(answer)
        _empty([answer])
        return value

    def submit(self, *args, **kwargs) -> Handed:
        boxes, kwboxes = _boxed_all(args, kwargs)
        return Handed(self.task.submit(*boxes, **kwboxes), [*boxes, *kwboxes.values()])


def _boxed_all(args: tuple, kwargs: dict) -> tuple[list, dict]:
    return [_boxed(a) for a in args], {k: _boxed(v) for k, v in kwargs.items()}


def task(**options):
    """`prefect.task(**options)` for a function of plain values, called with boxes."""

    def decorate(fn):
        @functools.wraps(fn)
        def in_boxes(*args, **kwargs):
            kwargs = {k: opened(v) for k, v in kwargs.items()}
            return Box(fn(*map(opened, args), **kwargs))

        return BoxedTask(prefect.task(**options)(in_boxes))

    return decorate
