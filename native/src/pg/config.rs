//! A Postgres URL and pool options → connection settings, with the same query parameters and
//! the same errors as the JavaScript driver (runtime/driver/pg/config.ts): `sslmode` (disable |
//! prefer | require | verify-ca | verify-full; absent means no TLS), `sslrootcert`, `sslcert`,
//! `sslkey`, `application_name`, `connect_timeout` (seconds), `options` (extra `-c name=value`
//! settings) and `host` (a Unix socket directory). Every connection runs with `TimeZone=UTC`,
//! ISO dates and hex bytea, as the JavaScript driver's sessions do.

use std::time::Duration;

use percent_encoding::percent_decode_str;
use url::Url;

use crate::error::{DbError, DbResult, ErrorKind};

const SESSION_OPTIONS: &str = "-c TimeZone=UTC -c DateStyle=ISO,MDY -c bytea_output=hex";
const URL_PARAMS: [&str; 9] = [
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "application_name",
    "connect_timeout",
    "options",
    "host",
    "pgbouncer",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    const ALL: [(&'static str, SslMode); 5] = [
        ("disable", SslMode::Disable),
        ("prefer", SslMode::Prefer),
        ("require", SslMode::Require),
        ("verify-ca", SslMode::VerifyCa),
        ("verify-full", SslMode::VerifyFull),
    ];
}

/// PEM files named by the URL, read once when the pool opens.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TlsFiles {
    pub root_cert: Option<Vec<u8>>,
    pub cert: Option<Vec<u8>>,
    pub key: Option<Vec<u8>>,
}

/// `PoolOptions` of runtime/config.ts, defaults applied.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolSettings {
    pub max: usize,
    pub min: usize,
    /// Waiting for a free connection and opening a new one; `None` waits as long as it takes.
    pub acquire_timeout: Option<Duration>,
    pub idle_timeout: Duration,
}

/// What the JavaScript side passes in `PoolOptions`; `None` takes the default.
#[derive(Debug, Clone, Copy, Default)]
pub struct PoolOptions {
    pub max: Option<u32>,
    pub min: Option<u32>,
    pub acquire_timeout_ms: Option<u64>,
    pub idle_timeout_ms: Option<u64>,
    /// `connectTimeoutMs` of the database target; `None`: the URL's `connect_timeout`, else
    /// `DEFAULT_CONNECT_TIMEOUT_MS`. 0 waits as long as the network does.
    pub connect_timeout_ms: Option<u64>,
}

/// How long opening one connection (TCP connect, TLS handshake, startup and login) may take
/// unless the URL or `connectTimeoutMs` say otherwise.
pub const DEFAULT_CONNECT_TIMEOUT_MS: u64 = 10_000;

#[derive(Debug, Clone, PartialEq)]
pub enum PgHost {
    Tcp(String),
    /// A Unix socket directory (`?host=/var/run/postgresql`).
    Socket(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct PgSettings {
    pub host: PgHost,
    pub port: u16,
    pub user: String,
    pub password: Option<String>,
    pub database: String,
    pub application_name: Option<String>,
    /// The startup `options`: the session settings, then the URL's own.
    pub options: String,
    pub sslmode: SslMode,
    pub tls: TlsFiles,
    pub pool: PoolSettings,
    /// Opening one connection, from TCP connect to the end of login; `None` waits as long as the
    /// network does.
    pub connect_timeout: Option<Duration>,
    /// "host:port" (or the socket directory), for error messages.
    pub address: String,
    /// Behind PgBouncer in transaction pooling mode (`?pgbouncer=true`): no startup `options`
    /// (PgBouncer refuses them), no statement cache, statements outside a transaction run in one
    /// of their own (connection.rs, pool.rs).
    pub pgbouncer: bool,
}

fn config_error(message: String) -> DbError {
    DbError::new(ErrorKind::Config, message)
}

fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// Reads a `postgres://` URL the way `pgSettings` in runtime/driver/pg/config.ts does.
pub fn parse_settings(url: &str, pool: PoolOptions) -> DbResult<PgSettings> {
    let url = Url::parse(url)
        .map_err(|_| config_error("the Postgres URL is not a valid URL".to_string()))?;
    let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    for (key, _) in &query {
        if !URL_PARAMS.contains(&key.as_str()) {
            return Err(config_error(format!(
                "unsupported Postgres URL parameter \"{key}\"; supported: {}",
                URL_PARAMS.join(", ")
            )));
        }
    }
    // URLSearchParams.get returns the first value of a repeated key.
    let get = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };

    let sslmode_text = get("sslmode").unwrap_or_else(|| "disable".to_string());
    let sslmode = SslMode::ALL
        .iter()
        .find(|(name, _)| *name == sslmode_text)
        .map(|(_, mode)| *mode)
        .ok_or_else(|| {
            let names: Vec<&str> = SslMode::ALL.iter().map(|(n, _)| *n).collect();
            config_error(format!(
                "unknown sslmode \"{sslmode_text}\"; use one of {}",
                names.join(", ")
            ))
        })?;

    let url_host = url
        .host_str()
        .map(|h| decode(h.trim_start_matches('[').trim_end_matches(']')))
        .unwrap_or_default();
    let host_text = get("host").unwrap_or(if url_host.is_empty() {
        "localhost".to_string()
    } else {
        url_host
    });
    let port = url.port().unwrap_or(5432);
    let host = if host_text.starts_with('/') {
        PgHost::Socket(host_text.clone())
    } else {
        PgHost::Tcp(host_text.clone())
    };
    let address = if host_text.starts_with('/') {
        host_text
    } else {
        format!("{host_text}:{port}")
    };

    let pgbouncer = match get("pgbouncer").as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => {
            return Err(config_error(format!(
                "pgbouncer must be true or false, got \"{other}\""
            )))
        }
    };
    let options = match get("options") {
        Some(extra) if pgbouncer && !extra.is_empty() => {
            return Err(config_error(pgbouncer_options_error()))
        }
        // PgBouncer refuses the startup `options`; results are binary, so the session's
        // DateStyle and bytea_output do not matter, and yara's SQL names UTC where it needs it.
        _ if pgbouncer => String::new(),
        Some(extra) if !extra.is_empty() => format!("{SESSION_OPTIONS} {extra}"),
        _ => SESSION_OPTIONS.to_string(),
    };
    // node-postgres' defaults for what the URL leaves out.
    let user = if url.username().is_empty() {
        std::env::var("PGUSER")
            .or_else(|_| std::env::var("USER"))
            .unwrap_or_default()
    } else {
        decode(url.username())
    };
    let password = match url.password() {
        Some(p) if !p.is_empty() => Some(decode(p)),
        _ => std::env::var("PGPASSWORD").ok(),
    };

    let connect_timeout = match get("connect_timeout") {
        None => None,
        Some(text) => match text.parse::<u64>() {
            Ok(seconds) => Some(seconds * 1000),
            Err(_) => {
                return Err(config_error(format!(
                    "connect_timeout must be a whole number of seconds, got \"{text}\""
                )))
            }
        },
    };
    let acquire_ms = pool.acquire_timeout_ms.or(connect_timeout).unwrap_or(0);
    let connect_ms = pool
        .connect_timeout_ms
        .or(connect_timeout)
        .unwrap_or(DEFAULT_CONNECT_TIMEOUT_MS);

    let tls = if sslmode == SslMode::Disable {
        TlsFiles::default()
    } else {
        TlsFiles {
            root_cert: read_pem(get("sslrootcert"), "sslrootcert")?,
            cert: read_pem(get("sslcert"), "sslcert")?,
            key: read_pem(get("sslkey"), "sslkey")?,
        }
    };

    Ok(PgSettings {
        host,
        port,
        user,
        password,
        database: decode(url.path().trim_start_matches('/')),
        application_name: get("application_name"),
        options,
        sslmode,
        tls,
        pool: PoolSettings {
            max: pool.max.unwrap_or(10).max(1) as usize,
            min: pool.min.unwrap_or(0) as usize,
            acquire_timeout: (acquire_ms > 0).then(|| Duration::from_millis(acquire_ms)),
            idle_timeout: Duration::from_millis(pool.idle_timeout_ms.unwrap_or(10_000)),
        },
        connect_timeout: (connect_ms > 0).then(|| Duration::from_millis(connect_ms)),
        address,
        pgbouncer,
    })
}

/// The same words as runtime/config.ts.
fn pgbouncer_options_error() -> String {
    "the options URL parameter cannot be used with pgbouncer=true: PgBouncer refuses it at \
     startup, and in transaction pooling mode a session setting would not stay with this client; \
     set it on the server instead (ALTER ROLE … SET, ALTER DATABASE … SET)"
        .to_string()
}

fn read_pem(path: Option<String>, param: &str) -> DbResult<Option<Vec<u8>>> {
    match path {
        None => Ok(None),
        Some(path) => std::fs::read(&path)
            .map(Some)
            .map_err(|err| config_error(format!("cannot read {param} file \"{path}\": {err}"))),
    }
}

impl PgSettings {
    /// The tokio-postgres configuration of one connection (TLS is chosen by `tls::connector`).
    pub fn connection_config(&self) -> tokio_postgres::Config {
        let mut config = tokio_postgres::Config::new();
        match &self.host {
            PgHost::Tcp(host) => config.host(host),
            PgHost::Socket(dir) => config.host_path(dir),
        };
        config
            .port(self.port)
            .user(&self.user)
            .dbname(&self.database)
            .ssl_mode(match self.sslmode {
                SslMode::Disable => tokio_postgres::config::SslMode::Disable,
                SslMode::Prefer => tokio_postgres::config::SslMode::Prefer,
                _ => tokio_postgres::config::SslMode::Require,
            });
        if !self.options.is_empty() {
            config.options(&self.options);
        }
        if let Some(password) = &self.password {
            config.password(password);
        }
        if let Some(name) = &self.application_name {
            config.application_name(name);
        }
        if let Some(timeout) = self.connect_timeout {
            // Bounds each TCP connect (also a cancel request's); `PgPool` bounds the whole
            // connection attempt.
            config.connect_timeout(timeout);
        }
        config
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(url: &str) -> DbResult<PgSettings> {
        parse_settings(url, PoolOptions::default())
    }

    #[test]
    fn reads_the_parts_of_a_url() {
        let s =
            parse("postgres://ro%40t:p%2Fw@db.local:6543/my%20db?application_name=app").unwrap();
        assert_eq!(s.host, PgHost::Tcp("db.local".into()));
        assert_eq!(s.port, 6543);
        assert_eq!(s.user, "ro@t");
        assert_eq!(s.password.as_deref(), Some("p/w"));
        assert_eq!(s.database, "my db");
        assert_eq!(s.application_name.as_deref(), Some("app"));
        assert_eq!(s.address, "db.local:6543");
        assert_eq!(s.sslmode, SslMode::Disable);
        assert_eq!(s.options, SESSION_OPTIONS);
        assert_eq!(s.pool.max, 10);
        assert_eq!(s.pool.acquire_timeout, None);
        assert_eq!(
            s.connect_timeout,
            Some(Duration::from_millis(DEFAULT_CONNECT_TIMEOUT_MS))
        );
    }

    #[test]
    fn connect_timeout_from_the_option_then_the_url_then_the_default() {
        let with = |ms: Option<u64>, url: &str| {
            let options = PoolOptions {
                connect_timeout_ms: ms,
                ..Default::default()
            };
            parse_settings(url, options).unwrap().connect_timeout
        };
        let ms = Duration::from_millis;
        assert_eq!(with(None, "postgres://u@h/db"), Some(ms(10_000)));
        assert_eq!(
            with(None, "postgres://u@h/db?connect_timeout=3"),
            Some(ms(3000))
        );
        assert_eq!(
            with(Some(250), "postgres://u@h/db?connect_timeout=3"),
            Some(ms(250))
        );
        assert_eq!(with(Some(0), "postgres://u@h/db"), None);
        assert_eq!(with(None, "postgres://u@h/db?connect_timeout=0"), None);
    }

    #[test]
    fn appends_url_options_to_the_session_settings() {
        let s = parse("postgres://u@h/db?options=-c%20search_path%3Dx").unwrap();
        assert_eq!(s.options, format!("{SESSION_OPTIONS} -c search_path=x"));
    }

    #[test]
    fn pgbouncer_sends_no_startup_options() {
        let s = parse("postgres://u@h/db?pgbouncer=true").unwrap();
        assert!(s.pgbouncer);
        assert_eq!(s.options, "");
        assert!(
            !parse("postgres://u@h/db?pgbouncer=false")
                .unwrap()
                .pgbouncer
        );
        let e = parse("postgres://u@h/db?pgbouncer=true&options=-c%20x%3D1").unwrap_err();
        assert!(e
            .message
            .starts_with("the options URL parameter cannot be used"));
        let e = parse("postgres://u@h/db?pgbouncer=yes").unwrap_err();
        assert!(e.message.contains("pgbouncer must be true or false"));
    }

    #[test]
    fn socket_directory_and_ipv6() {
        let s = parse("postgres://u@h/db?host=/var/run/postgresql").unwrap();
        assert_eq!(s.host, PgHost::Socket("/var/run/postgresql".into()));
        assert_eq!(s.address, "/var/run/postgresql");
        let s = parse("postgres://u@[::1]:5433/db").unwrap();
        assert_eq!(s.host, PgHost::Tcp("::1".into()));
    }

    #[test]
    fn refuses_unknown_parameters_and_modes() {
        let e = parse("postgres://u@h/db?sslmod=require").unwrap_err();
        assert_eq!(e.kind, ErrorKind::Config);
        assert!(e
            .message
            .starts_with("unsupported Postgres URL parameter \"sslmod\""));
        let e = parse("postgres://u@h/db?sslmode=allow").unwrap_err();
        assert!(e.message.contains("unknown sslmode \"allow\""));
        let e = parse("postgres://u@h/db?connect_timeout=1.5").unwrap_err();
        assert!(e.message.contains("whole number of seconds"));
        let e =
            parse("postgres://u@h/db?sslmode=require&sslrootcert=/nonexistent.pem").unwrap_err();
        assert!(e
            .message
            .starts_with("cannot read sslrootcert file \"/nonexistent.pem\""));
    }

    #[test]
    fn acquire_timeout_falls_back_to_connect_timeout() {
        let s = parse("postgres://u@h/db?connect_timeout=3").unwrap();
        assert_eq!(s.pool.acquire_timeout, Some(Duration::from_secs(3)));
        let pool = PoolOptions {
            acquire_timeout_ms: Some(250),
            max: Some(2),
            ..Default::default()
        };
        let s = parse_settings("postgres://u@h/db?connect_timeout=3", pool).unwrap();
        assert_eq!(s.pool.acquire_timeout, Some(Duration::from_millis(250)));
        assert_eq!(s.pool.max, 2);
    }
}
