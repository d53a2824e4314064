//! `PgPool::copy_insert` against the Postgres at 127.0.0.1:5432 (user root, db test): the rows it
//! answers with are the rows a SELECT reads back, values it cannot store exactly fall back before
//! anything is sent, and a failing row writes nothing.

use yara_native::columnar::Encoded;
use yara_native::pg::{
    parse_settings, CopyInsert, CopyOutcome, Outcome, PgPool, PoolOptions, StatementKind,
};
use yara_native::value::Value;

const URL: &str = "postgres://root@127.0.0.1:5432/test";

/// One connection, so the temporary table is visible to every call.
async fn pool() -> PgPool {
    let options = PoolOptions {
        max: Some(1),
        ..Default::default()
    };
    PgPool::open(parse_settings(URL, options).expect("valid settings"), None)
        .await
        .expect("Postgres at 127.0.0.1:5432 (user root, db test) must be running")
}

async fn run(pool: &PgPool, sql: &str) -> Outcome {
    pool.run(StatementKind::Query { bigints: false }, sql, &[], None)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn select(pool: &PgPool, sql: &str) -> Encoded {
    match run(pool, sql).await {
        Outcome::Rows(e) => e,
        other => panic!("{sql}: {other:?}"),
    }
}

const COLUMNS: [&str; 13] = [
    "amount", "at", "day", "clock", "uid", "doc", "raw_doc", "bytes", "code", "big", "ratio",
    "flag", "small",
];

const TABLE_SQL: &str = "CREATE TEMP TABLE copied (
    id serial PRIMARY KEY, amount numeric(12, 3), at timestamptz, day date, clock time,
    uid uuid, doc jsonb, raw_doc json, bytes bytea, code varchar(5) UNIQUE, big int8,
    ratio float8, flag bool, small int2)";

fn text(s: &str) -> Value {
    Value::Text(s.into())
}

fn row(i: usize) -> Vec<Value> {
    vec![
        text(if i.is_multiple_of(2) {
            "-12.5"
        } else {
            "123456789.125"
        }),
        text("2024-02-29T23:59:58.123Z"),
        text(if i.is_multiple_of(2) {
            "0001-01-01"
        } else {
            "2024-02-29"
        }),
        text("23:59:58.123456"),
        text("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"),
        text(r#"{"zeta":[1,{"b":2,"a":null}],"a":"x","é":true}"#),
        text(r#"{"zeta": 1, "a": 2}"#),
        Value::Bytes(vec![0, 255, i as u8]),
        if i == 3 {
            Value::Null
        } else {
            text(&format!("c{i}"))
        },
        Value::BigInt(9_007_199_254_740_993 + i as i64),
        Value::Number(0.1 + 0.2),
        Value::Bool(i % 2 == 1),
        Value::Number(-32768.0),
    ]
}

fn request(rows: &[Vec<Value>]) -> CopyInsert {
    let mut returning = vec!["id".to_string()];
    returning.extend(COLUMNS.iter().map(|c| c.to_string()));
    CopyInsert {
        table: "copied".into(),
        key: "id".into(),
        columns: COLUMNS.iter().map(|c| c.to_string()).collect(),
        returning,
        values: rows.concat(),
        bigints: false,
    }
}

#[tokio::test]
async fn answers_with_the_rows_a_select_reads_back() {
    let pool = pool().await;
    run(&pool, TABLE_SQL).await;
    let rows: Vec<Vec<Value>> = (0..5).map(row).collect();
    let copied = match pool.copy_insert(&request(&rows)).await.unwrap() {
        CopyOutcome::Rows(e) => e,
        other => panic!("expected rows, got {other:?}"),
    };
    let read = select(
        &pool,
        &format!("SELECT id, {} FROM copied ORDER BY id", COLUMNS.join(", ")),
    )
    .await;
    assert_eq!(copied.rows, 5);
    assert_eq!(copied.buffer, read.buffer);
    assert_eq!(copied.text, read.text, "copied then read");
    assert_eq!(copied.columns[0], "id");
}

#[tokio::test]
async fn a_value_it_cannot_store_exactly_falls_back_before_sending() {
    let pool = pool().await;
    run(&pool, TABLE_SQL).await;
    let mut rows: Vec<Vec<Value>> = (0..3).map(row).collect();
    rows[2][0] = text("1.2345"); // numeric(12, 3) would round it
    match pool.copy_insert(&request(&rows)).await.unwrap() {
        CopyOutcome::Fallback(why) => assert!(why.contains("decimal places"), "{why}"),
        other => panic!("expected a fallback, got {other:?}"),
    }
    let count = select(
        &pool,
        "SELECT count(*)::int4, nextval('copied_id_seq')::int4 FROM copied",
    )
    .await;
    // Nothing written, and no key taken either: the first nextval is 1.
    assert_eq!(
        count.buffer,
        select(&pool, "SELECT 0::int4, 1::int4").await.buffer
    );
}

#[tokio::test]
async fn a_failing_row_fails_the_whole_copy() {
    let pool = pool().await;
    run(&pool, TABLE_SQL).await;
    let mut rows: Vec<Vec<Value>> = (0..4).map(row).collect();
    rows[3][8] = text("c1"); // the unique code of row 1
    let err = pool.copy_insert(&request(&rows)).await.unwrap_err();
    assert_eq!(err.code.as_deref(), Some("23505"));
    assert_eq!(err.constraint.as_deref(), Some("copied_code_key"));
    let count = select(&pool, "SELECT count(*)::int4 FROM copied").await;
    assert_eq!(count.buffer, select(&pool, "SELECT 0::int4").await.buffer);
    // The connection is usable again.
    let fine: Vec<Vec<Value>> = (0..2).map(row).collect();
    assert!(matches!(
        pool.copy_insert(&request(&fine)).await.unwrap(),
        CopyOutcome::Rows(_)
    ));
}

#[tokio::test]
async fn a_table_whose_triggers_may_change_rows_keeps_insert() {
    let pool = pool().await;
    run(&pool, TABLE_SQL).await;
    run(
        &pool,
        "CREATE FUNCTION pg_temp.upper_code() RETURNS trigger LANGUAGE plpgsql AS \
         $$ BEGIN NEW.code := upper(NEW.code); RETURN NEW; END $$",
    )
    .await;
    run(
        &pool,
        "CREATE TRIGGER upper_code BEFORE INSERT ON copied FOR EACH ROW \
         EXECUTE FUNCTION pg_temp.upper_code()",
    )
    .await;
    let rows: Vec<Vec<Value>> = (0..2).map(row).collect();
    match pool.copy_insert(&request(&rows)).await.unwrap() {
        CopyOutcome::Fallback(why) => assert!(why.contains("triggers"), "{why}"),
        other => panic!("expected a fallback, got {other:?}"),
    }
}

#[tokio::test]
async fn a_column_type_changed_between_calls_is_encoded_for_its_new_type() {
    let pool = pool().await;
    run(&pool, TABLE_SQL).await;
    let rows: Vec<Vec<Value>> = (0..2).map(row).collect();
    assert!(matches!(
        pool.copy_insert(&request(&rows)).await.unwrap(),
        CopyOutcome::Rows(_)
    ));
    run(&pool, "ALTER TABLE copied ALTER COLUMN small TYPE int8").await;
    let next: Vec<Vec<Value>> = (5..7).map(row).collect();
    assert!(matches!(
        pool.copy_insert(&request(&next)).await.unwrap(),
        CopyOutcome::Rows(_)
    ));
    let count = select(&pool, "SELECT count(*)::int4 FROM copied").await;
    assert_eq!(count.buffer, select(&pool, "SELECT 4::int4").await.buffer);
}
