//! A structured error crossing into JavaScript as one object: the runtime maps `kind` and
//! `code` (SQLSTATE, or SQLite's extended result code name) onto its error classes.
//! Bound values are never part of a message.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Connecting failed, or the connection broke while a statement was in flight.
    Connection,
    /// The server rejected the statement (constraint, syntax, type, …): see `code`.
    Database,
    /// No connection became free within the pool's acquire timeout.
    PoolTimeout,
    /// The statement was cancelled (caller gave up, or `statement_timeout`).
    Cancelled,
    /// A parameter cannot be bound to the statement's parameter type.
    Bind,
    /// The number of parameters given does not match the statement's placeholders (checked
    /// before the statement runs; a `DatabaseError`, never a connection error, in JavaScript).
    Params,
    /// Bad configuration (URL, TLS files, pool sizes).
    Config,
    /// The pool or database was closed.
    Closed,
    /// A bug in the engine, including a caught panic.
    Internal,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Connection => "connection",
            ErrorKind::Database => "database",
            ErrorKind::PoolTimeout => "pool_timeout",
            ErrorKind::Cancelled => "cancelled",
            ErrorKind::Bind => "bind",
            ErrorKind::Params => "params",
            ErrorKind::Config => "config",
            ErrorKind::Closed => "closed",
            ErrorKind::Internal => "internal",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct DbError {
    pub kind: ErrorKind,
    pub message: String,
    /// SQLSTATE on Postgres ("23505"); SQLite's extended code name ("SQLITE_CONSTRAINT_UNIQUE").
    pub code: Option<String>,
    pub constraint: Option<String>,
    pub table: Option<String>,
    pub column: Option<String>,
    pub detail: Option<String>,
}

impl DbError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        DbError {
            kind,
            message: message.into(),
            code: None,
            constraint: None,
            table: None,
            column: None,
            detail: None,
        }
    }

    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(code) => write!(f, "{} ({})", self.message, code),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for DbError {}

pub type DbResult<T> = Result<T, DbError>;
