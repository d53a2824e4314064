//! Tests of the SQLite engine through its public surface, reading results back through the
//! columnar layout.

use super::*;
use crate::columnar::{tag, Encoded};
use crate::error::ErrorKind;
use crate::value::Value;

fn memory() -> Database {
    Database::open(&OpenOptions {
        filename: ":memory:".into(),
        busy_timeout_ms: 5000,
    })
    .unwrap()
}

fn rows(db: &mut Database, sql: &str, params: &[Value]) -> Encoded {
    let (id, _) = db.prepare(sql).unwrap();
    assert_eq!(
        db.query(id, false, bind_values(params)).unwrap(),
        Outcome::Rows
    );
    db.result().encode()
}

fn changes(db: &mut Database, sql: &str, params: &[Value]) -> u64 {
    let (id, _) = db.prepare(sql).unwrap();
    db.run(id, bind_values(params)).unwrap()
}

fn cell(e: &Encoded, c: usize, r: usize) -> (u8, u64) {
    let stride = Encoded::stride(e.rows);
    let tags = (e.rows + 7) & !7;
    let at = c * stride + tags + r * 8;
    (
        e.buffer[c * stride + r],
        u64::from_le_bytes(e.buffer[at..at + 8].try_into().unwrap()),
    )
}

fn text(e: &Encoded, c: usize, r: usize) -> String {
    let (t, slot) = cell(e, c, r);
    assert_eq!(t, tag::TEXT);
    let (start, len) = ((slot & 0xffff_ffff) as usize, (slot >> 32) as usize);
    String::from_utf16(&e.text.encode_utf16().collect::<Vec<_>>()[start..start + len]).unwrap()
}

#[test]
fn encodes_every_storage_class() {
    let mut db = memory();
    let (_, columns) = db.prepare("SELECT 1 AS i, 2 AS big").unwrap();
    assert_eq!(columns, ["i", "big"]);
    let e = rows(
        &mut db,
        "SELECT 1 AS i, 9007199254740993 AS big, 1.5 AS r, 'héllo' AS t, x'0102' AS b, NULL AS n",
        &[],
    );
    assert_eq!(e.rows, 1);
    assert_eq!(cell(&e, 0, 0), (tag::NUMBER, 1f64.to_bits()));
    assert_eq!(cell(&e, 1, 0), (tag::BIGINT, 9007199254740993u64));
    assert_eq!(cell(&e, 2, 0), (tag::NUMBER, 1.5f64.to_bits()));
    assert_eq!(text(&e, 3, 0), "héllo");
    assert_eq!(cell(&e, 4, 0).0, tag::BLOB);
    assert_eq!(&e.buffer[6 * Encoded::stride(1)..], &[1, 2]);
    assert_eq!(cell(&e, 5, 0).0, tag::NULL);
}

#[test]
fn bigints_tag_every_integer_but_not_reals() {
    let mut db = memory();
    let (id, _) = db.prepare("SELECT 1, 1.0").unwrap();
    assert_eq!(db.query(id, true, bind_values(&[])).unwrap(), Outcome::Rows);
    let e = db.result().encode();
    assert_eq!(cell(&e, 0, 0), (tag::BIGINT, 1));
    assert_eq!(cell(&e, 1, 0), (tag::NUMBER, 1f64.to_bits()));
}

#[test]
fn binds_values_as_better_sqlite3_does() {
    let mut db = memory();
    let e = rows(
        &mut db,
        "SELECT typeof(?), typeof(?), typeof(?), typeof(?), typeof(?), typeof(?)",
        &[
            Value::Number(5.0),
            Value::BigInt(5),
            Value::Bool(true),
            Value::Text("x".into()),
            Value::Bytes(vec![1]),
            Value::Null,
        ],
    );
    let kinds: Vec<String> = (0..6).map(|c| text(&e, c, 0)).collect();
    assert_eq!(kinds, ["real", "integer", "real", "text", "blob", "null"]);
}

#[test]
fn parameter_count_and_arrays_are_checked() {
    let mut db = memory();
    let (id, _) = db.prepare("SELECT ?, ?").unwrap();
    let e = db
        .query(id, false, bind_values(&[Value::Null]))
        .unwrap_err();
    assert_eq!(
        (e.kind, e.message.as_str()),
        (ErrorKind::Bind, "Too few parameter values were provided")
    );
    let e = db
        .query(
            id,
            false,
            bind_values(&[Value::Null, Value::Null, Value::Null]),
        )
        .unwrap_err();
    assert_eq!(e.message, "Too many parameter values were provided");
    let e = db
        .query(id, false, bind_values(&[Value::Null, Value::Array(vec![])]))
        .unwrap_err();
    assert!(
        e.message.starts_with("parameter 2 is an array"),
        "{}",
        e.message
    );
}

#[test]
fn one_statement_per_prepare() {
    let mut db = memory();
    assert!(db.prepare("SELECT 1; -- done\n /* really */ ;").is_ok());
    let e = db.prepare("SELECT 1; SELECT 2").unwrap_err();
    assert_eq!(
        e.message,
        "The supplied SQL string contains more than one statement"
    );
    let e = db.prepare("  -- nothing").unwrap_err();
    assert_eq!(e.message, "The supplied SQL string contains no statements");
}

#[test]
fn run_counts_changes_only_when_rows_changed() {
    let mut db = memory();
    assert_eq!(
        changes(
            &mut db,
            "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT)",
            &[]
        ),
        0
    );
    assert_eq!(
        changes(&mut db, "INSERT INTO t (a) VALUES ('x'), ('y')", &[]),
        2
    );
    // sqlite3_changes() still says 2 here; better-sqlite3 (and we) report 0.
    assert_eq!(changes(&mut db, "CREATE INDEX t_a ON t (a)", &[]), 0);
    assert_eq!(
        changes(
            &mut db,
            "UPDATE t SET a = 'z' WHERE id = ?",
            &[Value::Number(1.0)]
        ),
        1
    );
    let (id, cols) = db.prepare("DELETE FROM t").unwrap();
    assert!(cols.is_empty());
    assert!(matches!(
        db.query(id, false, bind_values(&[])).unwrap(),
        Outcome::Changes(2)
    ));
}

#[test]
fn returning_statements_have_rows() {
    let mut db = memory();
    changes(
        &mut db,
        "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT)",
        &[],
    );
    let e = rows(
        &mut db,
        "INSERT INTO t (a) VALUES (?), (?) RETURNING id",
        &[Value::Text("a".into()), Value::Text("b".into())],
    );
    assert_eq!(e.rows, 2);
    assert_eq!(cell(&e, 0, 1), (tag::NUMBER, 2f64.to_bits()));
}

#[test]
fn statements_are_reused_and_finalized() {
    let mut db = memory();
    let (a, _) = db.prepare("SELECT ?").unwrap();
    for i in 0..3 {
        assert_eq!(
            db.query(a, false, bind_values(&[Value::BigInt(i)]))
                .unwrap(),
            Outcome::Rows
        );
        let e = db.result().encode();
        assert_eq!(cell(&e, 0, 0), (tag::NUMBER, (i as f64).to_bits()));
    }
    db.finalize(a);
    assert_eq!(
        db.query(a, false, bind_values(&[])).unwrap_err().kind,
        ErrorKind::Internal
    );
    let (b, _) = db.prepare("SELECT 2").unwrap();
    assert_eq!(a, b, "freed ids are reused");
}

#[test]
fn foreign_keys_are_enforced_and_quoted_strings_refused() {
    let mut db = memory();
    db.exec(
        "CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (p INTEGER REFERENCES p (id))",
    )
    .unwrap();
    let (id, _) = db.prepare("INSERT INTO c VALUES (1)").unwrap();
    let e = db.run(id, bind_values(&[])).unwrap_err();
    assert_eq!(e.code.as_deref(), Some("SQLITE_CONSTRAINT_FOREIGNKEY"));
    // A column, not the string 'no_such_column' (DQS off). SQLite 3.53 adds a hint to the
    // message ("… - should this be a string literal in single-quotes?"), 3.40 does not.
    let e = db.prepare("SELECT \"no_such_column\" FROM p").unwrap_err();
    assert_eq!(e.code.as_deref(), Some("SQLITE_ERROR"));
    assert!(
        e.message.starts_with("no such column: ") && e.message.contains("no_such_column"),
        "{}",
        e.message
    );
}

#[test]
fn transactions_are_visible() {
    let mut db = memory();
    assert!(!db.in_transaction());
    db.exec("BEGIN IMMEDIATE").unwrap();
    assert!(db.in_transaction());
    db.exec("ROLLBACK").unwrap();
    assert!(!db.in_transaction());
}

#[test]
fn file_databases_use_wal_and_the_busy_timeout() {
    let dir = std::env::temp_dir().join(format!("yara-native-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("wal.db").to_string_lossy().into_owned();
    let mut a = Database::open(&OpenOptions {
        filename: path.clone(),
        busy_timeout_ms: 100,
    })
    .unwrap();
    let e = rows(&mut a, "PRAGMA journal_mode", &[]);
    assert_eq!(text(&e, 0, 0), "wal");
    a.exec("CREATE TABLE t (x); BEGIN IMMEDIATE; INSERT INTO t VALUES (1)")
        .unwrap();
    let mut b = Database::open(&OpenOptions {
        filename: path,
        busy_timeout_ms: 100,
    })
    .unwrap();
    let started = std::time::Instant::now();
    let e = b.exec("INSERT INTO t VALUES (2)").unwrap_err();
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(90),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(e.code.as_deref(), Some("SQLITE_BUSY"));
    a.exec("COMMIT").unwrap();
    b.exec("INSERT INTO t VALUES (2)").unwrap();
    a.close().unwrap();
    b.close().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn parameters_bound_to_the_same_number_again_keep_their_binding() {
    let mut db = memory();
    db.exec("CREATE TABLE n (x INTEGER)").unwrap();
    db.exec("INSERT INTO n VALUES (1), (2), (3)").unwrap();
    let (id, _) = db
        .prepare("SELECT ?, ?, count(*) FROM (SELECT x FROM n LIMIT ?)")
        .unwrap();
    // Each call: the three cells (tag, slot) of the one row.
    let run = |db: &mut Database, params: &[Value]| {
        assert_eq!(
            db.query(id, false, bind_values(params)).unwrap(),
            Outcome::Rows
        );
        let e = db.result().encode();
        [cell(&e, 0, 0), cell(&e, 1, 0), cell(&e, 2, 0)]
    };
    let number = |f: f64| (tag::NUMBER, f.to_bits());
    let same = [
        Value::Number(1.0),
        Value::Text("a".into()),
        Value::Number(2.0),
    ];
    assert_eq!(run(&mut db, &same)[2], number(2.0));
    let again = run(&mut db, &same);
    assert_eq!(
        (again[0], again[1].0, again[2]),
        (number(1.0), tag::TEXT, number(2.0))
    );
    // NULL after a number, a number after text, a changed LIMIT: each is bound (-0 reads as
    // 0, see `unsigned_zero`).
    let changed = [Value::Null, Value::Number(-0.0), Value::Number(3.0)];
    assert_eq!(
        run(&mut db, &changed),
        [(tag::NULL, 0), number(0.0), number(3.0)]
    );
    let back = [Value::BigInt(1), Value::Number(0.0), Value::Number(1.0)];
    assert_eq!(run(&mut db, &back), [number(1.0), number(0.0), number(1.0)]);
    // A failed bind (too many values) leaves the statement usable with the right bindings.
    let too_many = [Value::Null, Value::Null, Value::Null, Value::Null];
    assert_eq!(
        db.query(id, false, bind_values(&too_many))
            .unwrap_err()
            .kind,
        ErrorKind::Bind
    );
    let after = run(&mut db, &same);
    assert_eq!((after[0], after[2]), (number(1.0), number(2.0)));
}

#[test]
fn connections_refuse_quoted_strings_and_keep_their_plans() {
    let db = memory();
    for (op, on) in super::database::CONNECTION_CONFIG {
        assert_eq!(db.config(op), on, "sqlite3_db_config option {op}");
    }
}

#[test]
fn a_cached_statement_is_not_planned_again_for_new_values() {
    let mut db = memory();
    db.exec("CREATE TABLE w (name TEXT); CREATE INDEX w_name ON w (name)")
        .unwrap();
    db.exec("INSERT INTO w VALUES ('ada'), ('alan'), ('grace')")
        .unwrap();
    // The planner reads a bound LIKE pattern (and, with STAT4 samples, the value of an indexed
    // equality) unless the plan is kept whatever is bound.
    let (id, _) = db
        .prepare("SELECT count(*) FROM w WHERE name LIKE ? AND name <> ?")
        .unwrap();
    for (pattern, not) in [("a%", "x"), ("g%", "y"), ("%a%", "ada"), ("z%", "alan")] {
        let params = [Value::Text(pattern.into()), Value::Text(not.into())];
        assert_eq!(
            db.query(id, false, bind_values(&params)).unwrap(),
            Outcome::Rows
        );
    }
    let e = db.result().encode();
    assert_eq!(cell(&e, 0, 0), (tag::NUMBER, 0f64.to_bits()));
    assert_eq!(db.reprepares(id).unwrap(), 0);
}

#[test]
fn negative_zero_reads_as_zero() {
    let mut db = memory();
    // A column without affinity keeps -0.0 as stored (a REAL column would store 0).
    db.exec("CREATE TABLE z (v)").unwrap();
    let (id, _) = db.prepare("INSERT INTO z VALUES (?)").unwrap();
    db.run(id, bind_values(&[Value::Number(-0.0)])).unwrap();
    let e = rows(&mut db, "SELECT v, -0.0, -v, v * 1.5 FROM z", &[]);
    for c in 0..4 {
        assert_eq!(cell(&e, c, 0), (tag::NUMBER, 0f64.to_bits()), "column {c}");
    }
    let e = rows(&mut db, "SELECT -1.5", &[]);
    assert_eq!(cell(&e, 0, 0), (tag::NUMBER, (-1.5f64).to_bits()));
}

#[test]
fn a_path_with_a_nul_is_refused() {
    for filename in ["bad\0name.db", "/tmp/x\0/y.db", "\0"] {
        let err = match Database::open(&OpenOptions {
            filename: filename.into(),
            busy_timeout_ms: 100,
        }) {
            Err(e) => e,
            Ok(_) => panic!("{filename:?} was opened"),
        };
        assert!(
            err.message.to_lowercase().contains("nul"),
            "{}",
            err.message
        );
    }
    assert!(!std::path::Path::new("bad").exists());
}

#[test]
fn the_checkpointer_copies_the_log_into_the_database() {
    let dir = std::env::temp_dir().join(format!("yara-native-ckpt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("ckpt.db");
    let mut db = Database::open(&OpenOptions {
        filename: path.to_string_lossy().into_owned(),
        busy_timeout_ms: 1000,
    })
    .unwrap();
    db.exec("CREATE TABLE t (x TEXT)").unwrap();
    let (insert, _) = db.prepare("INSERT INTO t VALUES (?)").unwrap();
    let row = Value::Text("x".repeat(3000));
    // Two pages a commit (a row's own leaf, and the root page pointing to it): past
    // CHECKPOINT_PAGES, below the 2 000 where the writer copies the log itself.
    for _ in 0..600 {
        db.run(insert, bind_values(std::slice::from_ref(&row)))
            .unwrap();
    }
    // Only a checkpoint writes the rows' pages into the database file; the writer is idle now,
    // so only the checkpointer's thread can.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let mut pages = 0;
    while std::time::Instant::now() < deadline {
        pages = std::fs::metadata(&path).unwrap().len() / 4096;
        if pages > 500 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(pages > 500, "the database file holds {pages} pages");
    db.close().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}
