use super::*;

#[test]
fn timespans_print_like_dotnet() {
    assert_eq!(format_timespan(1800), "00:30:00");
    assert_eq!(format_timespan(86400), "1.00:00:00");
}

#[test]
fn civil_dates_round_trip() {
    let t = unix_from_civil(2026, 11, 21, 10, 15, 0);
    assert_eq!(civil_from_unix(t), (2026, 11, 21, 10, 15, 0));
    assert_eq!(format_datetime(t), "11/21/2026 10:15:00 AM");
    assert_eq!(format_compact_datetime(t), "20261121101500");
    assert_eq!(DateTime::from_unix(t, DateKind::Local).invariant_text(), "11/21/2026 10:15:00");
}

#[test]
fn byte_sizes_print_like_exchange() {
    assert_eq!(format_bytes(0), "0 B (0 bytes)");
    assert_eq!(format_bytes(10 << 20), "10 MB (10,485,760 bytes)");
}

#[test]
fn doubles_print_with_fifteen_significant_digits() {
    assert_eq!(format_double(1.5), "1.5");
    assert_eq!(format_double(3.0), "3");
    assert_eq!(format_double(1.0 / 3.0), "0.333333333333333");
    assert_eq!(format_double(0.1 + 0.2), "0.3");
    assert_eq!(format_double(1e20), "1E+20");
    assert_eq!(format_double(1e-5), "1E-05");
    assert_eq!(format_double(0.0001), "0.0001");
    assert_eq!(format_double(123456789012345.0), "123456789012345");
    assert_eq!(format_double(1e15), "1E+15");
    assert_eq!(format_double(-2.5), "-2.5");
    assert_eq!(format_double(2.0 / 3.0), "0.666666666666667");
}

#[test]
fn arrays_are_shared_references() {
    let a = Value::array(vec![Value::Int(1), Value::Int(2)]);
    let b = a.clone();
    if let Value::Array(arr) = &b {
        arr.items_mut()[0] = Value::Int(5);
    }
    assert_eq!(a.as_array().map(|i| i[0].clone()), Some(Value::Int(5)));
}

#[test]
fn hashtable_keys_ignore_case_and_keep_order() {
    let t = Table::new(false);
    t.insert(Value::str("Name"), Value::Int(1));
    t.insert(Value::str("age"), Value::Int(2));
    t.insert(Value::str("NAME"), Value::Int(3));
    assert_eq!(t.len(), 2);
    assert_eq!(t.get_str("name"), Some(Value::Int(3)));
    assert_eq!(t.keys(), vec![Value::str("Name"), Value::str("age")]);
}

/// Values are moved on every step of evaluation: they stay 24 bytes and
/// 8-aligned (a 16-aligned payload made them 32, and slower to move).
#[test]
fn a_value_is_three_words() {
    assert_eq!(std::mem::size_of::<Value>(), 24);
    assert_eq!(std::mem::align_of::<Value>(), 8);
    // With the flow of control beside it (a break's label is two words).
    assert_eq!(std::mem::size_of::<crate::runtime::errors::Result<Value>>(), 32);
}
