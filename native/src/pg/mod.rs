//! The Postgres engine (filled by the native-engine work).
