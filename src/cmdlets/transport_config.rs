//! Get-TransportConfig and Set-TransportConfig: the organization's message
//! size limits (MaxReceiveSize, MaxSendSize). The transport services read
//! them when they start.

use super::common::{change_in_one_write, object};
use super::identity::store_err;
use super::mailbox::quota_arg;
use crate::format::views::TRANSPORT_CONFIG;
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::Result;
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::{Value, now_unix};
use crate::store::Store;
use crate::store::transport::TransportConfig;

pub fn definitions() -> Vec<CmdletDef> {
    let get = Signature::build("Get-TransportConfig")
        .synopsis("Shows the organization's transport settings: the largest message received and sent.")
        .example("The size limits", "Get-TransportConfig | Format-List MaxReceiveSize,MaxSendSize", "");
    let set = Signature::build("Set-TransportConfig")
        .synopsis("Changes the organization's message size limits; restart the transport services to apply them.")
        .should_process(crate::runtime::signature::ConfirmImpact::Medium)
        .confirm_message(super::confirm_texts::SET_TRANSPORT_CONFIG)
        .param(
            Param::new("MaxReceiveSize", T::String)
                .help("Unlimited or a size (25MB): the largest message recipients receive."),
        )
        .param(Param::new("MaxSendSize", T::String).help("Unlimited or a size: the largest message users send."))
        .example("Allow 25 MB messages", "Set-TransportConfig -MaxReceiveSize 25MB -MaxSendSize 25MB", "");
    vec![CmdletDef::run(get, get_config), CmdletDef::run(set, set_config)]
}

fn size_value(v: Option<u64>) -> Value {
    v.map(Value::Bytes).unwrap_or_else(|| Value::str("Unlimited"))
}

fn config_object(c: &TransportConfig) -> Value {
    object(
        TRANSPORT_CONFIG,
        vec![
            ("MaxReceiveSize", size_value(c.max_receive_size)),
            ("MaxSendSize", size_value(c.max_send_size)),
            ("Identity", Value::str("Transport Settings")),
            ("WhenChanged", Value::date_unix(c.changed)),
        ],
    )
}

fn get_config(_args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let c = cx.store()?.transport_config().map_err(store_err)?;
    out.emit(cx, config_object(&c))
}

fn set_config(args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
    // Every value is checked before anything is read or written.
    let mut wanted = Vec::new();
    for name in ["MaxReceiveSize", "MaxSendSize"] {
        if let Some(v) = args.get(name) {
            wanted.push((name, quota_arg(name, v)?));
        }
    }
    // Exchange's text names no target ("Setting Transport configuration.").
    if !cx.should_process_text(args, super::confirm_texts::SET_TRANSPORT_CONFIG)? {
        return Ok(());
    }
    let shown = |v: Option<u64>| v.map(|n| n.to_string()).unwrap_or_else(|| "Unlimited".into());
    let change = |c: &mut TransportConfig| {
        let mut changed = Vec::new();
        for (name, next) in wanted {
            let slot = if name == "MaxReceiveSize" { &mut c.max_receive_size } else { &mut c.max_send_size };
            if next != *slot {
                changed.push((name.to_string(), shown(*slot), shown(next)));
                *slot = next;
            }
        }
        c.changed = now_unix();
        Ok(changed)
    };
    change_in_one_write(cx, args, "Transport Settings", Store::transport_config_for_update, change, |tx, c| {
        Store::save_transport_config(tx, c)
    })
}
