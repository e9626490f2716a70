"""A smart host whose TLS is broken: it offers STARTTLS, answers 220, then
sends bytes that are not TLS. A client that falls back to plain text on
its next connection (and does not say STARTTLS again) can send; each
message taken is written to DIR/<n>.json with the number of the
connection it came on. Prints `ready`; runs until killed.

usage: smtp_broken_tls.py PORT DIR
"""

import json
import os
import socket
import sys
import threading

port, folder = int(sys.argv[1]), sys.argv[2]
count = {"connections": 0, "messages": 0}
lock = threading.Lock()


def serve(conn, number):
    f = conn.makefile("rb")

    def say(line):
        conn.sendall(line.encode() + b"\r\n")

    say("220 broken.fabrikam.com ESMTP")
    mail_from, rcpts = None, []
    while True:
        line = f.readline()
        if not line:
            return
        word = line.decode(errors="replace").strip()
        verb = word.split(" ")[0].upper()
        if verb in ("EHLO", "HELO"):
            say("250-broken.fabrikam.com\r\n250 STARTTLS")
        elif verb == "STARTTLS":
            say("220 Go ahead")
            conn.sendall(b"this is not TLS\r\n" * 4)
            return
        elif verb == "MAIL":
            mail_from = word[10:].strip("<>")
            say("250 OK")
        elif verb == "RCPT":
            rcpts.append(word[8:].strip("<>"))
            say("250 OK")
        elif verb == "DATA":
            say("354 Go ahead")
            data = b""
            while True:
                chunk = f.readline()
                if chunk in (b".\r\n", b""):
                    break
                data += chunk
            with lock:
                count["messages"] += 1
                n = count["messages"]
            with open(os.path.join(folder, f"{n}.json"), "w") as out:
                json.dump({"connection": number, "mail_from": mail_from, "rcpt_tos": rcpts}, out)
            say("250 Queued")
        elif verb == "QUIT":
            say("221 Bye")
            return
        else:
            say("500 What")


server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", port))
server.listen(8)
print("ready", flush=True)
while True:
    conn, _ = server.accept()
    with lock:
        count["connections"] += 1
        number = count["connections"]
    threading.Thread(target=serve, args=(conn, number), daemon=True).start()
