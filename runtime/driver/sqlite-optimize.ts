/**
 * Planner statistics for long-lived connections, as SQLite recommends
 * (https://sqlite.org/lang_analyze.html#autoanalyze): on open, `PRAGMA optimize` with mask
 * 0x10002 analyzes every table whose statistics are missing or stale (0x10000: all tables, not
 * only those this connection used; with SQLite's own analysis limit, so it stays quick); on
 * close, plain `PRAGMA optimize` analyzes the tables this connection's queries would have planned
 * better with statistics. A database a user fills gets them without an ANALYZE by hand.
 */
export const OPTIMIZE_ON_OPEN = "PRAGMA optimize = 0x10002";
export const OPTIMIZE_ON_CLOSE = "PRAGMA optimize";

/**
 * Runs `optimize` (OPTIMIZE_ON_CLOSE on the connection) before it closes. A failure there (the
 * file became read-only, another process holds a lock past the busy timeout) costs only the
 * statistics, never the close: it is not reported, and the connection closes as asked.
 */
export function optimizeBeforeClose(optimize: () => void): void {
  try {
    optimize();
  } catch {
    /* statistics only: the close goes on */
  }
}
