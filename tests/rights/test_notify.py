"""Notices go through CKAN's mailer to a real SMTP sink on loopback; without
a mail server the workflow still stands."""

from __future__ import annotations

import email
import socket
import socketserver
import threading

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk

from .conftest import call, request_data


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP to accept a message and keep it."""

    def _say(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self._say("220 sink ready")
        rcpt: list[str] = []
        while True:
            line = self.rfile.readline().decode(errors="replace").strip()
            if not line:
                return
            verb = line.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self._say("250 sink")
            elif verb == "RCPT":
                rcpt.append(line.split(":", 1)[1].strip(" <>"))
                self._say("250 ok")
            elif verb == "DATA":
                self._say("354 go on")
                body = []
                while (data := self.rfile.readline().decode(errors="replace")) not in (".\r\n", ".\n", ""):
                    body.append(data)
                parsed = email.message_from_string("".join(body))
                text = "".join(
                    part.get_payload(decode=True).decode()
                    for part in parsed.walk()
                    if part.get_content_type() == "text/plain"
                )
                self.server.messages.append(
                    {
                        "to": rcpt,
                        "subject": str(parsed["Subject"]),  # type: ignore[attr-defined]
                        "body": text,
                    }
                )
                rcpt = []
                self._say("250 kept")
            elif verb == "QUIT":
                self._say("221 bye")
                return
            else:
                self._say("250 ok")


@pytest.fixture
def smtp_sink(monkeypatch):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.messages = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setitem(tk.config, "smtp.server", f"127.0.0.1:{server.server_address[1]}")
    yield server.messages  # type: ignore[attr-defined]
    server.shutdown()
    server.server_close()


def _email(user: dict) -> str:
    return model.User.get(user["id"]).email


def test_publisher_is_told_of_a_request_and_the_requester_of_the_decision(world, smtp_sink):
    made = call("ldeco_access_request_create", world.officer, **request_data(world))
    to_publisher = {addr for m in smtp_sink for addr in m["to"]}
    assert to_publisher == {_email(world.publisher_admin), _email(world.editor)}
    assert all(made["id"] in m["body"] for m in smtp_sink)
    smtp_sink.clear()
    call(
        "ldeco_access_request_decide",
        world.editor,
        id=made["id"],
        decision="rejected",
        reason="Not proportionate",
    )
    assert [m["to"] for m in smtp_sink] == [[_email(world.officer)]]
    assert "Not proportionate" in smtp_sink[0]["body"]


def test_no_mail_server_loses_nothing(world, monkeypatch):
    with socket.socket() as s:  # a loopback port where nothing listens
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setitem(tk.config, "smtp.server", f"127.0.0.1:{port}")
    made = call("ldeco_access_request_create", world.officer, **request_data(world))
    assert call("ldeco_access_request_show", world.officer, id=made["id"])["state"] == "submitted"
