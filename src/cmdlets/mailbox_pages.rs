//! Listing mailboxes as Get-Mailbox and Get-CASMailbox do: page by page
//! through the store, up to -ResultSize, with Exchange's warnings when more
//! matched than were returned.

use super::identity::store_err;
use crate::runtime::command::{Args, Output};
use crate::runtime::errors::Result;
use crate::runtime::session::Session;
use crate::runtime::value::Value;
use crate::store::{Mailbox, ServerInfo};

pub fn result_size(args: &Args) -> Option<usize> {
    match args.get("ResultSize") {
        Some(Value::Int(n)) => Some(*n as usize),
        Some(_) => None,
        None => Some(1000),
    }
}

/// Exchange's warning when more objects matched than were returned: the
/// default limit's long text, or the short one after an explicit -ResultSize.
pub fn result_size_warning(cx: &mut Session, args: &Args) {
    if args.has("ResultSize") {
        cx.warn("There are more results available than are currently displayed. To view them, increase the value for the ResultSize parameter.");
    } else {
        cx.warn("By default, only the first 1000 items are returned. Use the ResultSize parameter to specify the number of items returned. To return all items, specify \"-ResultSize Unlimited\". Be aware that, depending upon the actual number of items, returning all items can take a long time and consume a large amount of memory. Also, we don't recommend storing the results in a variable. Instead, pipe the results to another task or script to perform batch changes.");
    }
}

/// Walks every mailbox (keyset pages), emitting those that pass `keep`,
/// up to `limit`; returns whether more matched than were emitted.
pub fn for_each_mailbox(
    cx: &mut Session,
    out: &mut Output,
    limit: Option<usize>,
    mut make: impl FnMut(&Mailbox, &ServerInfo) -> Option<Value>,
) -> Result<bool> {
    let mut after: Option<String> = None;
    let mut emitted = 0usize;
    loop {
        let store = cx.store()?;
        let server = store.server().clone();
        let page = store.mailboxes_page(after.as_deref(), 500).map_err(store_err)?;
        let Some(last) = page.last() else {
            return Ok(false);
        };
        after = Some(last.name.clone());
        for m in &page {
            let Some(v) = make(m, &server) else { continue };
            if limit.is_some_and(|l| emitted >= l) {
                return Ok(true);
            }
            out.emit(cx, v)?;
            emitted += 1;
        }
    }
}
