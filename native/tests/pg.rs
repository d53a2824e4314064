//! The Postgres engine against a real server: 127.0.0.1:5432, user root, database test (as the
//! JavaScript test suite). These tests fail, never skip, when the server is down.

use std::sync::Arc;
use std::time::{Duration, Instant};

use yara_native::columnar::{tag, Encoded};
use yara_native::error::ErrorKind;
use yara_native::pg::{parse_settings, Control, Outcome, PgPool, PoolOptions, StatementKind};
use yara_native::value::Value;

const URL: &str = "postgres://root@127.0.0.1:5432/test";
const QUERY: StatementKind = StatementKind::Query { bigints: false };

async fn pool(url: &str, options: PoolOptions) -> PgPool {
    let settings = parse_settings(url, options).expect("valid settings");
    PgPool::open(settings, None)
        .await
        .expect("Postgres at 127.0.0.1:5432 (user root, db test) must be running")
}

/// A pool of one connection, so statements share it in order.
async fn one_connection() -> PgPool {
    let options = PoolOptions {
        max: Some(1),
        ..PoolOptions::default()
    };
    pool(URL, options).await
}

async fn rows(pool: &PgPool, sql: &str, params: &[Value]) -> Encoded {
    match pool.run(QUERY, sql, params, None).await {
        Ok(Outcome::Rows(e)) => e,
        other => panic!("{sql}: {other:?}"),
    }
}

fn tag_at(e: &Encoded, c: usize, r: usize) -> u8 {
    e.buffer[c * Encoded::stride(e.rows) + r]
}

fn slot_at(e: &Encoded, c: usize, r: usize) -> u64 {
    let at = c * Encoded::stride(e.rows) + ((e.rows + 7) & !7) + r * 8;
    u64::from_le_bytes(e.buffer[at..at + 8].try_into().unwrap())
}

fn f64_at(e: &Encoded, c: usize, r: usize) -> f64 {
    f64::from_bits(slot_at(e, c, r))
}

/// TEXT/JSON cells: the UTF-16 slice of `e.text` (ASCII in these tests).
fn text_at(e: &Encoded, c: usize, r: usize) -> String {
    let slot = slot_at(e, c, r);
    let (start, len) = ((slot & 0xffff_ffff) as usize, (slot >> 32) as usize);
    let units: Vec<u16> = e.text.encode_utf16().collect();
    String::from_utf16(&units[start..start + len]).unwrap()
}

#[tokio::test]
async fn decodes_every_api_type_from_the_binary_format() {
    let pool = pool(URL, PoolOptions::default()).await;
    let e = rows(
        &pool,
        "SELECT 1::int2, 2147483647::int4, 9007199254740993::int8, 0.1::float4, 1.5::float8, true, \
         'héllo'::text, 12.50::numeric(10,2), '2024-02-29 12:34:56.789123+00'::timestamptz, \
         '2024-02-29'::date, '12:34:56.5'::time, 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid, \
         '{\"a\": [1, 2]}'::jsonb, '\\x0102ff'::bytea, ARRAY[1, NULL, 3]::int4[], NULL::int4, \
         'NaN'::numeric, '-infinity'::date, ARRAY['a b', '']",
        &[],
    )
    .await;
    assert_eq!(e.rows, 1);
    assert_eq!((tag_at(&e, 0, 0), f64_at(&e, 0, 0)), (tag::NUMBER, 1.0));
    assert_eq!(f64_at(&e, 1, 0), 2147483647.0);
    assert_eq!(
        (tag_at(&e, 2, 0), slot_at(&e, 2, 0) as i64),
        (tag::BIGINT, 9007199254740993)
    );
    assert_eq!(f64_at(&e, 3, 0), 0.1);
    assert_eq!(f64_at(&e, 4, 0), 1.5);
    assert_eq!((tag_at(&e, 5, 0), f64_at(&e, 5, 0)), (tag::BOOL, 1.0));
    assert_eq!(text_at(&e, 6, 0), "héllo");
    assert_eq!(text_at(&e, 7, 0), "12.50");
    assert_eq!(
        (tag_at(&e, 8, 0), f64_at(&e, 8, 0)),
        (tag::TIMESTAMP, 1709210096789.0)
    );
    assert_eq!(text_at(&e, 9, 0), "2024-02-29");
    assert_eq!(text_at(&e, 10, 0), "12:34:56.5");
    assert_eq!(text_at(&e, 11, 0), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    assert_eq!(
        (tag_at(&e, 12, 0), text_at(&e, 12, 0)),
        (tag::JSON, "{\"a\": [1, 2]}".to_string())
    );
    assert_eq!(tag_at(&e, 13, 0), tag::BLOB);
    let blob = slot_at(&e, 13, 0);
    let start = 19 * Encoded::stride(1) + (blob & 0xffff_ffff) as usize;
    assert_eq!(
        &e.buffer[start..start + (blob >> 32) as usize],
        &[1, 2, 255]
    );
    assert_eq!(text_at(&e, 14, 0), "{1,NULL,3}");
    assert_eq!(tag_at(&e, 15, 0), tag::NULL);
    assert_eq!(text_at(&e, 16, 0), "NaN");
    assert_eq!(text_at(&e, 17, 0), "-infinity");
    assert_eq!(text_at(&e, 18, 0), "{\"a b\",\"\"}");
}

#[tokio::test]
async fn infinite_timestamps_stay_text_and_unreadable_types_are_clear_errors() {
    let pool = pool(URL, PoolOptions::default()).await;
    let e = rows(
        &pool,
        "SELECT 'infinity'::timestamptz, '-infinity'::timestamp, '0044-03-15 BC'::timestamptz",
        &[],
    )
    .await;
    assert_eq!(
        (tag_at(&e, 0, 0), text_at(&e, 0, 0)),
        (tag::TEXT, "infinity".to_string())
    );
    assert_eq!(text_at(&e, 1, 0), "-infinity");
    assert!(text_at(&e, 2, 0).ends_with(" BC"));
    let err = pool
        .run(QUERY, "SELECT interval '1 day' AS i", &[], None)
        .await
        .unwrap_err();
    assert!(err.message.contains("column \"i\""), "{}", err.message);
    assert!(
        err.message.contains("interval") && err.message.contains("::text"),
        "{}",
        err.message
    );
    // The connection is still usable afterwards.
    assert_eq!(f64_at(&rows(&pool, "SELECT 1", &[]).await, 0, 0), 1.0);
}

#[tokio::test]
async fn binds_values_by_the_parameter_types() {
    let pool = pool(URL, PoolOptions::default()).await;
    let e = rows(
        &pool,
        "SELECT $1::int4 + 1, $2::numeric * 2, $3::timestamptz, $4::uuid, $5::int8, \
         3 = ANY($6::int4[]), $7::text, $8::bool, $9::bytea, $10::float8, $11::jsonb",
        &[
            Value::Number(41.0),
            Value::Text("1.25".into()),
            Value::Text("2024-01-01T00:00:00.000Z".into()),
            Value::Text("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11".into()),
            Value::BigInt(-9007199254740993),
            Value::Array(vec![Value::Number(1.0), Value::Number(3.0)]),
            Value::Number(1e21),
            Value::Bool(false),
            Value::Bytes(vec![0, 1]),
            Value::Number(0.5),
            Value::Text("{\"k\":1}".into()),
        ],
    )
    .await;
    assert_eq!(f64_at(&e, 0, 0), 42.0);
    assert_eq!(text_at(&e, 1, 0), "2.50");
    assert_eq!(f64_at(&e, 2, 0), 1704067200000.0);
    assert_eq!(text_at(&e, 3, 0), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    assert_eq!(slot_at(&e, 4, 0) as i64, -9007199254740993);
    assert_eq!(f64_at(&e, 5, 0), 1.0);
    assert_eq!(text_at(&e, 6, 0), "1e+21");
    assert_eq!(f64_at(&e, 7, 0), 0.0);
    assert_eq!(f64_at(&e, 9, 0), 0.5);
    assert_eq!(text_at(&e, 10, 0), "{\"k\": 1}");
    // A number the type cannot hold is the server's error, as node-postgres gets it.
    let err = pool
        .run(QUERY, "SELECT $1::int4", &[Value::Number(3e9)], None)
        .await
        .unwrap_err();
    assert_eq!(err.code.as_deref(), Some("22003"));
    let err = pool
        .run(
            QUERY,
            "SELECT $1::int4, $2::int4",
            &[Value::Number(1.0)],
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Params);
}

#[tokio::test]
async fn server_errors_keep_sqlstate_constraint_table_and_column() {
    let pool = one_connection().await;
    let lease = pool.acquire().await.unwrap();
    lease
        .run(
            StatementKind::Execute,
            "CREATE TEMP TABLE uniq (id int PRIMARY KEY, n int NOT NULL)",
            &[],
        )
        .await
        .unwrap();
    lease
        .run(
            StatementKind::Execute,
            "INSERT INTO uniq VALUES (1, 1)",
            &[],
        )
        .await
        .unwrap();
    let err = lease
        .run(
            StatementKind::Execute,
            "INSERT INTO uniq VALUES ($1, 1)",
            &[Value::Number(1.0)],
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Database);
    assert_eq!(err.code.as_deref(), Some("23505"));
    assert_eq!(err.constraint.as_deref(), Some("uniq_pkey"));
    assert_eq!(err.table.as_deref(), Some("uniq"));
    assert!(err.detail.as_deref().unwrap_or("").starts_with("Key (id)="));
    let err = lease
        .run(
            StatementKind::Execute,
            "INSERT INTO uniq VALUES (2, NULL)",
            &[],
        )
        .await
        .unwrap_err();
    assert_eq!(
        (err.code.as_deref(), err.column.as_deref()),
        (Some("23502"), Some("n"))
    );
}

#[tokio::test]
async fn statements_share_pipelined_connections() {
    let pool = pool(
        URL,
        PoolOptions {
            max: Some(2),
            ..Default::default()
        },
    )
    .await;
    let mut tasks = Vec::new();
    for i in 0..40 {
        let pool = pool.clone();
        tasks.push(tokio::spawn(async move {
            let e = rows(&pool, "SELECT $1::int4 * 2", &[Value::Number(i as f64)]).await;
            f64_at(&e, 0, 0)
        }));
    }
    for (i, t) in tasks.into_iter().enumerate() {
        assert_eq!(t.await.unwrap(), (i * 2) as f64);
    }
    assert!(pool.size() <= 2);
    // The statement is prepared once per connection and reused.
    assert!(pool.cached_statements().iter().all(|n| *n <= 1));
}

#[tokio::test]
async fn acquire_timeout_names_the_pool_size() {
    let options = PoolOptions {
        max: Some(1),
        acquire_timeout_ms: Some(150),
        ..Default::default()
    };
    let pool = pool(URL, options).await;
    let held = pool.acquire().await.unwrap();
    let started = Instant::now();
    let err = pool.run(QUERY, "SELECT 1", &[], None).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::PoolTimeout);
    assert!(
        err.message
            .contains("all 1 connection(s) of the pool (pool.max)"),
        "{}",
        err.message
    );
    assert!(err.message.contains("150 ms"), "{}", err.message);
    assert!(started.elapsed() >= Duration::from_millis(140));
    drop(held);
    // Released: the next statement gets the connection.
    assert_eq!(f64_at(&rows(&pool, "SELECT 7", &[]).await, 0, 0), 7.0);
}

#[tokio::test]
async fn a_transaction_holds_its_connection_exclusively() {
    let pool = pool(
        URL,
        PoolOptions {
            max: Some(2),
            ..Default::default()
        },
    )
    .await;
    let tx = pool.acquire().await.unwrap();
    tx.run(StatementKind::Execute, "BEGIN", &[]).await.unwrap();
    let pid_tx = f64_at(
        &unwrap_rows(tx.run(QUERY, "SELECT pg_backend_pid()", &[]).await),
        0,
        0,
    );
    for _ in 0..5 {
        let pid = f64_at(&rows(&pool, "SELECT pg_backend_pid()", &[]).await, 0, 0);
        assert_ne!(pid, pid_tx);
    }
    // A failed statement aborts the transaction; the lease says so before COMMIT.
    assert!(!tx.is_aborted());
    assert!(tx
        .run(StatementKind::Execute, "SELECT 1/0", &[])
        .await
        .is_err());
    assert!(tx.is_aborted());
    tx.run(StatementKind::Execute, "ROLLBACK", &[])
        .await
        .unwrap();
    assert!(!tx.is_aborted());
}

#[tokio::test]
async fn try_acquire_takes_only_an_idle_connection_and_never_waits() {
    let pool = pool(
        URL,
        PoolOptions {
            max: Some(2),
            ..Default::default()
        },
    )
    .await;
    // The connection opened with the pool is idle: taken at once, exclusively.
    let first = pool.try_acquire().expect("the idle connection");
    let pid = |outcome| f64_at(&unwrap_rows(outcome), 0, 0);
    let query = QUERY;
    let pid_first = pid(first.run(query, "SELECT pg_backend_pid()", &[]).await);
    // None idle: nothing taken now (acquire would open the second connection).
    assert!(pool.try_acquire().is_none());
    let second = pool.acquire().await.unwrap();
    let pid_second = pid(second.run(query, "SELECT pg_backend_pid()", &[]).await);
    assert_ne!(pid_first, pid_second);
    // Both held and the pool full: still none, and no waiting.
    assert!(pool.try_acquire().is_none());
    assert_eq!(pool.size(), 2);
    drop(first);
    let again = pool.try_acquire().expect("the released connection");
    assert_eq!(
        pid(again.run(query, "SELECT pg_backend_pid()", &[]).await),
        pid_first
    );
    drop((again, second));
    pool.close().await;
    assert!(pool.try_acquire().is_none());
}

#[tokio::test]
async fn begin_travels_with_the_first_statement_and_ends_with_commit_or_rollback() {
    let pool = pool(
        URL,
        PoolOptions {
            max: Some(2),
            ..Default::default()
        },
    )
    .await;
    let table = format!("yara_begin_{}", std::process::id());
    rows(&pool, &format!("DROP TABLE IF EXISTS {table}"), &[]).await;
    rows(&pool, &format!("CREATE TABLE {table} (n int)"), &[]).await;
    let insert = format!("INSERT INTO {table} VALUES ($1)");
    let count = format!("SELECT count(*)::int FROM {table}");

    // Nothing sent: ending it is a no-op, and the connection is outside any transaction.
    let tx = pool.acquire().await.unwrap();
    tx.begin();
    tx.end(Control::Rollback).await.unwrap();
    tx.run(StatementKind::Execute, &insert, &[Value::Number(1.0)])
        .await
        .unwrap();
    drop(tx);
    assert_eq!(f64_at(&rows(&pool, &count, &[]).await, 0, 0), 1.0);

    // BEGIN with the first statement: rolled back, the row is gone.
    let tx = pool.acquire().await.unwrap();
    tx.begin();
    tx.run(StatementKind::Execute, &insert, &[Value::Number(2.0)])
        .await
        .unwrap();
    tx.end(Control::Rollback).await.unwrap();
    drop(tx);
    assert_eq!(f64_at(&rows(&pool, &count, &[]).await, 0, 0), 1.0);

    // Committed: kept; a failed statement inside marks the lease aborted until COMMIT.
    let tx = pool.acquire().await.unwrap();
    tx.begin();
    tx.run(StatementKind::Execute, &insert, &[Value::Number(3.0)])
        .await
        .unwrap();
    tx.end(Control::Commit).await.unwrap();
    assert!(!tx.is_aborted());
    tx.begin();
    assert!(tx
        .run(StatementKind::Execute, "SELECT 1/0", &[])
        .await
        .is_err());
    assert!(tx.is_aborted());
    tx.end(Control::Commit).await.unwrap();
    drop(tx);
    assert_eq!(f64_at(&rows(&pool, &count, &[]).await, 0, 0), 2.0);
    rows(&pool, &format!("DROP TABLE {table}"), &[]).await;
}

/// `pgbouncer=true` straight to the server: what the mode does on one connection is visible
/// there (`pg_prepared_statements`), whoever routes it.
#[tokio::test]
async fn behind_pgbouncer_a_lone_statement_commits_and_leaves_nothing_prepared() {
    let pool = pool(
        &format!("{URL}?pgbouncer=true"),
        PoolOptions {
            max: Some(1),
            ..Default::default()
        },
    )
    .await;
    let table = format!("yara_lone_{}", std::process::id());
    let left = "SELECT count(*)::int FROM pg_prepared_statements \
                WHERE statement NOT LIKE '%pg_prepared_statements%'";
    rows(&pool, &format!("DROP TABLE IF EXISTS {table}"), &[]).await;
    rows(
        &pool,
        &format!("CREATE TABLE {table} (n int NOT NULL)"),
        &[],
    )
    .await;
    let insert = format!("INSERT INTO {table} VALUES ($1)");
    for n in 1..=3 {
        let params = [Value::Number(n as f64)];
        let run = pool
            .run(StatementKind::Execute, &insert, &params, None)
            .await;
        assert!(matches!(run, Ok(Outcome::Count(1))));
        assert_eq!(f64_at(&rows(&pool, left, &[]).await, 0, 0), 0.0);
    }
    // Failing at Execute, at Parse, and on the parameter count: nothing prepared is left, and
    // the next statement runs (an aborted transaction left open would refuse it).
    let failures: [(&str, &[Value]); 3] = [
        (&insert, &[Value::Null]),
        ("SELECT no_such_column", &[]),
        (&insert, &[]),
    ];
    for (sql, params) in failures {
        assert!(pool
            .run(StatementKind::Execute, sql, params, None)
            .await
            .is_err());
        assert_eq!(f64_at(&rows(&pool, left, &[]).await, 0, 0), 0.0);
    }
    // Committed: another connection sees the three rows.
    let other = one_connection().await;
    let count = format!("SELECT count(*)::int FROM {table}");
    assert_eq!(f64_at(&rows(&other, &count, &[]).await, 0, 0), 3.0);
    rows(&pool, &format!("DROP TABLE {table}"), &[]).await;
}

#[tokio::test]
async fn a_transaction_never_swallows_a_shared_statement_still_being_prepared() {
    let pool = one_connection().await;
    let table = format!("yara_begin_shared_{}", std::process::id());
    rows(&pool, &format!("DROP TABLE IF EXISTS {table}"), &[]).await;
    rows(&pool, &format!("CREATE TABLE {table} (n int)"), &[]).await;
    // Not prepared on the connection yet: its Parse goes out, its Bind only once answered.
    let shared = {
        let pool = pool.clone();
        let insert = format!("INSERT INTO {table} VALUES (1)");
        tokio::spawn(async move { pool.run(StatementKind::Execute, &insert, &[], None).await })
    };
    tokio::task::yield_now().await;
    // The one connection, taken while that statement is in flight on it.
    let tx = pool.acquire().await.unwrap();
    tx.begin();
    tx.run(QUERY, "SELECT 1", &[]).await.unwrap();
    tx.end(Control::Rollback).await.unwrap();
    drop(tx);
    assert!(matches!(shared.await.unwrap(), Ok(Outcome::Count(1))));
    // The shared insert was answered as done: the rollback must not have taken it away.
    let count = format!("SELECT count(*)::int FROM {table}");
    assert_eq!(f64_at(&rows(&pool, &count, &[]).await, 0, 0), 1.0);
    rows(&pool, &format!("DROP TABLE {table}"), &[]).await;
}

fn unwrap_rows(outcome: Result<Outcome, yara_native::error::DbError>) -> Encoded {
    match outcome {
        Ok(Outcome::Rows(e)) => e,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_broken_connection_is_dropped_and_replaced() {
    let pool = one_connection().await;
    let admin = self::pool(URL, PoolOptions::default()).await;
    let pid = f64_at(&rows(&pool, "SELECT pg_backend_pid()", &[]).await, 0, 0);
    rows(
        &admin,
        "SELECT pg_terminate_backend($1::int4)",
        &[Value::Number(pid)],
    )
    .await;
    // The first statement may meet the dead socket; it fails as a connection error.
    let mut replaced = None;
    for _ in 0..3 {
        match pool.run(QUERY, "SELECT pg_backend_pid()", &[], None).await {
            Ok(Outcome::Rows(e)) => {
                replaced = Some(f64_at(&e, 0, 0));
                break;
            }
            Err(e) => assert!(
                e.kind == ErrorKind::Connection || e.code.as_deref() == Some("57P01"),
                "{e:?}"
            ),
            Ok(other) => panic!("{other:?}"),
        }
    }
    let replaced = replaced.expect("a new connection serves the pool");
    assert_ne!(replaced, pid);
    assert_eq!(pool.size(), 1);
}

type Run = tokio::task::JoinHandle<Result<Outcome, yara_native::error::DbError>>;

/// `sql` started on its own task with cancel id `id` (`pool.cancel(id)` stops it).
fn spawn_cancellable(pool: &PgPool, kind: StatementKind, sql: &'static str, id: u64) -> Run {
    let slot = pool.cancel_slot(id);
    let pool = pool.clone();
    tokio::spawn(async move { pool.run(kind, sql, &[], Some((id, slot))).await })
}

/// `sql` started on its own task, not cancellable.
fn spawn_plain(pool: &PgPool, sql: &'static str) -> Run {
    let pool = pool.clone();
    tokio::spawn(async move { pool.run(StatementKind::Execute, sql, &[], None).await })
}

/// The statement of `run` ended as the server's "canceling statement" (57014).
async fn assert_cancelled(run: Run) {
    let err = run.await.unwrap().unwrap_err();
    assert_eq!(err.code.as_deref(), Some("57014"), "{err:?}");
}

#[tokio::test]
async fn cancelling_stops_a_running_statement() {
    let pool = pool(URL, PoolOptions::default()).await;
    let runner = spawn_cancellable(&pool, QUERY, "SELECT pg_sleep(5)", 1);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    pool.cancel(1);
    assert_cancelled(runner).await;
    assert!(started.elapsed() < Duration::from_secs(2));
    // Cancelled before it had a connection: it never reaches the server.
    let slot = pool.cancel_slot(2);
    pool.cancel(2);
    let err = pool
        .run(QUERY, "SELECT 1", &[], Some((2, slot)))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Cancelled);
}

#[tokio::test]
async fn close_resolves_after_any_number_of_cancelled_statements() {
    // Regression: a statement cancelled while its connection was being opened left the pool
    // counting that connection as opening forever, so close() never resolved.
    for n in 1..=12u64 {
        let pool = pool(URL, PoolOptions::default()).await;
        let runners: Vec<_> = (0..n)
            .map(|i| spawn_cancellable(&pool, QUERY, "SELECT pg_sleep(5)", i + 1))
            .collect();
        // Cancelled at different moments: at once, while connecting, while running.
        for i in 0..n {
            if i % 3 == 1 {
                tokio::task::yield_now().await;
            } else if i % 3 == 2 {
                tokio::time::sleep(Duration::from_millis(3)).await;
            }
            pool.cancel(i + 1);
        }
        for r in runners {
            let err = tokio::time::timeout(Duration::from_secs(4), r)
                .await
                .expect("a cancelled statement ended")
                .unwrap()
                .unwrap_err();
            assert_eq!(err.code.as_deref(), Some("57014"), "{err:?}");
        }
        tokio::time::timeout(Duration::from_secs(3), pool.close())
            .await
            .unwrap_or_else(|_| panic!("close() hung after {n} cancelled statements"));
        assert_eq!(pool.size(), 0);
    }
}

#[tokio::test]
async fn a_statement_cancelled_as_it_starts_is_still_cancelled() {
    // The cancel request can overtake the statement on its way to the server; it is repeated
    // until the statement ends.
    let pool = pool(URL, PoolOptions::default()).await;
    for id in 1..=20u64 {
        let started = Instant::now();
        let runner = spawn_cancellable(&pool, StatementKind::Execute, "SELECT pg_sleep(5)", id);
        for _ in 0..id % 4 {
            tokio::task::yield_now().await;
        }
        pool.cancel(id);
        assert_cancelled(runner).await;
        assert!(started.elapsed() < Duration::from_secs(3), "round {id}");
    }
}

#[tokio::test]
async fn cancelling_never_hits_a_pipelined_neighbour() {
    // One connection: the cancellable statement takes it while two shared statements are still
    // pipelined on it. The cancel must stop the cancellable one, never a neighbour.
    let pool = one_connection().await;
    let neighbours: Vec<_> = (0..2)
        .map(|_| spawn_plain(&pool, "SELECT pg_sleep(0.3)"))
        .collect();
    tokio::time::sleep(Duration::from_millis(50)).await;
    let runner = spawn_cancellable(&pool, QUERY, "SELECT pg_sleep(3)", 7);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    pool.cancel(7);
    assert_cancelled(runner).await;
    assert!(started.elapsed() < Duration::from_secs(2));
    for n in neighbours {
        assert!(
            n.await.unwrap().is_ok(),
            "a pipelined neighbour was cancelled"
        );
    }
}

#[tokio::test]
async fn a_cancel_that_lands_late_never_stops_the_next_statement() {
    // Regression: a cancel request counted as answered once written (tokio-postgres's
    // `cancel_query`), so a short statement could end, give its connection back, and the late
    // request stop a plain statement run next on it. One connection, 200 rounds of a cancelled
    // short statement beside plain ones: only the cancelled one may fail.
    let pool = one_connection().await;
    for id in 1..=200u64 {
        let neighbours: Vec<_> = (0..3)
            .map(|_| spawn_plain(&pool, "SELECT pg_sleep(0.001)"))
            .collect();
        let runner = spawn_cancellable(&pool, StatementKind::Execute, "SELECT 1", id);
        for _ in 0..id % 5 {
            tokio::task::yield_now().await;
        }
        pool.cancel(id);
        let after: Vec<_> = (0..3)
            .map(|_| spawn_plain(&pool, "SELECT pg_sleep(0.01)"))
            .collect();
        if let Err(err) = runner.await.unwrap() {
            assert_eq!(err.code.as_deref(), Some("57014"), "{err:?}");
        }
        for n in neighbours.into_iter().chain(after) {
            let outcome = n.await.unwrap();
            assert!(
                outcome.is_ok(),
                "round {id}: a neighbour failed: {outcome:?}"
            );
        }
    }
    tokio::time::timeout(Duration::from_secs(5), pool.close())
        .await
        .expect("close() resolves");
}

/// A proxy in front of the test server that holds every cancel request back for `delay` before
/// passing it on, as a busy postmaster does; returns its URL (without TLS, so it can see them).
async fn slow_cancel_proxy(delay: Duration) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let Ok((mut client, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                // Every first message starts with its length and a code; 80877102 is CancelRequest.
                let mut head = [0u8; 8];
                if client.read_exact(&mut head).await.is_err() {
                    return;
                }
                if i32::from_be_bytes([head[4], head[5], head[6], head[7]]) == 80877102 {
                    tokio::time::sleep(delay).await;
                }
                let Ok(mut server) = tokio::net::TcpStream::connect("127.0.0.1:5432").await else {
                    return;
                };
                if server.write_all(&head).await.is_ok() {
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                }
            });
        }
    });
    format!("postgres://root@127.0.0.1:{port}/test?sslmode=disable")
}

#[tokio::test]
async fn a_slow_cancel_request_never_stops_the_statement_after() {
    // Regression: a cancel request counted as answered once written, and was repeated every
    // 50 ms while the statement ran. With a postmaster slower than that, the first request
    // stopped the statement, which gave its connection back while a repeat was still on its
    // way: that one then stopped the plain statement that ran next on the connection.
    let options = PoolOptions {
        max: Some(1),
        ..PoolOptions::default()
    };
    let pool = pool(
        &slow_cancel_proxy(Duration::from_millis(150)).await,
        options,
    )
    .await;
    for id in 1..=3u64 {
        let runner = spawn_cancellable(&pool, StatementKind::Execute, "SELECT pg_sleep(3)", id);
        tokio::time::sleep(Duration::from_millis(100)).await;
        // Queued behind the cancellable statement (the pool has one connection).
        let neighbours: Vec<_> = (0..3)
            .map(|_| spawn_plain(&pool, "SELECT pg_sleep(0.3)"))
            .collect();
        tokio::task::yield_now().await;
        pool.cancel(id);
        assert_cancelled(runner).await;
        for n in neighbours {
            let outcome = n.await.unwrap();
            assert!(
                outcome.is_ok(),
                "round {id}: a neighbour was cancelled: {outcome:?}"
            );
        }
    }
}

#[tokio::test]
async fn statement_timeout_from_the_url_options() {
    let url = format!("{URL}?options=-c%20statement_timeout%3D100");
    let pool = pool(&url, PoolOptions::default()).await;
    let err = pool
        .run(QUERY, "SELECT pg_sleep(2)", &[], None)
        .await
        .unwrap_err();
    assert_eq!(err.code.as_deref(), Some("57014"));
    assert!(err.message.contains("statement timeout"), "{}", err.message);
}

#[tokio::test]
async fn idle_connections_above_min_are_closed() {
    let options = PoolOptions {
        max: Some(4),
        min: Some(1),
        idle_timeout_ms: Some(100),
        ..Default::default()
    };
    let pool = Arc::new(pool(URL, options).await);
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let pool = pool.clone();
        tasks.push(tokio::spawn(async move {
            rows(&pool, "SELECT pg_sleep(1)", &[]).await
        }));
    }
    // Opening a connection can take a while on a loaded machine: wait for them (bounded).
    let size_within = |want: usize, limit: Duration| {
        let pool = pool.clone();
        async move {
            let started = Instant::now();
            while pool.size() != want && started.elapsed() < limit {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            pool.size()
        }
    };
    assert_eq!(
        size_within(4, Duration::from_millis(900)).await,
        4,
        "concurrent statements spread over several connections"
    );
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(size_within(1, Duration::from_secs(2)).await, 1);
}

#[tokio::test]
async fn one_statement_per_call_and_stale_plans() {
    let pool = one_connection().await;
    let lease = pool.acquire().await.unwrap();
    lease
        .run(
            StatementKind::Execute,
            "CREATE TEMP TABLE multi (a int)",
            &[],
        )
        .await
        .unwrap();
    let count = lease
        .run(
            StatementKind::Execute,
            "INSERT INTO multi VALUES (1), (2);",
            &[],
        )
        .await
        .unwrap();
    assert!(matches!(count, Outcome::Count(2)));
    // Several statements in one string: refused by the server, with or without parameters,
    // and nothing of it runs.
    for (kind, sql, params) in [
        (
            StatementKind::Execute,
            "SELECT 1; DELETE FROM multi",
            vec![],
        ),
        (QUERY, "SELECT 1; DELETE FROM multi", vec![]),
        (
            QUERY,
            "SELECT $1::int; DELETE FROM multi",
            vec![Value::Number(1.0)],
        ),
    ] {
        let err = lease.run(kind, sql, &params).await.unwrap_err();
        assert_eq!(err.kind, ErrorKind::Database, "{err:?}");
        assert_eq!(err.code.as_deref(), Some("42601"));
        assert!(err.message.contains("multiple commands"), "{}", err.message);
    }
    let e = unwrap_rows(
        lease
            .run(QUERY, "SELECT * FROM multi ORDER BY a", &[])
            .await,
    );
    assert_eq!((e.columns.len(), e.rows), (1, 2));
    lease
        .run(
            StatementKind::Execute,
            "ALTER TABLE multi ADD COLUMN b text",
            &[],
        )
        .await
        .unwrap();
    let e = unwrap_rows(
        lease
            .run(QUERY, "SELECT * FROM multi ORDER BY a", &[])
            .await,
    );
    assert_eq!(e.columns, vec!["a".to_string(), "b".to_string()]);
}

#[tokio::test]
async fn a_wrong_parameter_count_is_refused_before_sending() {
    let pool = one_connection().await;
    let lease = pool.acquire().await.unwrap();
    lease
        .run(StatementKind::Execute, "BEGIN", &[])
        .await
        .unwrap();
    let err = lease
        .run(QUERY, "SELECT $1::int, $2::int", &[Value::Number(1.0)])
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Params);
    assert_eq!(
        err.message,
        "bind message supplies 1 parameters, but prepared statement \"\" requires 2"
    );
    assert_eq!(err.code.as_deref(), Some("08P01"));
    // The statement never ran: the transaction is not aborted and the connection is kept.
    assert!(!lease.is_aborted());
    lease
        .run(StatementKind::Execute, "COMMIT", &[])
        .await
        .unwrap();
    drop(lease);
    assert_eq!(pool.size(), 1);
}

#[tokio::test]
async fn closing_fails_waiters_and_refuses_new_statements() {
    let options = PoolOptions {
        max: Some(1),
        ..Default::default()
    };
    let pool = pool(URL, options).await;
    let held = pool.acquire().await.unwrap();
    let waiter = {
        let pool = pool.clone();
        tokio::spawn(async move { pool.run(QUERY, "SELECT 1", &[], None).await })
    };
    tokio::time::sleep(Duration::from_millis(50)).await;
    let closing = {
        let pool = pool.clone();
        tokio::spawn(async move { pool.close().await })
    };
    let err = waiter.await.unwrap().unwrap_err();
    assert_eq!(err.kind, ErrorKind::Closed);
    // The transaction's connection still works until it is released; then close finishes.
    assert!(held.run(QUERY, "SELECT 1", &[]).await.is_ok());
    drop(held);
    closing.await.unwrap();
    assert_eq!(pool.size(), 0);
    let err = pool.run(QUERY, "SELECT 1", &[], None).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Closed);
}

/// A loopback port nothing listens on.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn open_err(url: &str, options: PoolOptions) -> yara_native::error::DbError {
    let settings = parse_settings(url, options).unwrap();
    match PgPool::open(settings, None).await {
        Err(e) => e,
        Ok(_) => panic!("{url} accepted a Postgres connection"),
    }
}

#[tokio::test]
async fn unreachable_server_says_nothing_is_listening() {
    let port = free_port();
    let err = open_err(
        &format!("postgres://root@127.0.0.1:{port}/test"),
        PoolOptions::default(),
    )
    .await;
    assert_eq!(err.kind, ErrorKind::Connection);
    assert_eq!(err.code.as_deref(), Some("ECONNREFUSED"));
    assert_eq!(
        err.message,
        format!("nothing is listening on 127.0.0.1:{port} (connection refused)")
    );
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    // Accepts and keeps every connection, never writes a byte.
    let accepting = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    for query in ["", "?sslmode=require"] {
        let started = Instant::now();
        let err = open_err(
            &format!("postgres://root@127.0.0.1:{port}/test{query}"),
            PoolOptions {
                connect_timeout_ms: Some(200),
                ..Default::default()
            },
        )
        .await;
        assert!(started.elapsed() >= Duration::from_millis(190));
        assert!(started.elapsed() < Duration::from_secs(2));
        assert_eq!(err.kind, ErrorKind::Connection);
        assert_eq!(err.code.as_deref(), Some("ETIMEDOUT"));
        assert!(
            err.message.starts_with(&format!(
                "could not connect to Postgres at 127.0.0.1:{port} within 200 ms"
            )),
            "{}",
            err.message
        );
    }
    accepting.abort();
}

#[tokio::test]
async fn a_server_that_is_not_postgres_is_named_so() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let serving = tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut startup = [0u8; 256];
            let _ = socket.read(&mut startup).await;
            let _ = socket.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n").await;
        }
    });
    let err = open_err(
        &format!("postgres://root@127.0.0.1:{port}/test"),
        PoolOptions::default(),
    )
    .await;
    assert_eq!(err.kind, ErrorKind::Connection);
    assert!(
        err.message.starts_with(&format!(
            "the server at 127.0.0.1:{port} did not answer as PostgreSQL"
        )),
        "{}",
        err.message
    );
    serving.abort();
}

#[tokio::test]
async fn binds_as_many_parameters_as_one_bind_message_carries_and_refuses_more() {
    let pool = pool(URL, PoolOptions::default()).await;
    let sql = |n: usize| {
        let values: Vec<String> = (1..=n).map(|i| format!("(${i}::int4)")).collect();
        format!(
            "SELECT sum(column1)::int8 FROM (VALUES {}) v",
            values.join(",")
        )
    };
    let params = |n: usize| -> Vec<Value> { (1..=n).map(|i| Value::Number(i as f64)).collect() };
    let n = yara_native::pg::binder::MAX_PARAMS;
    assert_eq!(n, 32_767);
    let e = rows(&pool, &sql(n), &params(n)).await;
    assert_eq!(f64_at(&e, 0, 0), (n * (n + 1) / 2) as f64);
    let err = pool
        .run(QUERY, &sql(n + 1), &params(n + 1), None)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Params);
    assert_eq!(err.code.as_deref(), Some("54000"));
    assert!(
        err.message.starts_with(
            "the statement has 32768 parameters, but the native Postgres engine binds at most 32767"
        ),
        "{}",
        err.message
    );
    // Refused before anything was sent: the pool serves the next statement.
    let e = rows(&pool, &sql(3), &params(3)).await;
    assert_eq!(f64_at(&e, 0, 0), 6.0);
}
