//! The .NET members PowerShell shows for the values mailsh has: each
//! method's overload definitions as Get-Member prints them, and the type
//! words definitions use. Get-Member lists them; `$x.Method` without
//! parentheses gives them as a PSMethod.

use super::super::value::Value;

/// The name PowerShell prints for a type in a definition: its accelerator
/// (int, string, datetime), else the full name.
pub fn type_word(full: &str) -> String {
    match full {
        "System.Int32" => "int",
        "System.Int64" => "long",
        "System.String" => "string",
        "System.Boolean" => "bool",
        "System.Double" => "double",
        "System.Decimal" => "decimal",
        "System.Char" => "char",
        "System.Byte" => "byte",
        "System.DateTime" => "datetime",
        "System.TimeSpan" => "timespan",
        "System.Guid" => "guid",
        "System.Collections.Hashtable" => "hashtable",
        "System.Management.Automation.ScriptBlock" => "scriptblock",
        "System.Text.RegularExpressions.Regex" => "regex",
        "System.Security.SecureString" => "securestring",
        "System.Management.Automation.PSCredential" => "pscredential",
        "System.Object[]" => "Object[]",
        "null" => "object",
        other => return other.to_string(),
    }
    .to_string()
}

pub const OBJECT_METHODS: &[(&str, &str)] = &[
    ("Equals", "bool Equals(System.Object obj)"),
    ("GetHashCode", "int GetHashCode()"),
    ("GetType", "type GetType()"),
    ("ToString", "string ToString()"),
];

pub const STRING_METHODS: &[(&str, &str)] = &[
    ("Clone", "System.Object Clone(), System.Object ICloneable.Clone()"),
    (
        "CompareTo",
        "int CompareTo(System.Object value), int CompareTo(string strB), int IComparable.CompareTo(System.Object obj), int IComparable[string].CompareTo(string other)",
    ),
    ("Contains", "bool Contains(string value)"),
    ("CopyTo", "void CopyTo(int sourceIndex, char[] destination, int destinationIndex, int count)"),
    (
        "EndsWith",
        "bool EndsWith(string value), bool EndsWith(string value, System.StringComparison comparisonType), bool EndsWith(string value, bool ignoreCase, cultureinfo culture)",
    ),
    (
        "Equals",
        "bool Equals(System.Object obj), bool Equals(string value), bool Equals(string value, System.StringComparison comparisonType), bool IEquatable[string].Equals(string other)",
    ),
    (
        "GetEnumerator",
        "System.CharEnumerator GetEnumerator(), System.Collections.IEnumerator IEnumerable.GetEnumerator(), System.Collections.Generic.IEnumerator[char] IEnumerable[char].GetEnumerator()",
    ),
    ("GetHashCode", "int GetHashCode()"),
    ("GetType", "type GetType()"),
    ("GetTypeCode", "System.TypeCode GetTypeCode(), System.TypeCode IConvertible.GetTypeCode()"),
    (
        "IndexOf",
        "int IndexOf(char value), int IndexOf(char value, int startIndex), int IndexOf(string value), int IndexOf(string value, int startIndex), int IndexOf(string value, int startIndex, int count), int IndexOf(string value, System.StringComparison comparisonType), int IndexOf(char value, int startIndex, int count)",
    ),
    (
        "IndexOfAny",
        "int IndexOfAny(char[] anyOf), int IndexOfAny(char[] anyOf, int startIndex), int IndexOfAny(char[] anyOf, int startIndex, int count)",
    ),
    ("Insert", "string Insert(int startIndex, string value)"),
    ("IsNormalized", "bool IsNormalized(), bool IsNormalized(System.Text.NormalizationForm normalizationForm)"),
    (
        "LastIndexOf",
        "int LastIndexOf(char value), int LastIndexOf(char value, int startIndex), int LastIndexOf(string value), int LastIndexOf(string value, int startIndex), int LastIndexOf(string value, System.StringComparison comparisonType)",
    ),
    (
        "LastIndexOfAny",
        "int LastIndexOfAny(char[] anyOf), int LastIndexOfAny(char[] anyOf, int startIndex), int LastIndexOfAny(char[] anyOf, int startIndex, int count)",
    ),
    ("Normalize", "string Normalize(), string Normalize(System.Text.NormalizationForm normalizationForm)"),
    ("PadLeft", "string PadLeft(int totalWidth), string PadLeft(int totalWidth, char paddingChar)"),
    ("PadRight", "string PadRight(int totalWidth), string PadRight(int totalWidth, char paddingChar)"),
    ("Remove", "string Remove(int startIndex, int count), string Remove(int startIndex)"),
    ("Replace", "string Replace(char oldChar, char newChar), string Replace(string oldValue, string newValue)"),
    (
        "Split",
        "string[] Split(Params char[] separator), string[] Split(char[] separator, int count), string[] Split(char[] separator, System.StringSplitOptions options), string[] Split(char[] separator, int count, System.StringSplitOptions options), string[] Split(string[] separator, System.StringSplitOptions options), string[] Split(string[] separator, int count, System.StringSplitOptions options)",
    ),
    (
        "StartsWith",
        "bool StartsWith(string value), bool StartsWith(string value, System.StringComparison comparisonType), bool StartsWith(string value, bool ignoreCase, cultureinfo culture)",
    ),
    ("Substring", "string Substring(int startIndex), string Substring(int startIndex, int length)"),
    ("ToBoolean", "bool IConvertible.ToBoolean(System.IFormatProvider provider)"),
    ("ToByte", "byte IConvertible.ToByte(System.IFormatProvider provider)"),
    ("ToChar", "char IConvertible.ToChar(System.IFormatProvider provider)"),
    ("ToCharArray", "char[] ToCharArray(), char[] ToCharArray(int startIndex, int length)"),
    ("ToDateTime", "datetime IConvertible.ToDateTime(System.IFormatProvider provider)"),
    ("ToDecimal", "decimal IConvertible.ToDecimal(System.IFormatProvider provider)"),
    ("ToDouble", "double IConvertible.ToDouble(System.IFormatProvider provider)"),
    ("ToInt16", "int16 IConvertible.ToInt16(System.IFormatProvider provider)"),
    ("ToInt32", "int IConvertible.ToInt32(System.IFormatProvider provider)"),
    ("ToInt64", "long IConvertible.ToInt64(System.IFormatProvider provider)"),
    ("ToLower", "string ToLower(), string ToLower(cultureinfo culture)"),
    ("ToLowerInvariant", "string ToLowerInvariant()"),
    ("ToSByte", "sbyte IConvertible.ToSByte(System.IFormatProvider provider)"),
    ("ToSingle", "float IConvertible.ToSingle(System.IFormatProvider provider)"),
    (
        "ToString",
        "string ToString(), string ToString(System.IFormatProvider provider), string IConvertible.ToString(System.IFormatProvider provider)",
    ),
    ("ToType", "System.Object IConvertible.ToType(type conversionType, System.IFormatProvider provider)"),
    ("ToUInt16", "uint16 IConvertible.ToUInt16(System.IFormatProvider provider)"),
    ("ToUInt32", "uint32 IConvertible.ToUInt32(System.IFormatProvider provider)"),
    ("ToUInt64", "uint64 IConvertible.ToUInt64(System.IFormatProvider provider)"),
    ("ToUpper", "string ToUpper(), string ToUpper(cultureinfo culture)"),
    ("ToUpperInvariant", "string ToUpperInvariant()"),
    ("Trim", "string Trim(Params char[] trimChars), string Trim()"),
    ("TrimEnd", "string TrimEnd(Params char[] trimChars)"),
    ("TrimStart", "string TrimStart(Params char[] trimChars)"),
];

/// Int32, Int64, Double, Decimal, Byte and Boolean share these (with their own type word).
pub const NUMBER_METHODS: &[(&str, &str)] = &[
    (
        "CompareTo",
        "int CompareTo(System.Object value), int CompareTo(T value), int IComparable.CompareTo(System.Object obj)",
    ),
    ("Equals", "bool Equals(System.Object obj), bool Equals(T obj), bool IEquatable[T].Equals(T other)"),
    ("GetHashCode", "int GetHashCode()"),
    ("GetType", "type GetType()"),
    ("GetTypeCode", "System.TypeCode GetTypeCode(), System.TypeCode IConvertible.GetTypeCode()"),
    ("ToBoolean", "bool IConvertible.ToBoolean(System.IFormatProvider provider)"),
    ("ToByte", "byte IConvertible.ToByte(System.IFormatProvider provider)"),
    ("ToChar", "char IConvertible.ToChar(System.IFormatProvider provider)"),
    ("ToDateTime", "datetime IConvertible.ToDateTime(System.IFormatProvider provider)"),
    ("ToDecimal", "decimal IConvertible.ToDecimal(System.IFormatProvider provider)"),
    ("ToDouble", "double IConvertible.ToDouble(System.IFormatProvider provider)"),
    ("ToInt16", "int16 IConvertible.ToInt16(System.IFormatProvider provider)"),
    ("ToInt32", "int IConvertible.ToInt32(System.IFormatProvider provider)"),
    ("ToInt64", "long IConvertible.ToInt64(System.IFormatProvider provider)"),
    ("ToSByte", "sbyte IConvertible.ToSByte(System.IFormatProvider provider)"),
    ("ToSingle", "float IConvertible.ToSingle(System.IFormatProvider provider)"),
    (
        "ToString",
        "string ToString(), string ToString(string format), string ToString(System.IFormatProvider provider), string ToString(string format, System.IFormatProvider provider), string IConvertible.ToString(System.IFormatProvider provider)",
    ),
    ("ToType", "System.Object IConvertible.ToType(type conversionType, System.IFormatProvider provider)"),
    ("ToUInt16", "uint16 IConvertible.ToUInt16(System.IFormatProvider provider)"),
    ("ToUInt32", "uint32 IConvertible.ToUInt32(System.IFormatProvider provider)"),
    ("ToUInt64", "uint64 IConvertible.ToUInt64(System.IFormatProvider provider)"),
];

pub const DATE_METHODS: &[(&str, &str)] = &[
    ("Add", "datetime Add(timespan value)"),
    ("AddDays", "datetime AddDays(double value)"),
    ("AddHours", "datetime AddHours(double value)"),
    ("AddMilliseconds", "datetime AddMilliseconds(double value)"),
    ("AddMinutes", "datetime AddMinutes(double value)"),
    ("AddMonths", "datetime AddMonths(int months)"),
    ("AddSeconds", "datetime AddSeconds(double value)"),
    ("AddTicks", "datetime AddTicks(long value)"),
    ("AddYears", "datetime AddYears(int value)"),
    (
        "CompareTo",
        "int CompareTo(System.Object value), int CompareTo(datetime value), int IComparable.CompareTo(System.Object obj), int IComparable[datetime].CompareTo(datetime other)",
    ),
    (
        "Equals",
        "bool Equals(datetime value), bool Equals(System.Object value), bool IEquatable[datetime].Equals(datetime other)",
    ),
    (
        "GetDateTimeFormats",
        "string[] GetDateTimeFormats(), string[] GetDateTimeFormats(System.IFormatProvider provider), string[] GetDateTimeFormats(char format), string[] GetDateTimeFormats(char format, System.IFormatProvider provider)",
    ),
    ("GetHashCode", "int GetHashCode()"),
    ("GetType", "type GetType()"),
    ("GetTypeCode", "System.TypeCode GetTypeCode(), System.TypeCode IConvertible.GetTypeCode()"),
    ("IsDaylightSavingTime", "bool IsDaylightSavingTime()"),
    ("Subtract", "timespan Subtract(datetime value), datetime Subtract(timespan value)"),
    ("ToBinary", "long ToBinary()"),
    ("ToFileTime", "long ToFileTime()"),
    ("ToFileTimeUtc", "long ToFileTimeUtc()"),
    ("ToLocalTime", "datetime ToLocalTime()"),
    ("ToLongDateString", "string ToLongDateString()"),
    ("ToLongTimeString", "string ToLongTimeString()"),
    ("ToOADate", "double ToOADate()"),
    ("ToShortDateString", "string ToShortDateString()"),
    ("ToShortTimeString", "string ToShortTimeString()"),
    (
        "ToString",
        "string ToString(), string ToString(string format), string ToString(System.IFormatProvider provider), string ToString(string format, System.IFormatProvider provider), string IFormattable.ToString(string format, System.IFormatProvider formatProvider), string IConvertible.ToString(System.IFormatProvider provider)",
    ),
    ("ToUniversalTime", "datetime ToUniversalTime()"),
];

pub const DATE_PROPERTIES: &[(&str, &str)] = &[
    ("Date", "datetime Date {get;}"),
    ("Day", "int Day {get;}"),
    ("DayOfWeek", "System.DayOfWeek DayOfWeek {get;}"),
    ("DayOfYear", "int DayOfYear {get;}"),
    ("Hour", "int Hour {get;}"),
    ("Kind", "System.DateTimeKind Kind {get;}"),
    ("Millisecond", "int Millisecond {get;}"),
    ("Minute", "int Minute {get;}"),
    ("Month", "int Month {get;}"),
    ("Second", "int Second {get;}"),
    ("Ticks", "long Ticks {get;}"),
    ("TimeOfDay", "timespan TimeOfDay {get;}"),
    ("Year", "int Year {get;}"),
];

pub const TIMESPAN_METHODS: &[(&str, &str)] = &[
    ("Add", "timespan Add(timespan ts)"),
    (
        "CompareTo",
        "int CompareTo(System.Object value), int CompareTo(timespan value), int IComparable.CompareTo(System.Object obj), int IComparable[timespan].CompareTo(timespan other)",
    ),
    ("Duration", "timespan Duration()"),
    (
        "Equals",
        "bool Equals(System.Object value), bool Equals(timespan obj), bool IEquatable[timespan].Equals(timespan other)",
    ),
    ("GetHashCode", "int GetHashCode()"),
    ("GetType", "type GetType()"),
    ("Negate", "timespan Negate()"),
    ("Subtract", "timespan Subtract(timespan ts)"),
    (
        "ToString",
        "string ToString(), string ToString(string format), string ToString(string format, System.IFormatProvider formatProvider), string IFormattable.ToString(string format, System.IFormatProvider formatProvider)",
    ),
];

pub const TIMESPAN_PROPERTIES: &[(&str, &str)] = &[
    ("Days", "int Days {get;}"),
    ("Hours", "int Hours {get;}"),
    ("Milliseconds", "int Milliseconds {get;}"),
    ("Minutes", "int Minutes {get;}"),
    ("Seconds", "int Seconds {get;}"),
    ("Ticks", "long Ticks {get;}"),
    ("TotalDays", "double TotalDays {get;}"),
    ("TotalHours", "double TotalHours {get;}"),
    ("TotalMilliseconds", "double TotalMilliseconds {get;}"),
    ("TotalMinutes", "double TotalMinutes {get;}"),
    ("TotalSeconds", "double TotalSeconds {get;}"),
];

pub const ARRAY_METHODS: &[(&str, &str)] = &[
    ("Add", "int IList.Add(System.Object value)"),
    (
        "Address",
        "System.Object&, mscorlib, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089 Address(int )",
    ),
    ("Clear", "void IList.Clear()"),
    ("Clone", "System.Object Clone(), System.Object ICloneable.Clone()"),
    ("CompareTo", "int IStructuralComparable.CompareTo(System.Object other, System.Collections.IComparer comparer)"),
    ("Contains", "bool IList.Contains(System.Object value)"),
    (
        "CopyTo",
        "void CopyTo(array array, int index), void CopyTo(array array, long index), void ICollection.CopyTo(array array, int index)",
    ),
    (
        "Equals",
        "bool Equals(System.Object obj), bool IStructuralEquatable.Equals(System.Object other, System.Collections.IEqualityComparer comparer)",
    ),
    ("Get", "System.Object Get(int )"),
    (
        "GetEnumerator",
        "System.Collections.IEnumerator GetEnumerator(), System.Collections.IEnumerator IEnumerable.GetEnumerator()",
    ),
    (
        "GetHashCode",
        "int GetHashCode(), int IStructuralEquatable.GetHashCode(System.Collections.IEqualityComparer comparer)",
    ),
    ("GetLength", "int GetLength(int dimension)"),
    ("GetLongLength", "long GetLongLength(int dimension)"),
    ("GetLowerBound", "int GetLowerBound(int dimension)"),
    ("GetType", "type GetType()"),
    ("GetUpperBound", "int GetUpperBound(int dimension)"),
    (
        "GetValue",
        "System.Object GetValue(Params int[] indices), System.Object GetValue(int index), System.Object GetValue(int index1, int index2), System.Object GetValue(long index)",
    ),
    ("IndexOf", "int IList.IndexOf(System.Object value)"),
    ("Initialize", "void Initialize()"),
    ("Insert", "void IList.Insert(int index, System.Object value)"),
    ("Remove", "void IList.Remove(System.Object value)"),
    ("RemoveAt", "void IList.RemoveAt(int index)"),
    ("Set", "void Set(int , System.Object )"),
    (
        "SetValue",
        "void SetValue(System.Object value, int index), void SetValue(System.Object value, Params int[] indices), void SetValue(System.Object value, long index)",
    ),
    ("ToString", "string ToString()"),
];

pub const ARRAY_PROPERTIES: &[(&str, &str)] = &[
    ("Count", "int ICollection.Count {get;}"),
    ("IsFixedSize", "bool IsFixedSize {get;}"),
    ("IsReadOnly", "bool IsReadOnly {get;}"),
    ("IsSynchronized", "bool IsSynchronized {get;}"),
    ("Length", "int Length {get;}"),
    ("LongLength", "long LongLength {get;}"),
    ("Rank", "int Rank {get;}"),
    ("SyncRoot", "System.Object SyncRoot {get;}"),
];

pub const HASHTABLE_METHODS: &[(&str, &str)] = &[
    (
        "Add",
        "void Add(System.Object key, System.Object value), void IDictionary.Add(System.Object key, System.Object value)",
    ),
    ("Clear", "void Clear(), void IDictionary.Clear()"),
    ("Clone", "System.Object Clone(), System.Object ICloneable.Clone()"),
    ("Contains", "bool Contains(System.Object key), bool IDictionary.Contains(System.Object key)"),
    ("ContainsKey", "bool ContainsKey(System.Object key)"),
    ("ContainsValue", "bool ContainsValue(System.Object value)"),
    ("CopyTo", "void CopyTo(array array, int arrayIndex), void ICollection.CopyTo(array array, int index)"),
    ("Equals", "bool Equals(System.Object obj)"),
    (
        "GetEnumerator",
        "System.Collections.IDictionaryEnumerator GetEnumerator(), System.Collections.IDictionaryEnumerator IDictionary.GetEnumerator(), System.Collections.IEnumerator IEnumerable.GetEnumerator()",
    ),
    ("GetHashCode", "int GetHashCode()"),
    (
        "GetObjectData",
        "void GetObjectData(System.Runtime.Serialization.SerializationInfo info, System.Runtime.Serialization.StreamingContext context), void ISerializable.GetObjectData(System.Runtime.Serialization.SerializationInfo info, System.Runtime.Serialization.StreamingContext context)",
    ),
    ("GetType", "type GetType()"),
    (
        "OnDeserialization",
        "void OnDeserialization(System.Object sender), void IDeserializationCallback.OnDeserialization(System.Object sender)",
    ),
    ("Remove", "void Remove(System.Object key), void IDictionary.Remove(System.Object key)"),
    ("ToString", "string ToString()"),
];

pub const HASHTABLE_PROPERTIES: &[(&str, &str)] = &[
    ("Item", "System.Object Item(System.Object key) {get;set;}"),
    ("Count", "int Count {get;}"),
    ("IsFixedSize", "bool IsFixedSize {get;}"),
    ("IsReadOnly", "bool IsReadOnly {get;}"),
    ("IsSynchronized", "bool IsSynchronized {get;}"),
    ("Keys", "System.Collections.ICollection Keys {get;}"),
    ("SyncRoot", "System.Object SyncRoot {get;}"),
    ("Values", "System.Collections.ICollection Values {get;}"),
];

/// A generic definition (`T value`) for one element type's word.
pub fn specialise(definition: &str, word: &str) -> String {
    definition
        .replace("T value", &format!("{word} value"))
        .replace("(T obj)", &format!("({word} obj)"))
        .replace("[T]", &format!("[{word}]"))
        .replace("T other", &format!("{word} other"))
}

/// The methods of a value's type, with the word their generic definitions use.
pub fn methods_of(v: &Value) -> (&'static [(&'static str, &'static str)], String) {
    match v {
        Value::Str(_) => (STRING_METHODS, "string".into()),
        Value::Int(_) | Value::Long(_) | Value::Double(_) | Value::Decimal(_) | Value::Byte(_) | Value::Bool(_) => {
            (NUMBER_METHODS, type_word(&v.type_name()))
        }
        Value::DateTime(_) => (DATE_METHODS, "datetime".into()),
        Value::TimeSpan(_) => (TIMESPAN_METHODS, "timespan".into()),
        Value::Array(_) => (ARRAY_METHODS, String::new()),
        Value::Hashtable(_) => (HASHTABLE_METHODS, String::new()),
        _ => (OBJECT_METHODS, String::new()),
    }
}

/// `$x.ToUpper` without parentheses: the method's name as .NET spells it
/// and its overload definitions, one per entry; `None` when the value's
/// type has no method of that name.
pub fn method(v: &Value, name: &str) -> Option<(&'static str, Vec<String>)> {
    let (list, word) = methods_of(v);
    let (found, definition) = list.iter().find(|(n, _)| n.eq_ignore_ascii_case(name))?;
    Some((found, split_overloads(&specialise(definition, &word))))
}

/// Splits `string ToUpper(), string ToUpper(cultureinfo culture)` at the
/// commas between overloads (not those inside one's parameter list).
fn split_overloads(definitions: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    for c in definitions.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            ',' if depth == 0 => {
                out.push(current.trim().to_string());
                current.clear();
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_method_is_found_with_its_overloads() {
        let (name, overloads) = method(&Value::str("abc"), "toupper").expect("ToUpper");
        assert_eq!(name, "ToUpper");
        assert_eq!(overloads, ["string ToUpper()", "string ToUpper(cultureinfo culture)"]);
        assert!(method(&Value::str("abc"), "Nope").is_none());
    }
}
