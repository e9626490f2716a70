# A raw IMAP client for tests that must see every response line in order:
# `cmd` sends one command and returns the lines up to the tagged one (its tag
# written TAG), literals kept inline; `show` prints them as `name| line`.
# `imaplib_session` is imaplib logged on. `Raw.back_end()` speaks to the
# back end as the front end does, after the proof of the store's proxy key
# (docs/security.md).
import hashlib, hmac, os, re, socket


class Raw:
    def __init__(self, port=None, proxy_key=None):
        self.s = socket.create_connection(('127.0.0.1', int(port or os.environ['PORT'])), timeout=20)
        self.f = self.s.makefile('rwb')
        if proxy_key is not None:
            self.prove(proxy_key)
        self.greeting = self.f.readline().decode().rstrip('\r\n')
        self.n = 0

    @staticmethod
    def back_end():
        with open(os.environ['PROXY_KEY'], 'rb') as k:
            return Raw(os.environ['PROXY_PORT'], proxy_key=k.read())

    def prove(self, key):
        nonce_b = bytes.fromhex(self.f.readline().decode().split()[-1])
        nonce_f = os.urandom(32)
        mac = hmac.new(key, b'front-end' + nonce_b + nonce_f, hashlib.sha256).hexdigest()
        self.f.write(f'{nonce_f.hex()} {mac}\r\n'.encode())
        self.f.flush()
        theirs = self.f.readline().decode().strip()
        expected = hmac.new(key, b'back-end' + nonce_b + nonce_f, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(theirs, expected), 'the back end did not prove the key'

    def cmd(self, text):
        self.n += 1
        tag = 't%d' % self.n
        self.f.write(tag.encode() + b' ' + (text.encode() if isinstance(text, str) else text) + b'\r\n')
        self.f.flush()
        lines = []
        while True:
            line = self.f.readline()
            if not line:
                raise EOFError('connection closed')
            more = line
            while True:
                m = re.search(rb'\{(\d+)\}\r\n$', more)
                if not m:
                    break
                line += self.f.read(int(m.group(1)))
                more = self.f.readline()
                line += more
            text_line = line.decode('utf-8', 'replace').rstrip('\r\n')
            if line.startswith(tag.encode() + b' '):
                lines.append('TAG ' + text_line[len(tag) + 1:])
                return lines
            lines.append(text_line)

    def pipelined(self, text, last_tag):
        # Sends several commands at once; returns every line up to last_tag's.
        self.f.write(text if isinstance(text, bytes) else text.encode())
        self.f.flush()
        lines = []
        while True:
            line = self.f.readline().decode('utf-8', 'replace').rstrip('\r\n')
            lines.append(line)
            if line.startswith(last_tag + ' '):
                return lines

    def login(self):
        return self.cmd(f'LOGIN {os.environ["USER"]} "{os.environ["PASSWORD"]}"')


def imaplib_session():
    import imaplib
    m = imaplib.IMAP4('127.0.0.1', int(os.environ['PORT']))
    m.login(os.environ['USER'], os.environ['PASSWORD'])
    return m


def show(name, lines):
    # Line ends inside literals are written \\r\\n, so one response stays one line.
    for line in lines:
        line = line.replace('\r', '\\r').replace('\n', '\\n')
        print(f'{name}| {line}', flush=True)
