"""A smart host for the send connector tests: aiosmtpd on 127.0.0.1:PORT.

Each accepted message is written to DIR/<n>.json as its envelope (MAIL FROM,
RCPT TO, the client's EHLO name) and its text. RCPT TO an address whose local
part is `refuse` gets `550 5.1.1 User unknown`; `later` gets `451 4.3.0 Try
again later`. Prints `ready` once it listens; runs until killed.

With `dsn`, it offers DSN (RFC 3461) at EHLO and records the DSN
parameters of MAIL FROM and of each RCPT TO (aiosmtpd itself refuses
MAIL FROM's RET and ENVID); without, it offers none, as aiosmtpd does.
It offers SMTPUTF8 (aiosmtpd's default) and records whether a message
came with it; with `nosmtputf8` it does not offer it. With
`tls:CERT:KEY` it offers STARTTLS with that certificate and records
whether a message came over TLS. With `auth:USER:PASS` it offers AUTH
PLAIN and LOGIN (over TLS only), takes only that account, and records who
logged on.

usage: smtp_sink.py PORT DIR [dsn] [nosmtputf8] [tls:CERT:KEY] [auth:USER:PASS]
"""

import asyncio
import json
import os
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult

DSN_MAIL_PARAMETERS = ("RET=", "ENVID=")
DSN_RCPT_PARAMETERS = ("NOTIFY=", "ORCPT=")


def split_off(arg, names):
    words = (arg or "").split(" ")
    taken = [w for w in words if w.upper().startswith(names)]
    return " ".join(w for w in words if w not in taken), taken


class DsnSMTP(SMTP):
    """Takes the DSN parameters off MAIL FROM and RCPT TO before aiosmtpd
    reads them (it refuses them), when the sink offers DSN."""

    async def smtp_MAIL(self, arg):
        if self.event_handler.dsn:
            arg, self.session.dsn_mail = split_off(arg, DSN_MAIL_PARAMETERS)
        await super().smtp_MAIL(arg)

    async def smtp_RCPT(self, arg):
        if self.event_handler.dsn:
            arg, self.session.dsn_rcpt = split_off(arg, DSN_RCPT_PARAMETERS)
        await super().smtp_RCPT(arg)


class DsnController(Controller):
    def factory(self):
        return DsnSMTP(self.handler, **self.SMTP_kwargs)


class Sink:
    def __init__(self, folder, dsn):
        self.folder = folder
        self.dsn = dsn
        self.count = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if self.dsn:
            return responses[:-1] + ["250-DSN", responses[-1]]
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0].lower()
        if local == "refuse":
            return "550 5.1.1 User unknown"
        if local == "later":
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.append(" ".join(getattr(session, "dsn_rcpt", [])))
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        record = {
            "helo": session.host_name,
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "mail_dsn": " ".join(getattr(session, "dsn_mail", [])),
            "rcpt_dsn": envelope.rcpt_options,
            "smtputf8": envelope.smtp_utf8,
            "tls": session.ssl is not None,
            "auth_user": session.auth_data.login.decode() if session.authenticated else None,
            "data": envelope.original_content.decode("utf-8", "replace"),
        }
        path = os.path.join(self.folder, f"{self.count}.json")
        with open(path + ".tmp", "w") as f:
            json.dump(record, f)
        os.rename(path + ".tmp", path)
        return "250 2.0.0 Queued as sink-%d" % self.count


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    options = sys.argv[3:]
    tls = None
    for option in options:
        if option.startswith("tls:"):
            _, cert, key = option.split(":", 2)
            tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            tls.load_cert_chain(cert, key)
    account = None
    for option in options:
        if option.startswith("auth:"):
            _, user, password = option.split(":", 2)
            account = (user.encode(), password.encode())

    def authenticator(server, session, envelope, mechanism, auth_data):
        given = (auth_data.login, auth_data.password)
        if account is not None and given == account:
            return AuthResult(success=True, auth_data=auth_data)
        # Not handled here: aiosmtpd answers 535 itself.
        return AuthResult(success=False, handled=False)

    controller = DsnController(
        Sink(folder, "dsn" in options),
        hostname="127.0.0.1",
        port=port,
        enable_SMTPUTF8="nosmtputf8" not in options,
        tls_context=tls,
        authenticator=authenticator if account else None,
        auth_require_tls=True,
    )
    controller.start()
    print("ready", flush=True)
    try:
        asyncio.run(asyncio.Event().wait())
    finally:
        controller.stop()


main()
