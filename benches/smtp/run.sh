#!/usr/bin/env bash
# mailsh's transport services against Postfix delivering to Dovecot over LMTP
# (both from Debian's packages), on this machine, driven by Postfix's
# smtp-source, alternating the two servers step by step (issue 15's
# benchmark). Every message goes to one mailbox of contoso.com; a step sends
# --messages messages of --size bytes over --clients parallel sessions (one
# message a session, as inbound mail comes) and counts:
#   accepted/s   messages over the time until smtp-source had every 250
#   delivered/s  messages over the time until the last one is in the mailbox
# Both servers answer 250 only once the message is on disk (Postfix's queue
# file, mailsh's queue, both synced), and store into the mailbox durably
# (Dovecot's Maildir file synced before LMTP's 250; mailsh's mailbox database
# committed). Results go to --out as JSON lines and to the terminal as a table.
#
#   cargo build --release
#   benches/smtp/run.sh --reps 3 --out /tmp/smtp-bench.jsonl
#
# Everything lives in /tmp/smtp-bench and runs as root on 127.0.0.1 only;
# benches/smtp/run.sh --stop stops what it started.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=/tmp/smtp-bench
M=${MAILSH:-$PWD/target/release/mailsh}
REPS=1
MESSAGES=2000
SIZE=15000
CLIENTS="1 16 64"
OUT=/tmp/smtp-bench.jsonl
POSTFIX_PORT=20025
MAILSH_PORT=21025

stop() {
  postfix -c "$ROOT/postfix" stop >/dev/null 2>&1 || true
  if [ -s "$ROOT/dovecot/run/master.pid" ]; then
    local pid
    pid=$(cat "$ROOT/dovecot/run/master.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  [ -f "$ROOT/mailsh/config.db" ] && mailsh -Command "Stop-Service MSExchangeFrontEndTransport,MSExchangeDelivery,MSExchangeTransport" >/dev/null 2>&1 || true
}

mailsh() {
  MAILSH_STORE=$ROOT/mailsh/config.db MAILSH_SERVER=CAS01 MAILSH_DOMAIN=contoso.com \
    XDG_DATA_HOME=$ROOT/mailsh/data NO_COLOR=1 "$M" -NonInteractive "$@"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --reps) REPS=$2; shift 2 ;;
    --messages) MESSAGES=$2; shift 2 ;;
    --size) SIZE=$2; shift 2 ;;
    --clients) CLIENTS=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --stop) stop; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

[ -x "$M" ] || { echo "no mailsh binary at $M (cargo build --release)" >&2; exit 1; }
if ! command -v smtp-source >/dev/null || ! [ -x /usr/sbin/dovecot ] || ! [ -d /usr/lib/dovecot/modules ] \
   || ! [ -x /usr/lib/dovecot/lmtp ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q postfix dovecot-lmtpd >/dev/null
fi

stop
rm -rf "$ROOT"
mkdir -p "$ROOT"/{dovecot/run,dovecot/state,mail,postfix/queue,postfix/data,mailsh/data}
getent group vmail >/dev/null || groupadd -g 5000 vmail
getent passwd vmail >/dev/null || useradd -u 5000 -g 5000 -M -d /nonexistent -s /usr/sbin/nologin vmail
chown 5000:5000 "$ROOT/mail"
chmod 0755 "$ROOT" "$ROOT/mail"

# Dovecot, LMTP only.
dovecot -c "$HERE/dovecot-lmtp.conf"

# Postfix: this folder's main.cf; Debian's master.cf on POSTFIX_PORT, no chroot.
cp "$HERE/main.cf" "$ROOT/postfix/main.cf"
sed -e "s/^smtp      inet  n       -       y       -       -       smtpd/127.0.0.1:$POSTFIX_PORT inet n - n - - smtpd/" \
    -e 's/^\([a-z0-9.:]*[[:space:]]\+[a-z-]\+[[:space:]]\+[-yn][[:space:]]\+[-yn][[:space:]]\+\)y/\1n/' \
    /etc/postfix/master.cf > "$ROOT/postfix/master.cf"
chown -R postfix "$ROOT/postfix/data"
postfix -c "$ROOT/postfix" set-permissions >/dev/null 2>&1 || true
postfix -c "$ROOT/postfix" start >/dev/null 2>&1 || { echo "Postfix did not start; see $ROOT/postfix/maillog" >&2; exit 1; }

# mailsh: one mailbox, the Frontend Transport's connector on MAILSH_PORT, the
# others moved off the well-known ports; Exchange's defaults otherwise.
{
  echo "New-Mailbox -Name user1 -Alias user1 -Password (ConvertTo-SecureString -String 'Passw0rd!' -AsPlainText -Force) | Out-Null"
  echo "Set-ReceiveConnector 'Default Frontend CAS01' -Bindings 127.0.0.1:$MAILSH_PORT"
  echo "Set-ReceiveConnector 'Client Frontend CAS01' -Bindings 127.0.0.1:21587"
  echo "Set-ReceiveConnector 'Outbound Proxy Frontend CAS01' -Bindings 127.0.0.1:21717"
  echo "Set-ReceiveConnector 'Default CAS01' -Bindings 127.0.0.1:22525"
  echo "Set-ReceiveConnector 'Client Proxy CAS01' -Bindings 127.0.0.1:21465"
  echo "Start-Service MSExchangeTransport,MSExchangeDelivery,MSExchangeFrontEndTransport"
} | mailsh >"$ROOT/mailsh/setup.log" 2>&1

greets() ( exec 3<>"/dev/tcp/127.0.0.1/$1" && IFS= read -r -t 5 -u 3 line && [[ "$line" == 220* ]] )
for port in $POSTFIX_PORT $MAILSH_PORT; do
  for _ in $(seq 1 100); do greets "$port" 2>/dev/null && break; sleep 0.1; done
  greets "$port" || { echo "nothing greets on 127.0.0.1:$port" >&2; exit 1; }
done

delivered() {
  case "$1" in
    postfix) { find "$ROOT/mail/user1/Maildir/new" "$ROOT/mail/user1/Maildir/cur" -type f 2>/dev/null || true; } | wc -l ;;
    mailsh) mailsh -Command '(Get-MailboxStatistics user1).ItemCount' ;;
  esac
}

now() { date +%s.%N; }

step() {
  local server=$1 clients=$2 port before t0 t1 t2 target
  port=$([ "$server" = postfix ] && echo $POSTFIX_PORT || echo $MAILSH_PORT)
  before=$(delivered "$server")
  target=$((before + MESSAGES))
  t0=$(now)
  smtp-source -s "$clients" -m "$MESSAGES" -l "$SIZE" -f alice@fabrikam.com -t user1@contoso.com \
    -M client.fabrikam.com "127.0.0.1:$port" >"$ROOT/smtp-source.log" 2>&1 || true
  t1=$(now)
  local deadline=$(( $(date +%s) + 600 ))
  until [ "$(delivered "$server")" -ge "$target" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "$server: not all delivered in 600 s" >&2; cat "$ROOT/smtp-source.log" >&2; exit 1; }
    sleep 0.02
  done
  t2=$(now)
  python3 - "$server" "$clients" "$MESSAGES" "$SIZE" "$t0" "$t1" "$t2" >>"$OUT" <<'PY'
import json, sys
server, clients, n, size, t0, t1, t2 = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), *map(float, sys.argv[5:])
print(json.dumps({"server": server, "clients": clients, "messages": n, "size": size,
                  "accepted_per_s": round(n / (t1 - t0), 1), "delivered_per_s": round(n / (t2 - t0), 1)}))
PY
  tail -1 "$OUT"
}

: > "$OUT"
for rep in $(seq 1 "$REPS"); do
  for clients in $CLIENTS; do
    if [ $((rep % 2)) -eq 1 ]; then order="postfix mailsh"; else order="mailsh postfix"; fi
    for server in $order; do step "$server" "$clients"; done
  done
done

python3 - "$OUT" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print("| clients | figure | Postfix + Dovecot | mailsh | mailsh / Postfix |")
print("| --- | --- | --- | --- | --- |")
for c in sorted({r["clients"] for r in rows}):
    for key, name in (("accepted_per_s", "accepted/s"), ("delivered_per_s", "delivered/s")):
        p = statistics.median(r[key] for r in rows if r["clients"] == c and r["server"] == "postfix")
        m = statistics.median(r[key] for r in rows if r["clients"] == c and r["server"] == "mailsh")
        print(f"| {c} | {name} | {p:,.0f} | {m:,.0f} | {m / p:.2f}x |")
PY
stop
