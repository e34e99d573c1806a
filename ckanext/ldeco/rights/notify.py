"""Email notices of the access-request workflow, sent from a stored outbox.

The workflow only ever *stores* a notice, in the same transaction as the
event that causes it (a request submitted, a decision, a grant about to end).
Sending is a separate step — a background job queued after the commit, and
`ckan ldeco rights send-mail` — that marks each message sent, or counts the
failed attempt and keeps the error, so a mail server that is down loses
nothing: the next run sends what is still pending.

The mail server is asked once whether it answers before anything is tried:
while none does, no job is queued and no message is charged an attempt (the
server's absence is not the message's fault), and at most one sending job
waits in the queue at a time, so notices never hold up other background work.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import time
from collections.abc import Callable
from typing import Any

import ckan.model as model  # the toolkit has no door to member lookups
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan.lib import mailer

from ckanext.ldeco import config
from ckanext.ldeco.rights import model as m
from ckanext.ldeco.rights.labels import Labels

__all__ = [
    "request_submitted",
    "request_decided",
    "queue_expiry_notices",
    "send_pending",
    "enqueue_sending",
    "mail_status",
    "outbox_counts",
    "ldeco_rights_send_mail_job",
]

log = logging.getLogger(__name__)

# every queued sending job's id starts so, to find one already waiting
JOB_PREFIX = "ldeco-rights-send-mail-"
# how long a web process trusts its last look at the mail server
_PROBE_TTL = 15.0
_PROBE_TIMEOUT = 3.0
_probed: dict[str, tuple[float, str | None]] = {}


def _store(kind: str, user_id: str, subject: str, body: str, **refs: Any) -> m.OutboxMessage:
    row = m.OutboxMessage(
        kind=kind,
        user_id=user_id,
        subject=subject,
        body=body,
        state="pending",
        attempts=0,
        created=m.now(),
        **refs,
    )
    model.Session.add(row)
    return row


def _request_url(request: dict[str, Any]) -> str:
    return tk.url_for("ldeco_rights.request_read", id=request["id"], _external=True)


def request_submitted(request: dict[str, Any]) -> int:
    """Store a notice to each of the publisher's admins and editors that a
    request waits for them. The caller commits."""
    members = (
        model.Session.query(model.Member)
        .filter(
            model.Member.group_id == request["publisher_id"],
            model.Member.table_name == "user",
            model.Member.state == "active",
            model.Member.capacity.in_(["admin", "editor"]),
        )
        .all()
    )
    subject = tk._("Access request for {title}").format(title=request["dataset_title"])
    body = tk._("{user} asks for access to {title} as {role} for {purpose}.\n\nDecide here: {url}").format(
        user=request["user_name"],
        title=request["dataset_title"],
        # people read titles, not the registers' codes
        role=Labels().of("role", request["role"]),
        purpose=Labels().of("purpose", request["purpose"]),
        url=_request_url(request),
    )
    # members without an address (the site user that made the organisation)
    # cannot be mailed; they see the request in their queue
    recipients = [u for u in (model.User.get(mb.table_id) for mb in members) if u is not None and u.email]
    for user in recipients:
        _store("request_submitted", user.id, subject, body, request_id=request["id"])
    return len(recipients)


def request_decided(request: dict[str, Any]) -> int:
    """Store a notice to the requester of what was decided. The caller commits."""
    state = request["state"].replace("_", " ")
    subject = tk._("Your access request for {title}: {state}").format(
        title=request["dataset_title"], state=state
    )
    body = tk._("Decision: {state}\nReason: {reason}\n\nSee it here: {url}").format(
        state=state, reason=request.get("decision_reason") or "", url=_request_url(request)
    )
    _store("request_decided", request["user_id"], subject, body, request_id=request["id"])
    return 1


def queue_expiry_notices(on: dt.date | None = None) -> int:
    """Store a notice for every current grant that ends within the configured
    number of days and has not had one yet (one per grant, ever). Commits."""
    on = on or m.now().date()
    horizon = on + dt.timedelta(days=config.rights_expiry_notice_days())
    already = sa.select(m.OutboxMessage.dedupe_key).where(m.OutboxMessage.dedupe_key.isnot(None))
    grants = (
        model.Session.query(m.Grant)
        .filter(
            m.Grant.state == "active",
            m.Grant.start_date <= on,
            m.Grant.expiry >= on,
            m.Grant.expiry <= horizon,
            sa.func.concat("expiry:", m.Grant.id).notin_(already),
        )
        .all()
    )
    for grant in grants:
        dataset = model.Package.get(grant.dataset_id)
        title = dataset.title if dataset else grant.dataset_id
        subject = tk._("Your access to {title} ends on {date}").format(
            title=title, date=grant.expiry.isoformat()
        )
        body = tk._(
            "Your access to {title} for {purpose} ends on {date}. To keep it, ask again before then: {url}"
        ).format(
            title=title,
            purpose=Labels().of("purpose", grant.purpose),
            date=grant.expiry.isoformat(),
            url=tk.url_for("ldeco_rights.my_access", _external=True),
        )
        _store(
            "grant_expiring",
            grant.user_id,
            subject,
            body,
            grant_id=grant.id,
            request_id=grant.request_id,
            dedupe_key=f"expiry:{grant.id}",
        )
    model.Session.commit()
    return len(grants)


def _deliver(row: m.OutboxMessage) -> None:
    user = model.User.get(row.user_id)
    if user is None or not user.email:
        raise ValueError(tk._("the recipient has no email address"))
    mailer.mail_recipient(user.display_name, user.email, row.subject, row.body)


def _server() -> str:
    return (tk.config.get("smtp.server") or "").strip()


def _probe(server: str) -> str | None:
    """None when an SMTP server answers at SERVER, else why not."""
    if not server:
        return tk._("no mail server is configured (smtp.server)")
    host, _, port = server.rpartition(":") if server.rsplit(":", 1)[-1].isdigit() else (server, "", "25")
    try:
        with smtplib.SMTP(host, int(port), timeout=_PROBE_TIMEOUT) as conn:
            code, _msg = conn.noop()
        if code != 250:
            return tk._("the mail server at {server} answered {code}").format(server=server, code=code)
    except (OSError, smtplib.SMTPException) as err:
        return tk._("no mail server answers at {server} ({error})").format(server=server, error=err)
    return None


def mail_status(fresh: bool = False) -> dict[str, Any]:
    """Whether notices can be mailed now: {server, sending, reason}. A web
    process looks again at most every few seconds unless FRESH."""
    server = _server()
    seen = _probed.get(server)
    if fresh or seen is None or time.monotonic() - seen[0] > _PROBE_TTL:
        seen = (time.monotonic(), _probe(server))
        _probed[server] = seen
    return {"server": server, "sending": seen[1] is None, "reason": seen[1]}


def outbox_counts(user_id: str | None = None) -> dict[str, int]:
    """How many messages the outbox holds in each state (of one recipient)."""
    q = model.Session.query(m.OutboxMessage.state, sa.func.count())
    if user_id:
        q = q.filter(m.OutboxMessage.user_id == user_id)
    counts = {"pending": 0, "sent": 0, "failed": 0}
    counts.update(dict(q.group_by(m.OutboxMessage.state).all()))
    return counts


def send_pending(progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Try every pending message once; mark it sent, or count the attempt and
    keep the error (after the configured attempts it is kept as failed).
    Each message is committed on its own, so a crash half-way sends nothing
    twice that was already marked. While no mail server answers, nothing is
    tried and every message keeps its attempts. Returns counts of sent,
    failed, pending."""
    counts = {"sent": 0, "failed": 0, "pending": 0}
    status = mail_status(fresh=True)
    if not status["sending"]:
        counts["pending"] = outbox_counts()["pending"]
        if counts["pending"]:
            log.warning("%s notices wait in the outbox: %s", counts["pending"], status["reason"])
        return counts
    ids = [
        r.id
        for r in model.Session.query(m.OutboxMessage.id)
        .filter(m.OutboxMessage.state == "pending")
        .order_by(m.OutboxMessage.created)
    ]
    limit = config.rights_mail_max_attempts()
    for n, id_ in enumerate(ids, 1):
        # lock the row so two senders (job and command) never mail it twice
        row = (
            model.Session.query(m.OutboxMessage)
            .filter(m.OutboxMessage.id == id_, m.OutboxMessage.state == "pending")
            .with_for_update(skip_locked=True)
            .one_or_none()
        )
        if row is None:
            model.Session.rollback()
            continue
        try:
            _deliver(row)
        except Exception as err:  # whatever the mail server says, the message stays
            row.attempts += 1
            row.last_error = str(err)[:1000]
            if row.attempts >= limit:
                row.state = "failed"
                counts["failed"] += 1
            else:
                counts["pending"] += 1
            log.warning(
                "notice %s to user %s not sent (attempt %s): %s", row.id, row.user_id, row.attempts, err
            )
        else:
            row.attempts += 1
            row.state, row.sent, row.last_error = "sent", m.now(), None
            counts["sent"] += 1
        model.Session.commit()
        if progress:
            progress(f"{n}/{len(ids)} {row.kind} → {row.state}")
    return counts


def ldeco_rights_send_mail_job() -> dict[str, int]:
    """The background job: send what the outbox holds."""
    return send_pending()


def enqueue_sending() -> bool:
    """Ask a worker to send soon, unless a sending job already waits or no
    mail server answers (then the messages wait for the next
    `ckan ldeco rights send-mail`). Without Redis they wait too. Returns
    whether a job was queued."""
    status = mail_status()
    if not status["sending"]:
        log.info("notices stay in the outbox: %s", status["reason"])
        return False
    try:
        from ckan.lib import jobs  # the toolkit has no door to the queue's contents

        if any(i.startswith(JOB_PREFIX) for i in jobs.get_queue().get_job_ids()):
            return False  # the waiting job will send these too
        tk.enqueue_job(ldeco_rights_send_mail_job, title="ldeco rights: send notices",
                       rq_kwargs={"job_id": JOB_PREFIX + m.new_id()})
    except Exception as err:
        log.warning("could not queue the sending of notices (they stay in the outbox): %s", err)
        return False
    return True
