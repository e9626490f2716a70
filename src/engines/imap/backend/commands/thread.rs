//! THREAD and UID THREAD (RFC 5256 4): ORDEREDSUBJECT (messages grouped by
//! base subject, each thread's first message the parent of the others) and
//! REFERENCES (the Message-ID/References/In-Reply-To links of section 4,
//! dummy parents pruned, roots with one base subject gathered, every level
//! ordered by sent date). Over SEARCH's hits, keys from the stored headers.

use std::collections::HashMap;

use imap_codec::imap_types::core::Charset;
use imap_codec::imap_types::extensions::thread::ThreadingAlgorithm;
use imap_codec::imap_types::search::SearchKey;

use super::Done;
use super::sort::{BAD_CHARSET, keyed_hits, known_charset};
use crate::engines::imap::backend::session::ImapSession;
use crate::engines::imap::backend::sort_keys::Keys;
use crate::engines::imap::texts;

/// A node of a thread: a message (index into the hits) or a dummy parent.
#[derive(Debug, Clone, Default)]
struct Node {
    message: Option<usize>,
    children: Vec<usize>,
    parent: Option<usize>,
}

pub async fn run(
    s: &mut ImapSession,
    algorithm: &ThreadingAlgorithm<'_>,
    charset: &Charset<'_>,
    search: Vec<SearchKey<'static>>,
    uid: bool,
) -> Done {
    if !known_charset(charset) {
        return Done::no(BAD_CHARSET);
    }
    if matches!(algorithm, ThreadingAlgorithm::Other(_)) {
        return Done::bad(texts::ARGUMENT_ERROR);
    }
    let (hits, _) = match keyed_hits(s, search).await {
        Ok(x) => x,
        Err(done) => return done,
    };
    let (nodes, roots) = match algorithm {
        ThreadingAlgorithm::OrderedSubject => ordered_subject(&hits),
        _ => references(&hits),
    };
    let mut line = String::from("THREAD ");
    for r in &roots {
        write_thread(&mut line, &nodes, *r, &hits, uid, true);
    }
    s.untagged(line.trim_end());
    Done::completed(if uid { "UID THREAD" } else { "THREAD" })
}

/// `(a b (c)(d))`: a node's message, then its only child in line, or its
/// children each in parentheses.
fn write_thread(out: &mut String, nodes: &[Node], n: usize, hits: &[Keys], uid: bool, top: bool) {
    if top {
        out.push('(');
    }
    let node = &nodes[n];
    let mut wrote = false;
    if let Some(m) = node.message {
        out.push_str(&(if uid { hits[m].uid } else { hits[m].seq }).to_string());
        wrote = true;
    }
    match node.children.len() {
        0 => {}
        1 if wrote => {
            out.push(' ');
            write_thread(out, nodes, node.children[0], hits, uid, false);
        }
        1 => write_thread(out, nodes, node.children[0], hits, uid, false),
        _ => {
            if wrote {
                out.push(' ');
            }
            for c in &node.children {
                out.push('(');
                write_thread(out, nodes, *c, hits, uid, false);
                out.push(')');
            }
        }
    }
    if top {
        out.push(')');
    }
}

/// The date a node sorts by: its message's, or a dummy's first child's.
fn date(nodes: &[Node], hits: &[Keys], n: usize) -> (i64, u32) {
    match nodes[n].message {
        Some(m) => (hits[m].sent, hits[m].seq),
        None => nodes[n].children.first().map(|c| date(nodes, hits, *c)).unwrap_or((0, 0)),
    }
}

fn ordered_subject(hits: &[Keys]) -> (Vec<Node>, Vec<usize>) {
    let mut order: Vec<usize> = (0..hits.len()).collect();
    order.sort_by_key(|i| (hits[*i].subject.clone(), hits[*i].sent, hits[*i].seq));
    let mut nodes: Vec<Node> = Vec::new();
    let mut roots = Vec::new();
    let mut current: Option<(String, usize)> = None;
    for i in order {
        let n = nodes.len();
        nodes.push(Node { message: Some(i), ..Default::default() });
        match &current {
            Some((subject, root)) if *subject == hits[i].subject => {
                let root = *root;
                nodes[root].children.push(n);
                nodes[n].parent = Some(root);
            }
            _ => {
                roots.push(n);
                current = Some((hits[i].subject.clone(), n));
            }
        }
    }
    roots.sort_by_key(|r| date(&nodes, hits, *r));
    (nodes, roots)
}

fn is_ancestor(nodes: &[Node], a: usize, mut b: usize) -> bool {
    // Is `a` an ancestor of `b` (or `b` itself)?
    loop {
        if a == b {
            return true;
        }
        match nodes[b].parent {
            Some(p) => b = p,
            None => return false,
        }
    }
}

fn link(nodes: &mut [Node], parent: usize, child: usize) {
    if let Some(old) = nodes[child].parent {
        nodes[old].children.retain(|c| *c != child);
    }
    nodes[child].parent = Some(parent);
    nodes[parent].children.push(child);
}

fn references(hits: &[Keys]) -> (Vec<Node>, Vec<usize>) {
    let mut nodes: Vec<Node> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut container = |id: &str, nodes: &mut Vec<Node>| -> usize {
        *by_id.entry(id.to_string()).or_insert_with(|| {
            nodes.push(Node::default());
            nodes.len() - 1
        })
    };
    // (1) Containers by Message-ID; links along each References chain.
    for (i, h) in hits.iter().enumerate() {
        let id = h.message_id.clone().unwrap_or_else(|| format!("<mailsh-{}@unique>", h.uid));
        let mut me = container(&id, &mut nodes);
        if nodes[me].message.is_some() {
            // A duplicate Message-ID: a container of its own.
            let unique = format!("<mailsh-{}-{}@duplicate>", h.uid, id);
            me = container(&unique, &mut nodes);
        }
        nodes[me].message = Some(i);
        let mut previous: Option<usize> = None;
        for r in &h.references {
            let c = container(r, &mut nodes);
            if let Some(p) = previous
                && nodes[c].parent.is_none()
                && !is_ancestor(&nodes, c, p)
            {
                link(&mut nodes, p, c);
            }
            previous = Some(c);
        }
        // The message's parent is the last reference, unless that loops.
        match previous {
            Some(p) if !is_ancestor(&nodes, me, p) => link(&mut nodes, p, me),
            _ => {
                if let Some(old) = nodes[me].parent.take() {
                    nodes[old].children.retain(|c| *c != me);
                }
            }
        }
    }
    // (2) The roots. (3) Dummies pruned.
    let mut roots: Vec<usize> = (0..nodes.len()).filter(|n| nodes[*n].parent.is_none()).collect();
    roots = prune(&mut nodes, roots, true);
    // (4) Sorted by date at every level.
    sort_level(&mut nodes, hits, &mut roots);
    // (5) Roots with the same base subject gathered.
    let mut by_subject: HashMap<String, usize> = HashMap::new();
    let subject_of = |nodes: &[Node], n: usize| -> Option<(String, bool)> {
        let m = nodes[n].message.or_else(|| nodes[n].children.first().and_then(|c| nodes[*c].message))?;
        Some((hits[m].subject.clone(), hits[m].is_reply))
    };
    for r in &roots {
        if let Some((subject, reply)) = subject_of(&nodes, *r).filter(|(s, _)| !s.is_empty()) {
            match by_subject.get(&subject) {
                None => {
                    by_subject.insert(subject, *r);
                }
                Some(old) => {
                    let old_reply = nodes[*old].message.map(|m| hits[m].is_reply).unwrap_or(false);
                    // The non-reply (or a dummy) is kept as the entry.
                    if nodes[*old].message.is_some() && (nodes[*r].message.is_none() || (old_reply && !reply)) {
                        by_subject.insert(subject, *r);
                    }
                }
            }
        }
    }
    let mut kept = Vec::new();
    for r in roots {
        let entry = subject_of(&nodes, r).filter(|(s, _)| !s.is_empty()).and_then(|(s, _)| by_subject.get(&s).copied());
        let Some(e) = entry.filter(|e| *e != r) else {
            kept.push(r);
            continue;
        };
        let (e_dummy, r_dummy) = (nodes[e].message.is_none(), nodes[r].message.is_none());
        if e_dummy && r_dummy {
            let children = std::mem::take(&mut nodes[r].children);
            for c in children {
                link(&mut nodes, e, c);
            }
        } else if e_dummy || (!r_dummy && nodes[r].message.is_some_and(|m| hits[m].is_reply)) {
            link(&mut nodes, e, r);
        } else if nodes[e].message.is_some_and(|m| hits[m].is_reply) {
            // The table's message is a reply to this one's subject: it
            // becomes this one's child, and this one the thread.
            if let Some(pos) = kept.iter().position(|k| *k == e) {
                kept[pos] = r;
            }
            link(&mut nodes, r, e);
            by_subject.insert(subject_of(&nodes, r).map(|(s, _)| s).unwrap_or_default(), r);
        } else {
            // Neither is a dummy and this one is not a reply: siblings
            // under a new dummy.
            let dummy = nodes.len();
            nodes.push(Node::default());
            if let Some(pos) = kept.iter().position(|k| *k == e) {
                kept[pos] = dummy;
            }
            link(&mut nodes, dummy, e);
            link(&mut nodes, dummy, r);
            by_subject.insert(subject_of(&nodes, e).map(|(s, _)| s).unwrap_or_default(), dummy);
        }
    }
    sort_level(&mut nodes, hits, &mut kept);
    (nodes, kept)
}

/// Removes dummies without children; a dummy's children take its place,
/// except for a root dummy with more than one child (RFC 5256 4, step 3).
fn prune(nodes: &mut Vec<Node>, level: Vec<usize>, top: bool) -> Vec<usize> {
    let mut out = Vec::new();
    for n in level {
        let children = std::mem::take(&mut nodes[n].children);
        let children = prune(nodes, children, false);
        for c in &children {
            nodes[*c].parent = Some(n);
        }
        nodes[n].children = children;
        if nodes[n].message.is_some() {
            out.push(n);
        } else if nodes[n].children.is_empty() {
            continue;
        } else if top && nodes[n].children.len() > 1 {
            out.push(n);
        } else {
            let kids = std::mem::take(&mut nodes[n].children);
            for c in &kids {
                nodes[*c].parent = if top { None } else { nodes[n].parent };
            }
            out.extend(kids);
        }
    }
    out
}

fn sort_level(nodes: &mut Vec<Node>, hits: &[Keys], level: &mut [usize]) {
    for n in level.iter() {
        let mut children = std::mem::take(&mut nodes[*n].children);
        sort_level(nodes, hits, &mut children);
        nodes[*n].children = children;
    }
    level.sort_by_key(|n| date(nodes, hits, *n));
}
