//! A bound parameter, as the runtime hands it over (`Param` in runtime/driver/driver.ts).
//!
//! The runtime has already encoded every value for the dialect (decimals as strings, instants
//! as the dialect's text or number form, booleans as 0/1 on SQLite), so this is the JavaScript
//! shape only. The Postgres binder converts each to the statement's parameter type; SQLite binds
//! it as the matching storage class.

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// A JavaScript number.
    Number(f64),
    /// A JavaScript bigint that fits in 64 bits (the napi layer rejects wider ones).
    BigInt(i64),
    Text(String),
    Bytes(Vec<u8>),
    /// Postgres only: bound as one array parameter (`= ANY($1)`).
    Array(Vec<Value>),
}
