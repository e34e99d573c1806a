"""Notices are stored in an outbox with the event that causes them, then sent
through CKAN's mailer to a real SMTP sink on loopback; without a mail server
nothing is lost, nothing clogs the queue, and the next run sends it."""

from __future__ import annotations

import datetime as dt
import email
import mailbox
import os
import socket
import socketserver
import subprocess
import threading
from pathlib import Path

import ckan.model as model
import ckan.plugins.toolkit as tk
import pytest

from ckanext.ldeco.rights import model as m
from ckanext.ldeco.rights import notify
from ckanext.ldeco.rights.cli import rights as rights_cli

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
                if self.server.refuse:  # type: ignore[attr-defined]
                    self._say("550 no such mailbox")
                    continue
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


def _start_sink(refuse: bool = False) -> socketserver.ThreadingTCPServer:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.daemon_threads = True
    server.messages = []  # type: ignore[attr-defined]
    server.refuse = refuse  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def smtp_sink(monkeypatch):
    server = _start_sink()
    monkeypatch.setitem(tk.config, "smtp.server", f"127.0.0.1:{server.server_address[1]}")
    yield server.messages  # type: ignore[attr-defined]
    server.shutdown()
    server.server_close()


@pytest.fixture
def refusing_sink(monkeypatch):
    """A mail server that answers but takes no recipient: the message's fault, not the server's."""
    server = _start_sink(refuse=True)
    monkeypatch.setitem(tk.config, "smtp.server", f"127.0.0.1:{server.server_address[1]}")
    yield
    server.shutdown()
    server.server_close()


def _email(user: dict) -> str:
    return model.User.get(user["id"]).email


def _outbox(**filters) -> list[m.OutboxMessage]:
    model.Session.expire_all()
    return model.Session.query(m.OutboxMessage).filter_by(**filters).order_by(m.OutboxMessage.created).all()


def _dead_port() -> int:
    with socket.socket() as s:  # a loopback port where nothing listens
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _approved_grant(world) -> dict:
    made = call("ldeco_access_request_create", world.officer, **request_data(world))
    decided = call(
        "ldeco_access_request_decide", world.editor, id=made["id"], decision="approved", reason="ok"
    )
    return decided["grant"]


def test_notices_are_stored_with_the_event_and_sent_later(world, smtp_sink):
    made = call("ldeco_access_request_create", world.officer, **request_data(world))
    stored = _outbox(request_id=made["id"])
    assert {r.user_id for r in stored} == {world.publisher_admin["id"], world.editor["id"]}
    assert all(r.state == "pending" and r.kind == "request_submitted" for r in stored)
    assert smtp_sink == []  # storing is not sending

    assert notify.send_pending() == {"sent": 2, "failed": 0, "pending": 0}
    assert {addr for msg in smtp_sink for addr in msg["to"]} == {
        _email(world.publisher_admin),
        _email(world.editor),
    }
    assert all(made["id"] in msg["body"] for msg in smtp_sink)
    # the role and purpose by their titles, not their codes
    assert all("as Police liaison officer for Reducing crime and anti-social behaviour" in msg["body"]
               for msg in smtp_sink)
    assert all(r.state == "sent" and r.sent is not None for r in _outbox(request_id=made["id"]))

    smtp_sink.clear()
    assert notify.send_pending()["sent"] == 0  # a sent message is never sent again
    assert smtp_sink == []


def test_requester_is_told_of_the_decision(world, smtp_sink):
    made = call("ldeco_access_request_create", world.officer, **request_data(world))
    notify.send_pending()
    smtp_sink.clear()
    call(
        "ldeco_access_request_decide",
        world.editor,
        id=made["id"],
        decision="rejected",
        reason="Not proportionate",
    )
    notify.send_pending()
    assert [msg["to"] for msg in smtp_sink] == [[_email(world.officer)]]
    assert "Not proportionate" in smtp_sink[0]["body"]
    assert "rejected" in smtp_sink[0]["subject"]


def test_a_refused_submission_stores_no_notice(world):
    with pytest.raises(tk.ValidationError):
        call("ldeco_access_request_create", world.officer, **request_data(world, accept_terms=False))
    assert _outbox() == []


def test_mail_failure_loses_nothing_and_the_next_run_sends_it(world, monkeypatch, smtp_sink):
    sink_server = tk.config["smtp.server"]
    monkeypatch.setitem(tk.config, "smtp.server", f"127.0.0.1:{_dead_port()}")
    made = call("ldeco_access_request_create", world.officer, **request_data(world))
    assert call("ldeco_access_request_show", world.officer, id=made["id"])["state"] == "submitted"

    # runs while no mail server answers try nothing: no message is charged an attempt
    for _ in range(3):
        assert notify.send_pending() == {"sent": 0, "failed": 0, "pending": 2}
    rows = _outbox(request_id=made["id"])
    assert all(r.state == "pending" and r.attempts == 0 and r.last_error is None for r in rows)

    monkeypatch.setitem(tk.config, "smtp.server", sink_server)
    assert notify.send_pending() == {"sent": 2, "failed": 0, "pending": 0}
    assert len(smtp_sink) == 2
    assert all(
        r.state == "sent" and r.attempts == 1 and r.last_error is None for r in _outbox(request_id=made["id"])
    )


def test_sending_gives_up_after_the_configured_attempts_and_keeps_the_message(world, monkeypatch, refusing_sink):
    monkeypatch.setitem(tk.config, "ckanext.ldeco.rights.mail_max_attempts", 2)
    call("ldeco_access_request_create", world.officer, **request_data(world))
    assert notify.send_pending()["pending"] == 2
    assert all(r.attempts == 1 and "550" in r.last_error for r in _outbox())
    assert notify.send_pending() == {"sent": 0, "failed": 2, "pending": 0}
    assert notify.send_pending() == {"sent": 0, "failed": 0, "pending": 0}  # no longer tried
    assert [r.state for r in _outbox()] == ["failed", "failed"]


def test_expiry_notice_is_sent_once_per_grant_within_the_window(world, smtp_sink, monkeypatch):
    monkeypatch.setitem(tk.config, "ckanext.ldeco.rights.expiry_notice_days", 10)
    grant = _approved_grant(world)
    expiry = dt.date.fromisoformat(grant["expiry"])
    notify.send_pending()
    smtp_sink.clear()

    assert notify.queue_expiry_notices(on=expiry - dt.timedelta(days=11)) == 0  # not yet
    assert notify.queue_expiry_notices(on=expiry - dt.timedelta(days=10)) == 1
    assert notify.queue_expiry_notices(on=expiry - dt.timedelta(days=5)) == 0  # once per grant
    assert notify.send_pending()["sent"] == 1
    assert smtp_sink[0]["to"] == [_email(world.officer)]
    assert expiry.isoformat() in smtp_sink[0]["subject"]
    assert [r.grant_id for r in _outbox(kind="grant_expiring")] == [grant["id"]]


def test_no_expiry_notice_for_a_revoked_or_ended_grant(world):
    grant = _approved_grant(world)
    expiry = dt.date.fromisoformat(grant["expiry"])
    assert notify.queue_expiry_notices(on=expiry + dt.timedelta(days=1)) == 0
    call("ldeco_grant_revoke", world.editor, id=grant["id"], reason="project ended")
    assert notify.queue_expiry_notices(on=expiry - dt.timedelta(days=1)) == 0


def test_send_mail_command_reports_and_fails_while_messages_wait(world, cli, monkeypatch, smtp_sink):
    # the group itself, not `ckan ...`, which would reload the ini and lose the sink
    sink_server = tk.config["smtp.server"]
    monkeypatch.setitem(tk.config, "smtp.server", f"127.0.0.1:{_dead_port()}")
    call("ldeco_access_request_create", world.officer, **request_data(world))
    result = cli.invoke(rights_cli, ["send-mail"])
    assert result.exit_code == 1
    assert "0 sent, 2 still pending" in result.output

    monkeypatch.setitem(tk.config, "smtp.server", sink_server)
    result = cli.invoke(rights_cli, ["send-mail"])
    assert result.exit_code == 0, result.output
    assert "2 sent, 0 still pending" in result.output
    assert len(smtp_sink) == 2


def test_a_background_job_is_queued_after_the_commit_and_sends(world, smtp_sink, clean_queues):
    from ckan.lib import jobs

    made = call("ldeco_access_request_create", world.officer, **request_data(world))
    queued = [j for j in jobs.get_queue().jobs if j.func_name.endswith("ldeco_rights_send_mail_job")]
    assert len(queued) == 1
    assert smtp_sink == []
    queued[0].perform()  # what a worker does with it
    assert len(smtp_sink) == 2
    assert all(r.state == "sent" for r in _outbox(request_id=made["id"]))


def _send_jobs() -> list:
    from ckan.lib import jobs

    return [j for j in jobs.get_queue().jobs if j.func_name.endswith("ldeco_rights_send_mail_job")]


def test_no_job_is_queued_while_no_mail_server_answers(world, monkeypatch, clean_queues):
    # what `make run` had without a mail server: one failing job per notice
    monkeypatch.setitem(tk.config, "smtp.server", f"127.0.0.1:{_dead_port()}")
    made = call("ldeco_access_request_create", world.officer, **request_data(world))
    call("ldeco_access_request_withdraw", world.officer, id=made["id"], reason="wrong dates")
    assert _send_jobs() == []
    assert notify.outbox_counts()["pending"] == 2  # the notices wait, nothing is lost
    status = notify.mail_status()
    assert status["sending"] is False and "no mail server answers" in status["reason"]


def test_at_most_one_sending_job_waits_in_the_queue(world, smtp_sink, clean_queues):
    first = call("ldeco_access_request_create", world.officer, **request_data(world))
    call("ldeco_access_request_withdraw", world.officer, id=first["id"], reason="wrong dates")
    call("ldeco_access_request_create", world.officer, **request_data(world))
    queued = _send_jobs()
    assert len(queued) == 1
    queued[0].perform()  # the one job sends every notice stored before it ran
    assert len(smtp_sink) == 4
    assert notify.outbox_counts() == {"pending": 0, "sent": 4, "failed": 0}


def test_the_demo_mail_sink_keeps_what_the_portal_sends(world, monkeypatch, tmp_path):
    """services/mail.sh, as `make run` starts it: a real SMTP server on
    loopback that keeps each message in a maildir; stopped by its pid file."""
    script = Path(__file__).resolve().parents[2] / "services" / "mail.sh"
    port = _dead_port()
    env = {**os.environ, "LDECO_STATE": str(tmp_path), "MAIL_PORT": str(port)}
    subprocess.run([str(script), "start"], env=env, check=True, capture_output=True, timeout=60)
    try:
        monkeypatch.setitem(tk.config, "smtp.server", f"127.0.0.1:{port}")
        assert notify.mail_status(fresh=True)["sending"] is True
        call("ldeco_access_request_create", world.officer, **request_data(world))
        assert notify.send_pending() == {"sent": 2, "failed": 0, "pending": 0}
        kept = list(mailbox.Maildir(str(tmp_path / "mail"), create=False))
        assert sorted(msg["To"].split("<")[-1].strip(">") for msg in kept) == sorted(
            [_email(world.publisher_admin), _email(world.editor)])
        assert all(msg["Subject"].startswith("Access request for") for msg in kept)
    finally:
        subprocess.run([str(script), "stop"], env=env, check=True, capture_output=True, timeout=60)
    assert not (tmp_path / "run" / "mail.pid").exists()
    assert notify.mail_status(fresh=True)["sending"] is False
