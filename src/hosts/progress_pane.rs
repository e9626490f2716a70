//! The console's progress pane as Windows PowerShell 5.1's console host
//! draws it: the activities still running form a tree (children under their
//! -ParentId, indented two columns), each drawn in the most complete style
//! that fits in a third of the window (oldest compressed first: full, then
//! compact, then one line, then hidden with `N activities not shown...`),
//! between two blank rows, the full width of the window, in the progress
//! colours (yellow on dark cyan) at the top of the window.

use crate::runtime::progress::ProgressRecord;

/// How many activities are kept; the oldest leaf goes first (5.1's limit).
const MAX_NODES: usize = 128;

/// Each style is terser than the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Invisible,
    Minimal,
    Compact,
    /// Status and current operation cut to one line each.
    Full,
    /// Status and current operation wrapped over as many lines as they need.
    FullPlus,
}

#[derive(Debug)]
struct Node {
    source: i64,
    record: ProgressRecord,
    /// Records received since this activity's last one.
    age: u32,
    style: Style,
    children: Vec<Node>,
}

/// The activities reported and not yet completed.
#[derive(Debug, Default)]
pub struct PendingProgress {
    top: Vec<Node>,
    count: usize,
}

type Path = Vec<usize>;

impl PendingProgress {
    /// Takes in one record: a new activity, an update, a completion, or a
    /// move under another parent.
    pub fn update(&mut self, source: i64, record: &ProgressRecord) {
        if record.parent_id != record.activity_id {
            self.apply(source, record);
        }
        visit_mut(&mut self.top, &mut |n| {
            n.age = n.age.saturating_add(1);
            n.style = Style::FullPlus;
        });
    }

    fn apply(&mut self, source: i64, record: &ProgressRecord) {
        if let Some(path) = self.find(source, record.activity_id) {
            let parent_same = self.node(&path).record.parent_id == record.parent_id;
            if record.completed || !parent_same {
                self.remove_promoting_children(&path);
            } else {
                let node = self.node_mut(&path);
                let parent_id = node.record.parent_id;
                node.record = record.clone();
                node.record.parent_id = parent_id;
                node.record.percent_complete = record.percent_complete.min(100);
                node.age = 0;
                return;
            }
        }
        if record.completed {
            return;
        }
        while self.count >= MAX_NODES {
            self.evict();
        }
        let mut record = record.clone();
        record.percent_complete = record.percent_complete.min(100);
        let parent = if record.parent_id >= 0 { self.find(source, record.parent_id) } else { None };
        if parent.is_none() {
            // A parent not (yet) shown: top level until a later record re-parents it.
            record.parent_id = -1;
        }
        let node = Node { source, record, age: 0, style: Style::FullPlus, children: Vec::new() };
        match parent {
            Some(p) => self.node_mut(&p).children.push(node),
            None => self.top.push(node),
        }
        self.count += 1;
    }

    fn find(&self, source: i64, id: i32) -> Option<Path> {
        paths(&self.top).into_iter().find(|p| {
            let n = self.node(p);
            n.source == source && n.record.activity_id == id
        })
    }

    fn node(&self, path: &[usize]) -> &Node {
        let mut n = &self.top[path[0]];
        for &i in &path[1..] {
            n = &n.children[i];
        }
        n
    }

    fn node_mut(&mut self, path: &[usize]) -> &mut Node {
        let mut n = &mut self.top[path[0]];
        for &i in &path[1..] {
            n = &mut n.children[i];
        }
        n
    }

    fn list_of(&mut self, path: &[usize]) -> &mut Vec<Node> {
        match path.split_last() {
            Some((_, [])) | None => &mut self.top,
            Some((_, parent)) => &mut self.node_mut(parent).children,
        }
    }

    /// Removes a node; its children take its place, unparented.
    fn remove_promoting_children(&mut self, path: &[usize]) {
        let index = path[path.len() - 1];
        let list = self.list_of(path);
        let mut node = list.remove(index);
        for child in &mut node.children {
            child.record.parent_id = -1;
        }
        list.splice(index..index, node.children);
        self.count -= 1;
    }

    /// Drops the oldest activity, looking into the children of the oldest
    /// until a leaf.
    fn evict(&mut self) {
        let mut prefix: Path = Vec::new();
        loop {
            let list = if prefix.is_empty() { &self.top } else { &self.node(&prefix).children };
            let Some(i) = oldest_in(list, |_| true) else { break };
            prefix.push(i.0);
            if self.node(&prefix).children.is_empty() {
                break;
            }
        }
        if prefix.is_empty() {
            return;
        }
        let index = prefix[prefix.len() - 1];
        self.list_of(&prefix).remove(index);
        self.count -= 1;
    }

    /// The pane's rows, `width` columns each, at most `max_height` rows of
    /// activities between the two blank rows; None when nothing is pending.
    pub fn render(&mut self, width: usize, max_height: usize) -> Option<Vec<String>> {
        if self.top.is_empty() {
            return None;
        }
        let invisible = if self.tally(width) > max_height { self.compress_to_fit(width, max_height) } else { 0 };
        let border = " ".repeat(width);
        let mut rows = vec![border.clone()];
        render_list(&self.top, &mut rows, 0, width);
        match invisible {
            0 => {}
            1 => rows.push(" 1 activity not shown...".to_string()),
            n => rows.push(format!(" {n} activities not shown...")),
        }
        rows.push(border);
        Some(rows.into_iter().map(|r| pad(&r, width)).collect())
    }

    fn tally(&self, width: usize) -> usize {
        let mut lines = 0;
        visit(&self.top, &mut |n| {
            let mut rows = Vec::new();
            render_node(n, &mut rows, 0, width);
            lines += rows.len();
        });
        lines
    }

    /// Compresses the oldest activities a style at a time until the tree fits;
    /// returns how many were hidden.
    fn compress_to_fit(&mut self, width: usize, max_height: usize) -> usize {
        let steps = [
            (Style::FullPlus, Style::Full),
            (Style::Full, Style::Compact),
            (Style::Compact, Style::Minimal),
            (Style::Minimal, Style::Invisible),
        ];
        for (from, to) in steps {
            let mut compressed = 0;
            while let Some(path) = self.oldest_of_style(from) {
                self.node_mut(&path).style = to;
                compressed += 1;
                if self.tally(width) <= max_height {
                    return if to == Style::Invisible { compressed } else { 0 };
                }
            }
            if to == Style::Invisible {
                return compressed;
            }
        }
        0
    }

    /// The oldest node of a style, the last one met (depth first) among equals.
    fn oldest_of_style(&self, style: Style) -> Option<Path> {
        let mut best: Option<(u32, Path)> = None;
        for p in paths(&self.top) {
            let n = self.node(&p);
            if n.style == style && best.as_ref().is_none_or(|(age, _)| n.age >= *age) {
                best = Some((n.age, p));
            }
        }
        best.map(|(_, p)| p)
    }
}

/// The oldest of one list (the last among equals), by index.
fn oldest_in(list: &[Node], keep: impl Fn(&Node) -> bool) -> Option<(usize, u32)> {
    let mut best: Option<(usize, u32)> = None;
    for (i, n) in list.iter().enumerate() {
        if keep(n) && best.is_none_or(|(_, age)| n.age >= age) {
            best = Some((i, n.age));
        }
    }
    best
}

fn paths(nodes: &[Node]) -> Vec<Path> {
    fn walk(nodes: &[Node], prefix: &mut Path, out: &mut Vec<Path>) {
        for (i, n) in nodes.iter().enumerate() {
            prefix.push(i);
            out.push(prefix.clone());
            walk(&n.children, prefix, out);
            prefix.pop();
        }
    }
    let mut out = Vec::new();
    walk(nodes, &mut Vec::new(), &mut out);
    out
}

fn visit(nodes: &[Node], f: &mut impl FnMut(&Node)) {
    for n in nodes {
        f(n);
        visit(&n.children, f);
    }
}

fn visit_mut(nodes: &mut [Node], f: &mut impl FnMut(&mut Node)) {
    for n in nodes {
        f(n);
        visit_mut(&mut n.children, f);
    }
}

fn render_list(nodes: &[Node], rows: &mut Vec<String>, indent: usize, width: usize) {
    for n in nodes {
        let before = rows.len();
        render_node(n, rows, indent, width);
        // Children are indented only under a parent that showed something.
        let step = if rows.len() > before { 2 } else { 0 };
        render_list(&n.children, rows, indent + step, width);
    }
}

fn render_node(n: &Node, rows: &mut Vec<String>, indent: usize, width: usize) {
    let r = &n.record;
    let pad_in = " ".repeat(indent);
    let deeper = " ".repeat(indent + 3);
    let percent = if r.percent_complete >= 0 { format!("{}% ", r.percent_complete) } else { String::new() };
    let remaining = if r.seconds_remaining >= 0 {
        format!("{} ", crate::runtime::value::format_timespan(r.seconds_remaining as i64))
    } else {
        String::new()
    };
    match n.style {
        Style::Invisible => {}
        Style::Minimal => {
            rows.push(cut(&format!(" {pad_in}{} {percent}{remaining}{} ", r.activity, r.status), width));
        }
        Style::Compact => {
            rows.push(cut(&format!(" {pad_in}{} ", r.activity), width));
            rows.push(cut(&format!(" {deeper}{percent}{remaining}{} ", r.status), width));
            if !r.current_operation.is_empty() {
                rows.push(cut(&format!(" {deeper}{} ", r.current_operation), width));
            }
        }
        Style::Full | Style::FullPlus => {
            let wrap = n.style == Style::FullPlus;
            rows.push(cut(&format!(" {pad_in}{} ", r.activity), width));
            describe(&r.status, &deeper, width, wrap, rows);
            if r.percent_complete >= 0 {
                // The bar takes the width less the indent, two spaces, the
                // brackets and five columns; it never looks full before 100.
                let bar = width.saturating_sub(indent + 3 + 9).max(3);
                let mut done = r.percent_complete as usize * bar / 100;
                if r.percent_complete < 100 && done == bar {
                    done -= 1;
                }
                rows.push(cut(&format!(" {deeper}[{}{}] ", "o".repeat(done), " ".repeat(bar - done)), width));
            }
            if r.seconds_remaining >= 0 {
                let t = crate::runtime::value::format_timespan(r.seconds_remaining as i64);
                rows.push(cut(&format!(" {deeper}{t} remaining.  "), width));
            }
            if !r.current_operation.is_empty() {
                rows.push(" ".to_string());
                describe(&r.current_operation, &deeper, width, wrap, rows);
            }
        }
    }
}

/// A status or current operation: cut to the width, or (wrapping) carried
/// on over further lines at the same indent.
fn describe(text: &str, indent: &str, width: usize, wrap: bool, rows: &mut Vec<String>) {
    let mut rest = format!(" {indent}{text} ");
    loop {
        let line = cut(&rest, width);
        let taken = line.chars().count();
        rows.push(line);
        // Stop when it all fitted, or when the indent leaves no room to go on.
        if taken == rest.chars().count() || !wrap || taken <= indent.len() + 1 {
            break;
        }
        rest = format!(" {indent}{}", rest.chars().skip(taken).collect::<String>());
    }
}

fn cut(s: &str, width: usize) -> String {
    s.chars().take(width).collect()
}

fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n >= width { cut(s, width) } else { format!("{s}{}", " ".repeat(width - n)) }
}

/// The escape sequences that draw `rows` at the top of the window (cursor
/// saved and restored), and blank rows left from a taller pane drawn before.
pub fn draw(rows: &[String], previously: usize, color: bool) -> String {
    // 5.1's ProgressForegroundColor Yellow on ProgressBackgroundColor DarkCyan;
    // reverse video where colour is off.
    let style = if color { "\u{1b}[93;46m" } else { "\u{1b}[7m" };
    let mut text = String::from("\u{1b}7");
    for (i, row) in rows.iter().enumerate() {
        text.push_str(&format!("\u{1b}[{};1H{style}{row}\u{1b}[0m", i + 1));
    }
    for i in rows.len()..previously {
        text.push_str(&format!("\u{1b}[{};1H\u{1b}[2K", i + 1));
    }
    text.push_str("\u{1b}8");
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(id: i32, parent: i32, activity: &str, status: &str) -> ProgressRecord {
        ProgressRecord {
            activity_id: id,
            parent_id: parent,
            activity: activity.into(),
            status: status.into(),
            current_operation: String::new(),
            percent_complete: -1,
            seconds_remaining: -1,
            completed: false,
        }
    }

    fn trimmed(rows: Option<Vec<String>>) -> Vec<String> {
        rows.unwrap_or_default().iter().map(|r| r.trim_end().to_string()).collect()
    }

    #[test]
    fn one_activity_in_full_with_bar_time_and_operation() {
        let mut p = PendingProgress::default();
        let mut r = rec(0, -1, "Checking mailboxes", "Ann Beebe");
        r.percent_complete = 50;
        r.seconds_remaining = 75;
        r.current_operation = "Reading the IMAP4 settings".into();
        p.update(0, &r);
        let rows = p.render(40, 13).unwrap();
        assert!(rows.iter().all(|r| r.chars().count() == 40));
        assert_eq!(
            trimmed(Some(rows)),
            [
                "",
                " Checking mailboxes",
                "    Ann Beebe",
                "    [oooooooooooooo              ]",
                "    00:01:15 remaining.",
                "",
                "    Reading the IMAP4 settings",
                ""
            ]
        );
    }

    #[test]
    fn the_bar_is_never_full_before_a_hundred_and_long_status_wraps() {
        let mut p = PendingProgress::default();
        let mut r = rec(0, -1, "A", "abcdefghijklmnopqrstuvwxyz");
        r.percent_complete = 99;
        p.update(0, &r);
        assert_eq!(
            trimmed(p.render(20, 13)),
            ["", " A", "    abcdefghijklmnop", "    qrstuvwxyz", "    [ooooooo ]", ""]
        );
    }

    #[test]
    fn children_are_indented_and_completion_promotes_them() {
        let mut p = PendingProgress::default();
        p.update(0, &rec(1, -1, "Outer", "o"));
        p.update(0, &rec(2, 1, "Inner", "i"));
        assert_eq!(trimmed(p.render(30, 13)), ["", " Outer", "    o", "   Inner", "      i", ""]);
        let mut done = rec(1, -1, "Outer", "o");
        done.completed = true;
        p.update(0, &done);
        assert_eq!(trimmed(p.render(30, 13)), ["", " Inner", "    i", ""]);
        let mut done = rec(2, -1, "Inner", "i");
        done.completed = true;
        p.update(0, &done);
        assert!(p.render(30, 13).is_none());
    }

    #[test]
    fn the_oldest_are_compressed_then_hidden_to_fit() {
        let mut p = PendingProgress::default();
        for id in 0..3 {
            p.update(0, &rec(id, -1, &format!("A{id}"), "s"));
        }
        // Six lines in full; five allowed: the oldest goes compact (same
        // height), then one line.
        assert_eq!(trimmed(p.render(30, 5)), ["", " A0 s", " A1", "    s", " A2", "    s", ""]);
        assert_eq!(trimmed(p.render(30, 1)), ["", " A2 s", " 2 activities not shown...", ""]);
    }

    #[test]
    fn an_update_keeps_its_place_and_a_missing_parent_means_top_level() {
        let mut p = PendingProgress::default();
        p.update(0, &rec(5, 9, "Orphan", "a"));
        p.update(0, &rec(6, -1, "Other", "b"));
        p.update(0, &rec(5, -1, "Orphan", "c"));
        assert_eq!(trimmed(p.render(30, 13)), ["", " Orphan", "    c", " Other", "    b", ""]);
    }
}
