//! `pg::runtime::spawn`, the hand-over from the JavaScript thread to the engine's thread: a
//! statement is sent from the caller's thread, the engine's thread only reads the answer, and a
//! future that panics or yields is still finished or dropped. Against the server the rest of
//! the suite uses (127.0.0.1:5432, user root, database test); fails when it is down.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use yara_native::pg::{parse_settings, runtime, PgPool, PoolOptions, StatementKind};
use yara_native::value::Value;

const URL: &str = "postgres://root@127.0.0.1:5432/test";
const WAIT: Duration = Duration::from_secs(10);

/// Runs `future` through `runtime::spawn` and waits for its output on this (plain) thread.
fn run<T: Send + 'static>(future: impl std::future::Future<Output = T> + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    runtime::spawn(async move {
        let _ = tx.send(future.await);
    });
    rx.recv_timeout(WAIT)
        .expect("the engine finishes the future")
}

fn open() -> PgPool {
    open_with(PoolOptions::default())
}

fn open_with(options: PoolOptions) -> PgPool {
    let settings = parse_settings(URL, options).expect("valid settings");
    run(PgPool::open(settings, None))
        .expect("Postgres at 127.0.0.1:5432 (user root, db test) must be running")
}

fn execute(pool: &PgPool, sql: &str, params: Vec<Value>) -> u64 {
    let (pool, sql) = (pool.clone(), sql.to_string());
    match run(async move { pool.run(StatementKind::Execute, &sql, &params, None).await }) {
        Ok(yara_native::pg::Outcome::Count(n)) => n,
        other => panic!("{other:?}"),
    }
}

fn count(pool: &PgPool, table: &str) -> f64 {
    let (pool, sql) = (
        pool.clone(),
        format!("SELECT count(*)::float8 FROM {table}"),
    );
    match run(async move {
        pool.run(StatementKind::Query { bigints: false }, &sql, &[], None)
            .await
    }) {
        Ok(yara_native::pg::Outcome::Rows(e)) => {
            let at = (e.rows + 7) & !7;
            f64::from_le_bytes(e.buffer[at..at + 8].try_into().unwrap())
        }
        other => panic!("{other:?}"),
    }
}

/// Rows in `table` as another connection (on a runtime of this test's own, not the engine's)
/// sees them: polled until there are `want`, or `within` has passed.
fn rows_seen(table: &str, want: i64, within: Duration) -> i64 {
    let watcher = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    watcher.block_on(async {
        let (client, connection) = tokio_postgres::connect(URL, tokio_postgres::NoTls)
            .await
            .expect("a second connection");
        tokio::spawn(connection);
        let deadline = Instant::now() + within;
        loop {
            let row = client
                .query_one(&format!("SELECT count(*) FROM {table}"), &[])
                .await
                .unwrap();
            let n: i64 = row.get(0);
            if n >= want || Instant::now() > deadline {
                return n;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
}

/// Blocks the engine's thread until the returned sender is dropped or sent to.
fn block_engine() -> mpsc::Sender<()> {
    let (release, released) = mpsc::channel::<()>();
    let (started, running) = mpsc::channel();
    runtime::handle().spawn(async move {
        let _ = started.send(());
        let _ = released.recv();
    });
    running
        .recv_timeout(WAIT)
        .expect("the engine's thread runs the blocking task");
    release
}

#[test]
fn a_prepared_statement_reaches_the_server_while_the_engine_thread_is_busy() {
    let pool = open();
    // The other pool runs on a thread of the test (not the engine): it watches the table.
    let table = format!("yara_runtime_send_{}", std::process::id());
    execute(&pool, &format!("DROP TABLE IF EXISTS {table}"), vec![]);
    execute(
        &pool,
        &format!("CREATE TABLE {table} (id serial PRIMARY KEY, n int4 NOT NULL)"),
        vec![],
    );
    let insert = format!("INSERT INTO {table} (n) VALUES ($1)");
    // Prepared and cached on the (only) connection: the next run needs no round trip to send.
    assert_eq!(execute(&pool, &insert, vec![Value::Number(1.0)]), 1);

    let release = block_engine();
    let (tx, rx) = mpsc::channel();
    let (p, sql) = (pool.clone(), insert.clone());
    runtime::spawn(async move {
        let outcome = p
            .run(StatementKind::Execute, &sql, &[Value::Number(2.0)], None)
            .await;
        let _ = tx.send(outcome.map(|_| ()).map_err(|e| e.message));
    });

    // Another connection sees the row while the engine's thread is still blocked: the caller's
    // thread sent Bind and Execute.
    let seen = rows_seen(&table, 2, WAIT);
    assert!(
        rx.try_recv().is_err(),
        "the statement finished while the engine's thread was blocked"
    );
    drop(release);
    assert_eq!(
        seen, 2,
        "the insert reached the server before the engine ran"
    );
    assert_eq!(rx.recv_timeout(WAIT).unwrap(), Ok(()));
    assert_eq!(count(&pool, &table), 2.0);
    execute(&pool, &format!("DROP TABLE {table}"), vec![]);
}

#[test]
fn a_statement_pipelined_behind_another_is_sent_by_the_engine_thread() {
    // One connection: the second statement joins the first one's pipeline.
    let pool = open_with(PoolOptions {
        max: Some(1),
        ..PoolOptions::default()
    });
    let table = format!("yara_runtime_pipeline_{}", std::process::id());
    execute(&pool, &format!("DROP TABLE IF EXISTS {table}"), vec![]);
    execute(
        &pool,
        &format!("CREATE TABLE {table} (id serial PRIMARY KEY, n int4 NOT NULL)"),
        vec![],
    );
    let insert = format!("INSERT INTO {table} (n) VALUES ($1)");
    execute(&pool, &insert, vec![Value::Number(0.0)]);
    execute(&pool, &format!("DELETE FROM {table}"), vec![]);

    let release = block_engine();
    let (tx, rx) = mpsc::channel();
    for n in [1.0, 2.0] {
        let (p, sql, tx) = (pool.clone(), insert.clone(), tx.clone());
        runtime::spawn(async move {
            let outcome = p
                .run(StatementKind::Execute, &sql, &[Value::Number(n)], None)
                .await;
            let _ = tx.send(outcome.map(|_| ()).map_err(|e| e.message));
        });
    }
    // The first went out from this thread; the second waits for the engine's, which then
    // writes whatever was queued behind the first at once.
    assert_eq!(rows_seen(&table, 1, WAIT), 1);
    assert_eq!(rows_seen(&table, 2, Duration::from_millis(300)), 1);
    drop(release);
    assert_eq!(rx.recv_timeout(WAIT).unwrap(), Ok(()));
    assert_eq!(rx.recv_timeout(WAIT).unwrap(), Ok(()));
    assert_eq!(count(&pool, &table), 2.0);
    execute(&pool, &format!("DROP TABLE {table}"), vec![]);
}

#[test]
fn the_first_poll_runs_on_the_callers_thread_and_the_rest_on_the_engines() {
    let caller = std::thread::current().id();
    let (tx, rx) = mpsc::channel();
    runtime::spawn(async move {
        let first = std::thread::current().id();
        tokio::time::sleep(Duration::from_millis(1)).await;
        let _ = tx.send((first, std::thread::current().id()));
    });
    let (first, later) = rx.recv_timeout(WAIT).unwrap();
    assert_eq!(first, caller);
    assert_ne!(later, caller);
}

#[test]
fn a_future_that_panics_is_dropped_and_the_engine_carries_on() {
    struct Dropped(mpsc::Sender<&'static str>);
    impl Drop for Dropped {
        fn drop(&mut self) {
            let _ = self.0.send("dropped");
        }
    }
    let (tx, rx) = mpsc::channel();
    // On the caller's thread, in its first poll…
    let guard = Dropped(tx.clone());
    runtime::spawn(async move {
        let _guard = &guard;
        panic!("first poll");
    });
    assert_eq!(rx.recv_timeout(WAIT), Ok("dropped"));
    // … and on the engine's thread, later.
    let guard = Dropped(tx);
    runtime::spawn(async move {
        let _guard = &guard;
        tokio::time::sleep(Duration::from_millis(1)).await;
        panic!("later poll");
    });
    assert_eq!(rx.recv_timeout(WAIT), Ok("dropped"));
    assert_eq!(run(async { 42 }), 42);
}

#[test]
fn a_future_that_keeps_yielding_finishes() {
    let n = run(async {
        let mut n = 0;
        for _ in 0..1000 {
            tokio::task::yield_now().await;
            n += 1;
        }
        n
    });
    assert_eq!(n, 1000);
}

#[test]
fn statements_started_together_all_finish() {
    let pool = open();
    let (tx, rx) = mpsc::channel();
    for i in 0..200 {
        let (p, tx) = (pool.clone(), tx.clone());
        runtime::spawn(async move {
            let outcome = p
                .run(
                    StatementKind::Query { bigints: false },
                    "SELECT $1::int4 + 1",
                    &[Value::Number(i as f64)],
                    None,
                )
                .await;
            let _ = tx.send(outcome.is_ok());
        });
    }
    drop(tx);
    let finished: Vec<bool> = rx.iter().collect();
    assert_eq!(finished.len(), 200);
    assert!(finished.iter().all(|ok| *ok));
}
