//! The SQLite engine (filled by the native-engine work).
