# Concurrent clients on one IMAP4 Inbox: APPEND, FETCH (bodies, sections,
# BODYSTRUCTURE, ENVELOPE), STORE, SEARCH, EXPUNGE and NOOP from CLIENTS
# connections at once for SECONDS seconds. Every FETCH response is compared
# byte for byte with the message appended under its UID; every untagged
# response is checked against the client's own view of sequence numbers
# (EXISTS never shrinks the view, EXPUNGE never arrives during FETCH, STORE
# or SEARCH, a sequence number always names the UID it named before).
# Prints one JSON object with the figures.
#
# A raw socket client rather than imaplib: it must see every untagged
# response in order, with the literals, to keep its view of the mailbox.

import json, os, random, re, socket, sys, threading, time

PORT = int(os.environ['PORT'])
USER = os.environ['USER'].encode()
PASSWORD = os.environ['PASSWORD'].encode()
SECONDS = float(os.environ.get('STRESS_SECONDS', '3'))
CLIENTS = int(os.environ.get('STRESS_CLIENTS', '10'))
REF = 'tkREFERENCE00000'


class ProtocolError(Exception):
    pass


def template(kind, token):
    """The message of template `kind` carrying `token` (16 characters, so
    every message of a template has the same size and structure)."""
    head = (f'From: Alice Sender <alice.sender@contoso.com>\r\n'
            f'To: Bob <bob@contoso.com>, carol@contoso.com\r\n'
            f'Subject: stress {token}\r\n'
            f'Date: Mon, 2 Nov 2026 10:00:00 +0000\r\n'
            f'Message-ID: <{token}@contoso.com>\r\n')
    if kind == 0:
        return (head + f'\r\nHello {token}\r\nline two\r\n').encode()
    if kind == 1:
        lines = ''.join(f'line {i:05d} of {token} with some padding text\r\n' for i in range(1200))
        return (head + '\r\n' + lines).encode()
    if kind == 2:
        blob = ''.join(f'{token}{i:060d}\r\n' for i in range(300))
        return (head + 'MIME-Version: 1.0\r\n'
                'Content-Type: multipart/mixed; boundary="b-' + token + '"\r\n\r\n'
                'preamble\r\n'
                '--b-' + token + '\r\n'
                'Content-Type: text/plain; charset=utf-8\r\n\r\n'
                f'See the attachment {token}.\r\n'
                '--b-' + token + '\r\n'
                'Content-Type: application/octet-stream; name="' + token + '.bin"\r\n'
                'Content-Disposition: attachment; filename="' + token + '.bin"\r\n'
                'Content-Transfer-Encoding: base64\r\n\r\n' + blob +
                '--b-' + token + '--\r\n').encode()
    inner = (f'From: Dave <dave@fabrikam.com>\r\nSubject: inner {token}\r\n\r\ninner body {token}\r\n')
    return (head + 'MIME-Version: 1.0\r\n'
            'Content-Type: multipart/alternative; boundary="a-' + token + '"\r\n\r\n'
            '--a-' + token + '\r\n'
            'Content-Type: text/plain\r\n\r\n'
            f'plain {token}\r\n'
            '--a-' + token + '\r\n'
            'Content-Type: message/rfc822\r\n\r\n' + inner +
            '--a-' + token + '--\r\n').encode()


KINDS = 4


# ---- response parsing ------------------------------------------------------

def parse_value(buf, i):
    """One value at buf[i]: ('list', items, raw) / ('str', bytes) / ('lit',
    bytes) / ('atom', bytes). Returns (value, next index)."""
    c = buf[i:i + 1]
    if c == b'(':
        start = i
        i += 1
        items = []
        while True:
            while buf[i:i + 1] == b' ':
                i += 1
            if buf[i:i + 1] == b')':
                return ('list', items, buf[start:i + 1]), i + 1
            if i >= len(buf):
                raise ProtocolError('unterminated list')
            v, i = parse_value(buf, i)
            items.append(v)
    if c == b'"':
        i += 1
        out = bytearray()
        while buf[i:i + 1] != b'"':
            if i >= len(buf):
                raise ProtocolError('unterminated string')
            if buf[i:i + 1] == b'\\':
                i += 1
            out += buf[i:i + 1]
            i += 1
        return ('str', bytes(out)), i + 1
    if c == b'{':
        j = buf.index(b'}', i)
        n = int(buf[i + 1:j])
        start = j + 3
        return ('lit', buf[start:start + n]), start + n
    start = i
    depth = 0
    while i < len(buf):
        ch = buf[i:i + 1]
        if ch == b'[':
            depth += 1
        elif ch == b']':
            depth -= 1
        elif depth == 0 and ch in (b' ', b')', b'\r'):
            break
        i += 1
    return ('atom', buf[start:i]), i


def fetch_items(buf, i):
    """The (name, value) pairs of a FETCH response's list at buf[i]."""
    v, _ = parse_value(buf, i)
    if v[0] != 'list' or len(v[1]) % 2:
        raise ProtocolError('malformed FETCH list')
    items = v[1]
    return [(items[k][1].upper(), items[k + 1]) for k in range(0, len(items), 2)]


def show(value):
    if isinstance(value, bytes):
        return f'{value[:160]!r} ({len(value)} bytes)'
    return repr(value)


class Shared:
    def __init__(self):
        self.lock = threading.Lock()
        self.messages = {}      # uid -> (kind, token)
        self.deleted = set()    # uids some client marked \Deleted
        self.reference = {}     # kind -> {item: bytes}
        self.errors = []
        self.mismatches = []
        self.counts = {}
        self.stop = False

    def count(self, name, n=1):
        with self.lock:
            self.counts[name] = self.counts.get(name, 0) + n


class Client:
    def __init__(self, shared, ident):
        self.shared = shared
        self.ident = ident
        self.sock = socket.create_connection(('127.0.0.1', PORT), timeout=120)
        self.f = self.sock.makefile('rwb', buffering=1 << 16)
        self.n = 0
        self.view = []          # index + 1 = sequence number; uid or None
        self.current = None     # the command in progress
        self.rng = random.Random(ident)
        self.serial = 0
        greeting = self.read_response()
        if not greeting.startswith(b'* OK'):
            raise ProtocolError(f'greeting {greeting!r}')

    def read_response(self):
        buf = bytearray()
        while True:
            line = self.f.readline()
            if not line:
                raise ProtocolError('connection closed')
            buf += line
            m = re.search(rb'\{(\d+)\}\r\n$', line)
            if not m:
                return bytes(buf)
            n = int(m.group(1))
            data = self.f.read(n)
            if len(data) != n:
                raise ProtocolError('connection closed in a literal')
            buf += data

    def command(self, text, literal=None, on_fetch=None):
        """Sends a command; handles every untagged response; returns (status,
        text of the tagged line)."""
        self.n += 1
        tag = b'c%d' % self.n
        self.current = text.split(b' ')[0].upper()
        if self.current == b'UID':
            self.current = b'UID ' + text.split(b' ')[1].upper()
        if literal is None:
            self.f.write(tag + b' ' + text + b'\r\n')
        else:
            self.f.write(tag + b' ' + text + b' {%d+}\r\n' % len(literal) + literal + b'\r\n')
        self.f.flush()
        while True:
            resp = self.read_response()
            if resp.startswith(tag + b' '):
                rest = resp[len(tag) + 1:].rstrip(b'\r\n')
                status, _, info = rest.partition(b' ')
                return status, info
            if not resp.startswith(b'* '):
                raise ProtocolError(f'unexpected line {resp[:200]!r}')
            self.untagged(resp, on_fetch)

    def untagged(self, resp, on_fetch):
        m = re.match(rb'\* (\d+) (EXISTS|RECENT|EXPUNGE|FETCH)\b', resp)
        if m:
            n, what = int(m.group(1)), m.group(2)
            if what == b'EXISTS':
                if n < len(self.view):
                    raise ProtocolError(f'EXISTS {n} below the view {len(self.view)}')
                self.view.extend([None] * (n - len(self.view)))
            elif what == b'EXPUNGE':
                if self.current in (b'FETCH', b'STORE', b'SEARCH'):
                    raise ProtocolError(f'EXPUNGE during {self.current!r}')
                if not 1 <= n <= len(self.view):
                    raise ProtocolError(f'EXPUNGE {n} outside the view {len(self.view)}')
                del self.view[n - 1]
            elif what == b'FETCH':
                if not 1 <= n <= len(self.view):
                    raise ProtocolError(f'FETCH {n} outside the view {len(self.view)}')
                items = fetch_items(resp, m.end() + 1)
                uid = next((int(v[1]) for k, v in items if k == b'UID'), None)
                if uid is not None:
                    known = self.view[n - 1]
                    if known is None:
                        self.view[n - 1] = uid
                    elif known != uid:
                        raise ProtocolError(f'sequence {n} was UID {known}, now UID {uid}')
                if on_fetch is not None:
                    on_fetch(n, uid, items)
            return
        if re.match(rb'\* (FLAGS|OK|SEARCH|CAPABILITY|STATUS|LIST|LSUB)\b', resp):
            if resp.startswith(b'* SEARCH') and self.search_hits is not None:
                self.search_hits.extend(int(x) for x in resp[8:].split())
            return
        raise ProtocolError(f'unexpected untagged {resp[:200]!r}')

    search_hits = None

    def ok(self, status, info, allow_expungeissued=False):
        if status == b'OK':
            return
        if status == b'NO' and allow_expungeissued and info.startswith(b'[EXPUNGEISSUED]'):
            self.shared.count('no_expungeissued')
            return
        raise ProtocolError(f'{self.current!r} answered {status!r} {info!r}')

    # ---- checks ------------------------------------------------------------

    def check(self, uid, items):
        with self.shared.lock:
            known = self.shared.messages.get(uid)
        if known is None:
            # Appended by a client that has not read its APPENDUID yet:
            # wait for it (the append is committed, the answer is on its way).
            deadline = time.time() + 30
            while known is None and time.time() < deadline:
                time.sleep(0.01)
                with self.shared.lock:
                    known = self.shared.messages.get(uid)
            if known is None:
                self.shared.mismatches.append(f'UID {uid} was never appended')
                return
        kind, token = known
        raw = template(kind, token)
        ref = self.shared.reference[kind]
        for name, value in items:
            if name in (b'UID', b'FLAGS', b'INTERNALDATE'):
                continue
            if name == b'RFC822.SIZE':
                got, want = int(value[1]), len(raw)
            elif name in (b'BODYSTRUCTURE', b'ENVELOPE'):
                got, want = value[2], ref[name].replace(REF.encode(), token.encode())
            elif name == b'BODY[]':
                got, want = value[1], raw
            elif name.startswith(b'BODY['):
                got, want = value[1], ref[name].replace(REF.encode(), token.encode())
            else:
                continue
            self.shared.count('items_compared')
            if isinstance(want, bytes):
                self.shared.count('bytes_compared', len(want))
            if got != want:
                self.shared.mismatches.append(f'UID {uid} {name.decode()}: got {show(got)}, want {show(want)}')

    # ---- operations --------------------------------------------------------

    def login_select(self):
        self.ok(*self.command(b'LOGIN ' + USER + b' "' + PASSWORD + b'"'))
        self.ok(*self.command(b'SELECT INBOX'))
        self.ok(*self.command(b'FETCH 1:* (UID)'))

    def append(self):
        kind = self.rng.randrange(KINDS)
        self.serial += 1
        token = f'tk{self.ident:02d}{self.serial:012d}'
        status, info = self.command(b'APPEND INBOX', literal=template(kind, token))
        self.ok(status, info)
        m = re.match(rb'\[APPENDUID (\d+) (\d+)\]', info)
        if not m:
            raise ProtocolError(f'APPEND without APPENDUID: {info!r}')
        uid = int(m.group(2))
        with self.shared.lock:
            if uid in self.shared.messages:
                self.shared.mismatches.append(f'UID {uid} given twice')
            self.shared.messages[uid] = (kind, token)
        self.shared.count('appends')

    ITEMS = [b'RFC822.SIZE', b'BODY.PEEK[]', b'BODY.PEEK[1]', b'BODYSTRUCTURE', b'ENVELOPE', b'FLAGS',
             b'BODY.PEEK[HEADER.FIELDS (SUBJECT FROM)]', b'BODY.PEEK[TEXT]']

    def fetch_items_text(self):
        chosen = [i for i in self.ITEMS if self.rng.random() < 0.5] or [b'BODY.PEEK[]']
        return b'(UID ' + b' '.join(chosen) + b')'

    def on_fetch(self, n, uid, items):
        if uid is None:
            return
        if any(k not in (b'UID', b'FLAGS') for k, _ in items):
            self.shared.count('fetch_responses')
            self.check(uid, items)

    def fetch_seq(self):
        if not self.view:
            return
        a = self.rng.randrange(1, len(self.view) + 1)
        b = min(len(self.view), a + self.rng.randrange(0, 20))
        status, info = self.command(b'FETCH %d:%d ' % (a, b) + self.fetch_items_text(), on_fetch=self.on_fetch)
        self.ok(status, info, allow_expungeissued=True)
        self.shared.count('fetch')

    def fetch_uid(self):
        with self.shared.lock:
            uids = list(self.shared.messages)
        if not uids:
            return
        picked = sorted(set(self.rng.choice(uids) for _ in range(self.rng.randrange(1, 6))))
        text = b'UID FETCH ' + b','.join(b'%d' % u for u in picked) + b' ' + self.fetch_items_text()
        self.ok(*self.command(text, on_fetch=self.on_fetch))
        self.shared.count('uid_fetch')

    def known_seqs(self):
        return [i + 1 for i, u in enumerate(self.view) if u is not None]

    def store_deleted(self):
        seqs = self.known_seqs()
        if not seqs:
            return
        n = self.rng.choice(seqs)
        uid = self.view[n - 1]
        with self.shared.lock:
            self.shared.deleted.add(uid)
        if self.rng.random() < 0.5:
            status, info = self.command(b'STORE %d +FLAGS (\\Deleted)' % n)
            self.ok(status, info, allow_expungeissued=True)
        else:
            self.ok(*self.command(b'UID STORE %d +FLAGS (\\Deleted)' % uid))
        self.shared.count('store_deleted')

    def store_keyword(self):
        if not self.view:
            return
        n = self.rng.randrange(1, len(self.view) + 1)
        word = b'$Stress%d' % self.rng.randrange(5)
        status, info = self.command(b'STORE %d +FLAGS (%s)' % (n, word))
        self.ok(status, info, allow_expungeissued=True)
        self.shared.count('store_keyword')

    def search(self):
        with self.shared.lock:
            uids = list(self.shared.messages)
        if not uids:
            return
        uid = self.rng.choice(uids)
        kind, token = self.shared.messages[uid]
        by_uid = self.rng.random() < 0.5
        self.search_hits = []
        cmd = b'UID SEARCH' if by_uid else b'SEARCH'
        status, info = self.command(cmd + b' HEADER Subject ' + token.encode())
        hits, self.search_hits = self.search_hits, None
        self.ok(status, info)
        for h in hits:
            got = h if by_uid else (self.view[h - 1] if 1 <= h <= len(self.view) else -1)
            if got is not None and got != uid:
                self.shared.mismatches.append(f'SEARCH for UID {uid} found {"UID" if by_uid else "sequence"} {h} ({got})')
        self.shared.count('search')

    def expunge(self):
        self.ok(*self.command(b'EXPUNGE'))
        self.shared.count('expunge')

    def noop(self):
        self.ok(*self.command(b'NOOP'))
        if None in self.view:
            first = self.view.index(None) + 1
            self.ok(*self.command(b'FETCH %d:* (UID)' % first), allow_expungeissued=True)
        self.shared.count('noop')

    def run(self):
        ops = [(self.append, 24), (self.fetch_seq, 24), (self.fetch_uid, 14), (self.store_deleted, 10),
               (self.store_keyword, 5), (self.search, 7), (self.expunge, 8), (self.noop, 8)]
        funcs = [f for f, w in ops for _ in range(w)]
        while not self.shared.stop:
            op = self.rng.choice(funcs)
            if op == self.append and len(self.view) > 60:
                op = self.store_deleted
            op()

    def final_view_check(self):
        """After everyone stopped: NOOP brings the view up to date, and then
        every sequence number names the UID the view says."""
        self.ok(*self.command(b'NOOP'))
        seen = {}
        def collect(n, uid, items):
            seen[n] = uid
        self.ok(*self.command(b'FETCH 1:* (UID)', on_fetch=collect))
        if sorted(seen) != list(range(1, len(self.view) + 1)):
            raise ProtocolError(f'final FETCH 1:* answered {len(seen)} messages for a view of {len(self.view)}')
        return set(self.view)


def main():
    shared = Shared()
    setup = Client(shared, 99)
    setup.ok(*setup.command(b'LOGIN ' + USER + b' "' + PASSWORD + b'"'))
    setup.ok(*setup.command(b'CREATE Reference'))
    for kind in range(KINDS):
        setup.ok(*setup.command(b'APPEND Reference', literal=template(kind, REF)))
    setup.ok(*setup.command(b'EXAMINE Reference'))
    names = [b'BODYSTRUCTURE', b'ENVELOPE', b'BODY[1]', b'BODY[HEADER.FIELDS (SUBJECT FROM)]', b'BODY[TEXT]']
    for kind in range(KINDS):
        got = {}
        def keep(n, uid, items):
            for k, v in items:
                got[k] = v[2] if v[0] == 'list' else v[1]
        setup.ok(*setup.command(b'FETCH %d (UID BODYSTRUCTURE ENVELOPE BODY.PEEK[1] '
                                b'BODY.PEEK[HEADER.FIELDS (SUBJECT FROM)] BODY.PEEK[TEXT])' % (kind + 1),
                                on_fetch=keep))
        shared.reference[kind] = {n: got[n] for n in names}

    clients = [Client(shared, i) for i in range(CLIENTS)]
    for c in clients:
        c.login_select()

    def work(c):
        try:
            c.run()
        except Exception as e:
            shared.errors.append(f'client {c.ident} during {c.current!r}: {e!r}')

    threads = [threading.Thread(target=work, args=(c,)) for c in clients]
    started = time.time()
    for t in threads:
        t.start()
    time.sleep(SECONDS)
    shared.stop = True
    for t in threads:
        t.join(120)
    elapsed = time.time() - started

    final = None
    for c in clients:
        try:
            view = c.final_view_check()
            if final is not None and view != final:
                shared.errors.append(f'client {c.ident} ends with another mailbox than the others')
            final = view
        except Exception as e:
            shared.errors.append(f'client {c.ident} final check: {e!r}')
    if final is not None:
        lost = set(shared.messages) - final - shared.deleted
        if lost:
            shared.mismatches.append(f'UIDs lost (appended, never deleted, gone): {sorted(lost)[:20]}')
        strangers = final - set(shared.messages)
        if strangers:
            shared.mismatches.append(f'UIDs nobody appended: {sorted(strangers)[:20]}')

    print(json.dumps({
        'seconds': round(elapsed, 1),
        'clients': CLIENTS,
        'counts': shared.counts,
        'messages_at_end': len(final or ()),
        'mismatches': len(shared.mismatches),
        'protocol_errors': len(shared.errors),
        'examples': (shared.mismatches + shared.errors)[:10],
    }, sort_keys=True))


main()
