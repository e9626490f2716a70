//! Get-Queue: what the Transport service holds. Messages are categorized as
//! they arrive, so Submission is empty; a delivery queue to the mailbox
//! database exists while messages wait for delivery, and Unreachable while
//! some recipient could not be delivered at all.

use super::common::object;
use crate::format::views::QUEUE;
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::{ErrorRecord, Result};
use crate::runtime::ops::wildcard_match;
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;
use crate::store::queue::{QueueDb, queue_path};

pub fn definitions() -> Vec<CmdletDef> {
    let get = Signature::build("Get-Queue")
        .synopsis("Shows the Transport service's queues: Submission, delivery to the mailbox database, Unreachable.")
        .param(
            Param::new("Identity", T::Identity("QueueIdentity")).position(0).help("Server\\Queue; wildcards accepted."),
        )
        .param(Param::new("Server", T::Identity("ServerIdParameter")))
        .example("The queues and what they hold", "Get-Queue", "");
    vec![CmdletDef::run(get, get_queue)]
}

struct QueueRow {
    name: &'static str,
    delivery_type: &'static str,
    count: u64,
    next_hop: &'static str,
}

fn queue_object(server: &str, q: &QueueRow) -> Value {
    object(
        QUEUE,
        vec![
            ("Identity", Value::str(format!("{server}\\{}", q.name))),
            ("DeliveryType", Value::str(q.delivery_type)),
            ("Status", Value::str("Ready")),
            ("MessageCount", Value::Int(q.count.min(i32::MAX as u64) as i32)),
            ("Velocity", Value::Int(0)),
            ("RiskLevel", Value::str("Normal")),
            ("OutboundIPPool", Value::Int(0)),
            ("NextHopDomain", Value::str(q.next_hop)),
        ],
    )
}

fn get_queue(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let server = cx.store()?.server().name.clone();
    let path = queue_path(&cx.store_path);
    let (ready, failed) = if path.exists() {
        QueueDb::open(&path).and_then(|q| q.counts()).map_err(|e| {
            ErrorRecord::new(
                e.to_string(),
                crate::runtime::errors::Category::ReadError,
                "QueueViewerException",
                "QueueViewerException",
            )
        })?
    } else {
        (0, 0)
    };
    let mut queues =
        vec![QueueRow { name: "Submission", delivery_type: "Undefined", count: 0, next_hop: "Submission" }];
    if ready > 0 {
        queues.push(QueueRow {
            name: "1",
            delivery_type: "SmtpDeliveryToMailbox",
            count: ready,
            next_hop: "mailbox database",
        });
    }
    if failed > 0 {
        queues.push(QueueRow {
            name: "Unreachable",
            delivery_type: "Unreachable",
            count: failed,
            next_hop: "Unreachable Domain",
        });
    }
    let wanted = args.string("Identity");
    for q in &queues {
        let identity = format!("{server}\\{}", q.name);
        let keep = wanted.as_deref().is_none_or(|w| {
            let w = w.trim();
            identity.eq_ignore_ascii_case(w) || q.name.eq_ignore_ascii_case(w) || wildcard_match(w, &identity, false)
        });
        if keep {
            out.emit(cx, queue_object(&server, q))?;
        }
    }
    Ok(())
}
