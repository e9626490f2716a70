//! The benchmark harness's realistic mail (../shared/bench/mailload,
//! `msggen.rs`), kept here so the project's own load examples seed the same
//! mix as `mailload populate`: the same seed and index give the same bytes.
#![allow(dead_code)]
// Deterministic, realistic test messages: the same seed and index give the
// same bytes on every run, so two servers are loaded with identical mail.
//
// Mix (by count): 55 % text/plain of 2-12 KB, 30 % multipart/alternative
// (text + HTML) of 4-40 KB, 15 % multipart/mixed with a base64 attachment of
// 20-100 KB. All CRLF, lines under 78 characters.

pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    /// splitmix64
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn log_uniform(&mut self, lo: f64, hi: f64) -> usize {
        (lo * (hi / lo).powf(self.unit())) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

pub struct Message {
    pub data: Vec<u8>,
    /// IMAP flag list without parentheses, e.g. "\Seen \Flagged".
    pub flags: String,
    /// IMAP date-time for APPEND, e.g. "05-Mar-2024 10:17:00 +0000".
    pub internal_date: String,
}

const WORDS: &[&str] = &[
    "the",
    "meeting",
    "budget",
    "report",
    "quarterly",
    "review",
    "please",
    "find",
    "attached",
    "schedule",
    "project",
    "deadline",
    "update",
    "team",
    "client",
    "contract",
    "invoice",
    "server",
    "migration",
    "mailbox",
    "access",
    "policy",
    "password",
    "exchange",
    "outlook",
    "calendar",
    "tomorrow",
    "morning",
    "afternoon",
    "thanks",
    "regards",
    "question",
    "answer",
    "agenda",
    "minutes",
    "action",
    "items",
    "follow",
    "up",
    "on",
    "with",
    "for",
    "and",
    "to",
    "of",
    "in",
    "we",
    "you",
    "our",
    "your",
    "will",
    "can",
    "should",
    "need",
    "before",
    "after",
    "Friday",
    "Monday",
    "release",
    "version",
    "security",
    "network",
    "backup",
    "réunion",
    "équipe",
    "merci",
    "bonjour",
    "cordialement",
    "demain",
    "rapport",
    "serveur",
    "messagerie",
    "accès",
    "paramètres",
    "utilisateur",
    "boîte",
    "courrier",
    "configuration",
];
const NAMES: &[&str] = &[
    "Alice Martin",
    "Bruno Petit",
    "Chloé Durand",
    "David Leroy",
    "Emma Moreau",
    "François Simon",
    "Gabrielle Laurent",
    "Hugo Michel",
    "Inès Garcia",
    "Julien Bernard",
    "Karim Roux",
    "Léa Fournier",
    "Marc Girard",
    "Nadia Bonnet",
    "Olivier Dupont",
];
const SUBJECTS: &[&str] = &[
    "Quarterly budget review",
    "Server migration plan",
    "Meeting notes from Monday",
    "Invoice 2024-0412",
    "Mailbox access request",
    "Project deadline update",
    "Security policy change",
    "Backup report",
    "Lunch on Friday?",
    "Release candidate feedback",
];
const UTF8_SUBJECTS: &[&str] = &[
    "Réunion d'équipe de demain",
    "Paramètres de la boîte aux lettres",
    "Accès à la messagerie – rappel",
    "Compte rendu de la réunion",
];
const MONTHS: &[&str] = &["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const WEEKDAYS: &[&str] = &["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];

fn address(name: &str) -> String {
    let local: String = name
        .to_lowercase()
        .replace(' ', ".")
        .chars()
        .map(|c| match c {
            'é' | 'è' | 'ê' => 'e',
            'ç' => 'c',
            'î' | 'ï' => 'i',
            'ô' => 'o',
            c => c,
        })
        .collect();
    if name.is_ascii() {
        format!("\"{name}\" <{local}@example.com>")
    } else {
        format!("=?UTF-8?B?{}?= <{local}@example.com>", base64(name.as_bytes(), 0))
    }
}

/// Days since 1970-01-01 -> (year, month 1-12, day).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// (RFC 5322 Date header, IMAP internal date) for a Unix time.
fn dates(t: i64) -> (String, String) {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    let (y, m, d) = civil(days);
    let (hh, mm, ss) = (secs / 3600, secs / 60 % 60, secs % 60);
    let mon = MONTHS[(m - 1) as usize];
    let wd = WEEKDAYS[days.rem_euclid(7) as usize];
    (
        format!("{wd}, {d:02} {mon} {y} {hh:02}:{mm:02}:{ss:02} +0000"),
        format!("{d:02}-{mon}-{y} {hh:02}:{mm:02}:{ss:02} +0000"),
    )
}

pub fn base64(data: &[u8], wrap: usize) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len() * 4 / 3 + data.len() / 38 + 8);
    let mut col = 0;
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(A[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
        col += 4;
        if wrap > 0 && col >= wrap {
            out.push_str("\r\n");
            col = 0;
        }
    }
    if wrap > 0 && col > 0 {
        out.push_str("\r\n");
    }
    out
}

/// Wrapped prose of about `target` bytes.
fn prose(r: &mut Rng, target: usize) -> String {
    let mut out = String::with_capacity(target + 100);
    let mut line = String::new();
    let mut sentence_start = true;
    while out.len() + line.len() < target {
        let mut w = r.pick(WORDS).to_string();
        if sentence_start {
            let mut c = w.chars();
            if let Some(f) = c.next() {
                w = f.to_uppercase().collect::<String>() + c.as_str();
            }
            sentence_start = false;
        }
        if r.below(9) == 0 {
            w.push('.');
            sentence_start = true;
        }
        if line.len() + w.len() + 1 > 72 {
            out.push_str(&line);
            out.push_str("\r\n");
            line.clear();
            if r.below(8) == 0 {
                out.push_str("\r\n");
            }
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&w);
    }
    out.push_str(&line);
    out.push_str("\r\n");
    out
}

fn html(text: &str) -> String {
    let mut h = String::from("<html><head><meta charset=\"utf-8\"></head><body>\r\n");
    for para in text.split("\r\n\r\n") {
        h.push_str("<p>");
        h.push_str(&para.replace('&', "&amp;").replace('<', "&lt;"));
        h.push_str("</p>\r\n");
    }
    h.push_str("</body></html>\r\n");
    h
}

/// Message `i` of the populate set for `seed`.
pub fn message(seed: u64, i: u64) -> Message {
    let mut r = Rng::new(seed.wrapping_mul(1_000_003).wrapping_add(i));
    let t = 1_704_067_200 + (i as i64) * 2_700 + r.below(2_000) as i64; // from 2024-01-01
    let (date, internal_date) = dates(t);
    let from = r.pick(NAMES);
    let to = r.pick(NAMES);
    let mut subject = if r.below(10) == 0 {
        format!("=?UTF-8?B?{}?=", base64(r.pick(UTF8_SUBJECTS).as_bytes(), 0))
    } else {
        r.pick(SUBJECTS).to_string()
    };
    match r.below(10) {
        0 | 1 => subject = format!("Re: {subject}"),
        2 => subject = format!("Fwd: {subject}"),
        _ => {}
    }
    let kind = r.below(100);
    let mut h = String::with_capacity(1024);
    h.push_str(&format!(
        "Return-Path: <bounce-{i}@example.com>\r\n\
         Received: from mx{}.example.com (mx.example.com [192.0.2.{}])\r\n\tby mail.example.net with ESMTPS id {i:08x}\r\n\tfor <user@example.net>; {date}\r\n\
         From: {}\r\nTo: {}\r\n",
        r.below(4),
        1 + r.below(250),
        address(from),
        address(to),
    ));
    if r.below(4) == 0 {
        h.push_str(&format!("Cc: {}\r\n", address(r.pick(NAMES))));
    }
    h.push_str(&format!("Subject: {subject}\r\nDate: {date}\r\nMessage-ID: <{i}.{seed}@bench.example.com>\r\n"));
    if subject.starts_with("Re:") && i > 0 {
        h.push_str(&format!("In-Reply-To: <{}.{seed}@bench.example.com>\r\n", i - 1));
    }
    h.push_str("MIME-Version: 1.0\r\nX-Mailer: mailload\r\n");
    let boundary = format!("=_mailload_{i}_{seed}");
    let body = if kind < 55 {
        let size = r.log_uniform(2_048.0, 12_288.0);
        h.push_str("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n");
        prose(&mut r, size.saturating_sub(h.len() + 2))
    } else if kind < 85 {
        let size = r.log_uniform(4_096.0, 40_960.0);
        h.push_str(&format!("Content-Type: multipart/alternative; boundary=\"{boundary}\"\r\n"));
        // The HTML copy is about 15 % larger than the text it wraps.
        let text = prose(&mut r, size.saturating_sub(h.len() + 400) * 100 / 215);
        format!(
            "This is a multi-part message in MIME format.\r\n\r\n\
             --{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{text}\r\n\
             --{boundary}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{}\r\n\
             --{boundary}--\r\n",
            html(&text)
        )
    } else {
        let size = r.log_uniform(20_480.0, 102_400.0);
        h.push_str(&format!("Content-Type: multipart/mixed; boundary=\"{boundary}\"\r\n"));
        let text_size = 600 + r.below(2_000) as usize;
        let text = prose(&mut r, text_size);
        let (name, ctype) = match r.below(3) {
            0 => (format!("report-{i}.pdf"), "application/pdf"),
            1 => (format!("photo-{i}.jpg"), "image/jpeg"),
            _ => (format!("data-{i}.xlsx"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        };
        let overhead = h.len() + text.len() + 600;
        let raw_len = size.saturating_sub(overhead) * 57 / 78;
        let raw: Vec<u8> = (0..raw_len).map(|_| r.next() as u8).collect();
        format!(
            "This is a multi-part message in MIME format.\r\n\r\n\
             --{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{text}\r\n\
             --{boundary}\r\nContent-Type: {ctype}; name=\"{name}\"\r\nContent-Transfer-Encoding: base64\r\n\
             Content-Disposition: attachment; filename=\"{name}\"\r\n\r\n{}\r\n\
             --{boundary}--\r\n",
            base64(&raw, 76)
        )
    };
    let mut data = h.into_bytes();
    data.extend_from_slice(b"\r\n");
    data.extend_from_slice(body.as_bytes());

    let mut flags = Vec::new();
    if r.below(100) < 70 {
        flags.push("\\Seen");
    }
    if r.below(100) < 10 {
        flags.push("\\Answered");
    }
    if r.below(100) < 5 {
        flags.push("\\Flagged");
    }
    Message { data, flags: flags.join(" "), internal_date }
}
