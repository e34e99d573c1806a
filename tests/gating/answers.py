"""Requests as an outside caller sends them, and what came back, server
errors included: the test client raises a view's exception, and the action
API logs its own before answering 500; either way the answer says where the
error was raised, and whether in this extension's code."""
from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import ckan.model as model

__all__ = ["Answer", "Caller", "calling"]

OURS = "/ckanext/ldeco/"


@dataclass
class Answer:
    status: int
    body: str
    headers: str
    error: str = ""  # for a server error: the exception and where it was raised
    ours: bool = False  # raised in, or passed through, this extension's code

    def header(self, name: str) -> str:
        for line in self.headers.splitlines():
            key, _, value = line.partition(": ")
            if key.lower() == name.lower():
                return value
        return ""


def _describe(exc: BaseException) -> tuple[str, bool]:
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if OURS in f.filename]
    last = frames[-1] if frames else None
    where = f" at {last.filename.split('site-packages/')[-1]}:{last.lineno}" if last else ""
    mine = f" (via {ours[-1].filename.split(OURS)[-1]}:{ours[-1].lineno})" if ours and ours[-1] is not last else ""
    return f"{type(exc).__name__}: {str(exc)[:160]}{where}{mine}", bool(ours)


class _Catch(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.last: BaseException | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            self.last = record.exc_info[1]


class Caller:
    def __init__(self, app, headers: dict[str, str], catch: _Catch) -> None:
        self.client = app.test_client(use_cookies=False)
        self.headers = headers
        self._catch = catch

    def send(self, method: str, url: str, body: Any = None) -> Answer:
        self._catch.last = None
        kwargs: dict[str, Any] = {"method": method, "headers": self.headers, "follow_redirects": False}
        if body is not None:
            kwargs["json"] = body
        try:
            res = self.client.open(url, **kwargs)
        except Exception as err:  # raised through the test client: a real caller sees a 500
            model.Session.rollback()
            error, ours = _describe(err)
            return Answer(500, error, "", error, ours)
        finally:
            model.Session.remove()  # as at the end of a real request: the next one reads afresh
        answer = Answer(res.status_code, res.get_data(as_text=True),
                        "\n".join(f"{k}: {v}" for k, v in res.headers.items()))
        if answer.status >= 500:
            if self._catch.last is not None:
                answer.error, answer.ours = _describe(self._catch.last)
            else:
                answer.error, answer.ours = answer.body[:200], True  # nowhere else to lay it
        return answer

    def action(self, name: str, data: dict[str, Any]) -> Answer:
        return self.send("POST", f"/api/3/action/{name}", data)


@contextmanager
def calling(app, headers: dict[str, str]) -> Iterator[Caller]:
    """A caller with these headers, catching the exceptions the action API logs."""
    catch = _Catch()
    logger = logging.getLogger("ckan.views.api")
    # the ini's logging setup disables loggers that existed before it ran
    disabled, logger.disabled = logger.disabled, False
    logger.addHandler(catch)
    try:
        yield Caller(app, headers, catch)
    finally:
        logger.removeHandler(catch)
        logger.disabled = disabled
