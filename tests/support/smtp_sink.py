"""A smart host for the send connector tests: aiosmtpd on 127.0.0.1:PORT.

Each accepted message is written to DIR/<n>.json as its envelope (MAIL FROM,
RCPT TO, the client's EHLO name) and its text. RCPT TO an address whose local
part is `refuse` gets `550 5.1.1 User unknown`; `later` gets `451 4.3.0 Try
again later`. Prints `ready` once it listens; runs until killed.

usage: smtp_sink.py PORT DIR
"""

import asyncio
import json
import os
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0].lower()
        if local == "refuse":
            return "550 5.1.1 User unknown"
        if local == "later":
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        record = {
            "helo": session.host_name,
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "data": envelope.original_content.decode("utf-8", "replace"),
        }
        path = os.path.join(self.folder, f"{self.count}.json")
        with open(path + ".tmp", "w") as f:
            json.dump(record, f)
        os.rename(path + ".tmp", path)
        return "250 2.0.0 Queued as sink-%d" % self.count


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Sink(folder), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        asyncio.run(asyncio.Event().wait())
    finally:
        controller.stop()


main()
