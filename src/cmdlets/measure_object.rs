//! Measure-Object (measure): count, sum, average, minimum, maximum.

use super::common::object;
use crate::format::views::MEASURE_INFO;
use crate::runtime::command::{Args, CmdletDef, Output, Processor};
use crate::runtime::errors::Result;
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;

pub fn definitions() -> Vec<CmdletDef> {
    let sig = Signature::build("Measure-Object")
        .aliases(&["measure"])
        .synopsis("Counts objects, and sums, averages or bounds a numeric property.")
        .param(Param::new("Property", T::String).position(0))
        .param(Param::new("Sum", T::Switch))
        .param(Param::new("Average", T::Switch))
        .param(Param::new("Maximum", T::Switch))
        .param(Param::new("Minimum", T::Switch))
        .param(Param::new("InputObject", T::Object).pipeline())
        .example("How many mailboxes", "Get-CASMailbox -ResultSize Unlimited | Measure-Object", "");
    vec![CmdletDef::stateful(sig, || Box::new(Measure { count: 0, numbers: Vec::new() }))]
}

struct Measure {
    count: i64,
    numbers: Vec<f64>,
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Int(n) => Some(*n as f64),
        Value::Long(n) => Some(*n as f64),
        Value::Byte(n) => Some(*n as f64),
        Value::Decimal(d) => d.to_string().parse().ok(),
        Value::Double(f) => Some(*f),
        Value::Bytes(b) => Some(*b as f64),
        Value::Str(s) => s.trim().parse().ok(),
        _ => None,
    }
}

impl Processor for Measure {
    fn process(&mut self, args: &Args, input: Option<&Value>, _cx: &mut Session, _out: &mut Output) -> Result<()> {
        let Some(v) = input.or(args.get("InputObject")) else {
            return Ok(());
        };
        let measured = match args.string("Property") {
            Some(p) => v.property(&p),
            None => v.clone(),
        };
        if args.has("Property") && measured.is_null() {
            return Ok(());
        }
        self.count += 1;
        if let Some(n) = number(&measured) {
            self.numbers.push(n);
        }
        Ok(())
    }

    fn end(&mut self, args: &Args, cx: &mut Session, out: &mut Output) -> Result<()> {
        let num = |f: f64| {
            if f.fract() == 0.0 && f.abs() < 9e15 { Value::int(f as i64) } else { Value::Double(f) }
        };
        let pick = |on: bool, v: Option<f64>| {
            if on { v.map(num).unwrap_or(Value::Null) } else { Value::Null }
        };
        let sum: f64 = self.numbers.iter().sum();
        let avg = if self.numbers.is_empty() { None } else { Some(sum / self.numbers.len() as f64) };
        let max = self.numbers.iter().copied().reduce(f64::max);
        let min = self.numbers.iter().copied().reduce(f64::min);
        let v = object(
            MEASURE_INFO,
            vec![
                ("Count", Value::int(self.count)),
                ("Average", pick(args.switch("Average"), avg).into_double()),
                ("Sum", pick(args.switch("Sum"), Some(sum))),
                ("Maximum", pick(args.switch("Maximum"), max)),
                ("Minimum", pick(args.switch("Minimum"), min)),
                ("Property", args.string("Property").map(Value::from).unwrap_or(Value::Null)),
            ],
        );
        out.emit(cx, v)
    }
}

trait IntoDouble {
    fn into_double(self) -> Value;
}

impl IntoDouble for Value {
    /// Average is a Double in PowerShell even when whole.
    fn into_double(self) -> Value {
        match self {
            Value::Int(n) => Value::Double(n as f64),
            other => other,
        }
    }
}
