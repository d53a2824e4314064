//! Each connection's prepared statements, by SQL text, with the column decoders chosen for
//! them. Bounded: past `CAPACITY` the least recently used statement is dropped (tokio-postgres
//! closes it on the server when its last handle goes). Statements other than SELECT / INSERT /
//! UPDATE / DELETE / WITH without parameters (DDL, SET, …) are not kept: they run once.

use std::collections::HashMap;
use std::sync::Arc;

use tokio_postgres::Statement;

use super::decode::ColumnDecoder;

const CAPACITY: usize = 256;

/// A prepared statement and how to read its columns.
pub struct Prepared {
    pub statement: Statement,
    pub columns: Vec<String>,
    pub decoders: Vec<ColumnDecoder>,
}

impl Prepared {
    pub fn new(statement: Statement) -> Self {
        let columns = statement
            .columns()
            .iter()
            .map(|c| c.name().to_string())
            .collect();
        let decoders = statement
            .columns()
            .iter()
            .map(|c| ColumnDecoder::for_type(c.type_()))
            .collect();
        Prepared {
            statement,
            columns,
            decoders,
        }
    }
}

#[derive(Default)]
pub struct StatementCache {
    entries: HashMap<String, (Arc<Prepared>, u64)>,
    clock: u64,
}

impl StatementCache {
    pub fn get(&mut self, sql: &str) -> Option<Arc<Prepared>> {
        self.clock += 1;
        let clock = self.clock;
        self.entries.get_mut(sql).map(|(prepared, used)| {
            *used = clock;
            prepared.clone()
        })
    }

    /// Keeps `prepared` if its SQL is worth keeping.
    pub fn insert(&mut self, sql: &str, prepared: Arc<Prepared>) {
        if !worth_keeping(sql, &prepared) {
            return;
        }
        if self.entries.len() >= CAPACITY && !self.entries.contains_key(sql) {
            if let Some(oldest) = self
                .entries
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(sql, _)| sql.clone())
            {
                self.entries.remove(&oldest);
            }
        }
        self.clock += 1;
        self.entries.insert(sql.to_string(), (prepared, self.clock));
    }

    pub fn remove(&mut self, sql: &str) {
        self.entries.remove(sql);
    }

    /// Empties the cache into the statements it held.
    pub fn into_statements(self) -> impl Iterator<Item = Arc<Prepared>> {
        self.entries.into_values().map(|(prepared, _)| prepared)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

fn worth_keeping(sql: &str, prepared: &Prepared) -> bool {
    if !prepared.statement.params().is_empty() {
        return true;
    }
    let first = sql
        .trim_start()
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("");
    ["select", "insert", "update", "delete", "with", "copy"]
        .iter()
        .any(|k| first.eq_ignore_ascii_case(k))
}
