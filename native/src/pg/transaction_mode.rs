//! How a transaction opens: its isolation level and access mode, sent as one `BEGIN` statement
//! (`BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY DEFERRABLE`) with the transaction's first
//! statement. The text is built here from a fixed vocabulary, never taken from the caller.

use crate::error::{DbError, DbResult, ErrorKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Isolation {
    ReadCommitted,
    RepeatableRead,
    Serializable,
}

impl Isolation {
    const ALL: [(&'static str, Isolation); 3] = [
        ("read committed", Isolation::ReadCommitted),
        ("repeatable read", Isolation::RepeatableRead),
        ("serializable", Isolation::Serializable),
    ];
}

/// `None` fields leave the server's defaults (`default_transaction_isolation`, …).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TransactionMode {
    pub isolation: Option<Isolation>,
    pub read_only: Option<bool>,
    pub deferrable: bool,
}

impl TransactionMode {
    /// Reads the names runtime/transaction-mode.ts checked ("serializable", …).
    pub fn parse(
        isolation: Option<&str>,
        read_only: Option<bool>,
        deferrable: bool,
    ) -> DbResult<Self> {
        let isolation = match isolation {
            None => None,
            Some(name) => Some(
                Isolation::ALL
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, level)| *level)
                    .ok_or_else(|| {
                        DbError::new(
                            ErrorKind::Params,
                            format!(
                                "unknown isolation level {name:?}; use serializable, repeatable read or read committed"
                            ),
                        )
                    })?,
            ),
        };
        Ok(TransactionMode {
            isolation,
            read_only,
            deferrable,
        })
    }

    pub fn begin_sql(&self) -> String {
        let mut sql = String::from("BEGIN");
        match self.isolation {
            None => {}
            Some(Isolation::ReadCommitted) => sql.push_str(" ISOLATION LEVEL READ COMMITTED"),
            Some(Isolation::RepeatableRead) => sql.push_str(" ISOLATION LEVEL REPEATABLE READ"),
            Some(Isolation::Serializable) => sql.push_str(" ISOLATION LEVEL SERIALIZABLE"),
        }
        match self.read_only {
            None => {}
            Some(true) => sql.push_str(" READ ONLY"),
            Some(false) => sql.push_str(" READ WRITE"),
        }
        if self.deferrable {
            sql.push_str(" DEFERRABLE");
        }
        sql
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_begin_statement_per_mode() {
        let plain = TransactionMode::default();
        assert_eq!(plain.begin_sql(), "BEGIN");
        let mode = TransactionMode::parse(Some("serializable"), Some(true), true).unwrap();
        assert_eq!(
            mode.begin_sql(),
            "BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY DEFERRABLE"
        );
        let mode = TransactionMode::parse(Some("repeatable read"), Some(false), false).unwrap();
        assert_eq!(
            mode.begin_sql(),
            "BEGIN ISOLATION LEVEL REPEATABLE READ READ WRITE"
        );
        let e = TransactionMode::parse(Some("snapshot; DROP TABLE x"), None, false).unwrap_err();
        assert!(e.message.starts_with("unknown isolation level"));
    }
}
