//! Get-Random: a random number (below -Maximum, from -Minimum), or random
//! objects of -InputObject (-Count of them, without repeats). -SetSeed makes
//! the sequence repeatable in the session (mailsh's own generator: the
//! numbers are not those .NET's Random gives for the same seed).

use std::cell::Cell;

use crate::runtime::command::{Args, CmdletDef, Output, Processor};
use crate::runtime::errors::{Category, ErrorRecord, Result};
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;

thread_local! {
    static STATE: Cell<u64> = const { Cell::new(0) };
}

/// The next 64 random bits (splitmix64), seeded from the OS on first use.
fn next_u64() -> u64 {
    STATE.with(|s| {
        if s.get() == 0 {
            let mut b = [0u8; 8];
            crate::store::fill_random(&mut b);
            s.set(u64::from_le_bytes(b) | 1);
        }
        let x = s.get().wrapping_add(0x9E37_79B9_7F4A_7C15);
        s.set(x);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    })
}

fn next_f64() -> f64 {
    (next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

pub fn definitions() -> Vec<CmdletDef> {
    let sig = Signature::build("Get-Random")
        .class("Microsoft.PowerShell.Commands.GetRandomCommand")
        .synopsis("A random number, or random objects from a collection.")
        .param(
            Param::new("Maximum", T::Object).position(0).help("The number is below this (Int32.MaxValue if omitted)."),
        )
        .param(Param::new("Minimum", T::Object).help("The number is at least this (0 if omitted)."))
        .param(Param::new("InputObject", super::common::object_array()).pipeline().help("Objects to pick from."))
        .param(
            Param::new("Count", T::Int { min: 1, max: i32::MAX as i64 }).help("How many objects to pick (no repeats)."),
        )
        .param(
            Param::new("SetSeed", T::Int { min: i32::MIN as i64, max: i32::MAX as i64 })
                .help("Makes the sequence repeatable."),
        )
        .example("A dice roll", "Get-Random -Minimum 1 -Maximum 7", "")
        .example("Two mailboxes to test", "Get-CASMailbox | Get-Random -Count 2", "");
    vec![powershell_cmdlet!(sig, || Random { pool: Vec::new(), piped: false })]
}

struct Random {
    pool: Vec<Value>,
    piped: bool,
}

fn bound_error(min: &Value, max: &Value) -> ErrorRecord {
    ErrorRecord::new(
        format!(
            "The Minimum value ({}) cannot be greater than or equal to the Maximum value ({}).",
            min.to_text(),
            max.to_text()
        ),
        Category::InvalidArgument,
        "MinGreaterThanOrEqualMax",
        "ArgumentException",
    )
}

/// A number argument: integral, or a double (which makes the result one).
#[derive(Clone, Copy)]
enum Num {
    Int(i64),
    Float(f64),
}

fn num(name: &str, v: &Value) -> Result<Num> {
    match v {
        Value::Int(_) | Value::Long(_) | Value::Byte(_) => Ok(Num::Int(v.as_i64().unwrap_or(0))),
        Value::Double(f) => Ok(Num::Float(*f)),
        Value::Decimal(d) => Ok(Num::Float(d.to_string().parse().unwrap_or(0.0))),
        other => {
            let text = other.to_text();
            if let Some(n) = crate::runtime::types::parse_integer(&text).and_then(|n| i64::try_from(n).ok()) {
                return Ok(Num::Int(n));
            }
            match crate::runtime::types::parse_double(&text) {
                Some(f) => Ok(Num::Float(f)),
                None => Err(ErrorRecord::argument_transformation(
                    name,
                    &format!(
                        "Cannot convert value \"{text}\" to type \"System.Int32\". Error: \"Input string was not in a correct format.\""
                    ),
                ).into()),
            }
        }
    }
}

fn random_number(args: &Args) -> Result<Value> {
    let max = args.get("Maximum").map(|v| num("Maximum", v)).transpose()?;
    let min = args.get("Minimum").map(|v| num("Minimum", v)).transpose()?;
    let wide =
        matches!(args.get("Maximum"), Some(Value::Long(_))) || matches!(args.get("Minimum"), Some(Value::Long(_)));
    match (min, max) {
        (Some(Num::Float(_)), _) | (_, Some(Num::Float(_))) => {
            let as_f = |n: &Option<Num>, d: f64| match n {
                Some(Num::Float(f)) => *f,
                Some(Num::Int(i)) => *i as f64,
                None => d,
            };
            let (lo, hi) = (as_f(&min, 0.0), as_f(&max, f64::MAX));
            if lo >= hi {
                return Err(bound_error(
                    args.get("Minimum").unwrap_or(&Value::Double(lo)),
                    args.get("Maximum").unwrap_or(&Value::Double(hi)),
                )
                .into());
            }
            Ok(Value::Double(lo + next_f64() * (hi - lo)))
        }
        (min, max) => {
            let lo = match min {
                Some(Num::Int(i)) => i,
                _ => 0,
            };
            let hi = match max {
                Some(Num::Int(i)) => i,
                _ => i32::MAX as i64,
            };
            if lo >= hi {
                return Err(bound_error(
                    args.get("Minimum").unwrap_or(&Value::Int(lo as i32)),
                    args.get("Maximum").unwrap_or(&Value::int(hi)),
                )
                .into());
            }
            let span = (hi - lo) as u64;
            let n = lo + (next_u64() % span) as i64;
            Ok(if wide { Value::Long(n) } else { Value::int(n) })
        }
    }
}

impl Processor for Random {
    fn begin(&mut self, args: &Args, _cx: &mut Session, _out: &mut Output) -> Result<()> {
        if let Some(seed) = args.int("SetSeed") {
            STATE.with(|s| s.set((seed as u64).wrapping_mul(0x2545_F491_4F6C_DD1D) | 1));
        }
        Ok(())
    }

    fn process(&mut self, args: &Args, input: Option<&Value>, _cx: &mut Session, _out: &mut Output) -> Result<()> {
        if input.is_some() {
            self.piped = true;
        }
        if let Some(v) = args.get("InputObject") {
            self.pool.extend(v.clone().into_items());
        }
        Ok(())
    }

    fn end(&mut self, args: &Args, cx: &mut Session, out: &mut Output) -> Result<()> {
        if self.piped || args.has("InputObject") {
            let mut pool = std::mem::take(&mut self.pool);
            let count = (args.int("Count").unwrap_or(1) as usize).min(pool.len());
            for i in 0..count {
                let j = i + (next_u64() % (pool.len() - i) as u64) as usize;
                pool.swap(i, j);
            }
            pool.truncate(count);
            return out.emit_all(cx, pool);
        }
        for _ in 0..args.int("Count").unwrap_or(1) {
            let v = random_number(args)?;
            out.emit(cx, v)?;
        }
        Ok(())
    }
}
