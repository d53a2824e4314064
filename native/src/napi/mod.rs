//! The thin Node-API layer (filled by the native-engine work).
