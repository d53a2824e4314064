//! TLS for Postgres connections through rustls: the `MakeTlsConnect` glue tokio-postgres needs,
//! and certificate checks by `sslmode` as libpq (and runtime/driver/pg/config.ts) define them:
//!
//! - `prefer`, `require`: encrypt, verify nothing — unless `sslrootcert` is given, then as
//!   `verify-ca`;
//! - `verify-ca`: the chain must lead to `sslrootcert` (or the system roots), any host name;
//! - `verify-full`: the chain and the host name.
//!
//! `sslcert` + `sslkey` add a client certificate.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::SystemTime;

use rustls::client::{ServerCertVerified, ServerCertVerifier, WebPkiVerifier};
use rustls::{Certificate, ClientConfig, PrivateKey, RootCertStore, ServerName};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio_postgres::tls::{ChannelBinding, MakeTlsConnect, TlsConnect, TlsStream};

use super::tls_error::tls_error_in;

use super::config::{SslMode, TlsFiles};
use crate::error::{DbError, DbResult, ErrorKind};

/// Makes one TLS connector per connection; cheap to clone (the rustls config is shared).
#[derive(Clone)]
pub struct MakeRustlsConnect {
    config: Arc<ClientConfig>,
}

impl MakeRustlsConnect {
    /// The connector for `mode` (not `Disable`), or a Config error naming the bad file.
    pub fn new(mode: SslMode, files: &TlsFiles) -> DbResult<Self> {
        let verify_chain =
            mode == SslMode::VerifyCa || mode == SslMode::VerifyFull || files.root_cert.is_some();
        let roots = if verify_chain {
            root_store(files)?
        } else {
            RootCertStore::empty()
        };
        let builder = ClientConfig::builder().with_safe_defaults();
        let builder = if !verify_chain {
            builder.with_custom_certificate_verifier(Arc::new(AcceptAnyCertificate))
        } else if mode == SslMode::VerifyFull {
            builder.with_custom_certificate_verifier(Arc::new(ChainAndName(WebPkiVerifier::new(
                roots, None,
            ))))
        } else {
            builder.with_custom_certificate_verifier(Arc::new(ChainOnly(WebPkiVerifier::new(
                roots, None,
            ))))
        };
        let config = match (&files.cert, &files.key) {
            (Some(cert), Some(key)) => builder
                .with_single_cert(certificates(cert, "sslcert")?, private_key(key)?)
                .map_err(|e| config_error(format!("sslcert / sslkey cannot be used: {e}")))?,
            (None, None) => builder.with_no_client_auth(),
            _ => {
                return Err(config_error(
                    "sslcert and sslkey must be given together".into(),
                ))
            }
        };
        Ok(MakeRustlsConnect {
            config: Arc::new(config),
        })
    }
}

fn config_error(message: String) -> DbError {
    DbError::new(ErrorKind::Config, message)
}

fn certificates(pem: &[u8], param: &str) -> DbResult<Vec<Certificate>> {
    let certs = rustls_pemfile::certs(&mut &pem[..])
        .map_err(|e| config_error(format!("{param} is not a PEM certificate file: {e}")))?;
    if certs.is_empty() {
        return Err(config_error(format!("{param} holds no PEM certificate")));
    }
    Ok(certs.into_iter().map(Certificate).collect())
}

fn private_key(pem: &[u8]) -> DbResult<PrivateKey> {
    use rustls_pemfile::Item;
    let items = rustls_pemfile::read_all(&mut &pem[..])
        .map_err(|e| config_error(format!("sslkey is not a PEM key file: {e}")))?;
    items
        .into_iter()
        .find_map(|item| match item {
            Item::RSAKey(k) | Item::PKCS8Key(k) | Item::ECKey(k) => Some(PrivateKey(k)),
            _ => None,
        })
        .ok_or_else(|| config_error("sslkey holds no PEM private key".into()))
}

/// `sslrootcert` when given, else the system's trust store (libpq reads ~/.postgresql/root.crt;
/// node-postgres, like this driver, uses the system roots).
fn root_store(files: &TlsFiles) -> DbResult<RootCertStore> {
    let mut roots = RootCertStore::empty();
    match &files.root_cert {
        Some(pem) => {
            for cert in certificates(pem, "sslrootcert")? {
                roots.add(&cert).map_err(|e| {
                    config_error(format!("sslrootcert holds an unusable certificate: {e}"))
                })?;
            }
        }
        None => {
            for cert in system_roots() {
                let _ = roots.add(&cert);
            }
        }
    }
    Ok(roots)
}

fn system_roots() -> Vec<Certificate> {
    let mut out = Vec::new();
    for path in [
        "/etc/ssl/certs/ca-certificates.crt",
        "/etc/pki/tls/certs/ca-bundle.crt",
    ] {
        if let Ok(pem) = std::fs::read(path) {
            if let Ok(certs) = rustls_pemfile::certs(&mut &pem[..]) {
                out.extend(certs.into_iter().map(Certificate));
                break;
            }
        }
    }
    out
}

/// `sslmode=require` without a root certificate: encrypted, unauthenticated (as libpq).
struct AcceptAnyCertificate;

impl ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &Certificate,
        _intermediates: &[Certificate],
        _server_name: &ServerName,
        _scts: &mut dyn Iterator<Item = &[u8]>,
        _ocsp_response: &[u8],
        _now: SystemTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }
}

/// `verify-full`: rustls' own check, with a clear word for an IP-address host (rustls 0.20
/// matches certificates against DNS names only).
struct ChainAndName(WebPkiVerifier);

impl ServerCertVerifier for ChainAndName {
    fn verify_server_cert(
        &self,
        end_entity: &Certificate,
        intermediates: &[Certificate],
        server_name: &ServerName,
        scts: &mut dyn Iterator<Item = &[u8]>,
        ocsp_response: &[u8],
        now: SystemTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if !matches!(server_name, ServerName::DnsName(_)) {
            return Err(rustls::Error::General(
                "sslmode=verify-full checks the certificate against the host name, and the URL \
                 names an IP address: use the host name the certificate was issued for, or \
                 sslmode=verify-ca"
                    .into(),
            ));
        }
        self.0.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            scts,
            ocsp_response,
            now,
        )
    }
}

/// `verify-ca`: the chain must verify, the name need not match. rustls checks the chain before
/// the name and reports a name mismatch as `CertNotValidForName`, so that error — and only that
/// one — means the chain was good. A placeholder DNS name stands in for IP-address hosts.
struct ChainOnly(WebPkiVerifier);

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &Certificate,
        intermediates: &[Certificate],
        server_name: &ServerName,
        scts: &mut dyn Iterator<Item = &[u8]>,
        ocsp_response: &[u8],
        now: SystemTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let name = match server_name {
            ServerName::DnsName(_) => server_name.clone(),
            _ => ServerName::try_from("verify-ca.invalid").expect("a valid DNS name"),
        };
        match self
            .0
            .verify_server_cert(end_entity, intermediates, &name, scts, ocsp_response, now)
        {
            Err(rustls::Error::InvalidCertificateData(why))
                if why.contains("CertNotValidForName") =>
            {
                Ok(ServerCertVerified::assertion())
            }
            other => other,
        }
    }
}

impl<S> MakeTlsConnect<S> for MakeRustlsConnect
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    type Stream = RustlsStream<S>;
    type TlsConnect = RustlsConnect;
    type Error = io::Error;

    fn make_tls_connect(&mut self, host: &str) -> io::Result<RustlsConnect> {
        let name = ServerName::try_from(host)
            .or_else(|_| ServerName::try_from("localhost"))
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        Ok(RustlsConnect {
            config: self.config.clone(),
            name,
        })
    }
}

pub struct RustlsConnect {
    config: Arc<ClientConfig>,
    name: ServerName,
}

impl<S> TlsConnect<S> for RustlsConnect
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    type Stream = RustlsStream<S>;
    type Error = io::Error;
    type Future = Pin<Box<dyn Future<Output = io::Result<RustlsStream<S>>> + Send>>;

    fn connect(self, stream: S) -> Self::Future {
        let connector = tokio_rustls::TlsConnector::from(self.config);
        Box::pin(async move {
            let tls = connector.connect(self.name, stream).await?;
            Ok(RustlsStream(tls))
        })
    }
}

pub struct RustlsStream<S>(tokio_rustls::client::TlsStream<S>);

impl<S: AsyncRead + AsyncWrite + Unpin> TlsStream for RustlsStream<S> {
    fn channel_binding(&self) -> ChannelBinding {
        ChannelBinding::none()
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncRead for RustlsStream<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> RustlsStream<S> {
    /// A write that failed because the server closed the connection: in TLS 1.3 the server
    /// checks our certificate after our side of the handshake ended, so its alert (and close)
    /// can race our first write. The alert may already be in the socket: read it, and report it
    /// instead of "broken pipe" (tls_error.rs words it).
    fn alert_instead(&mut self, cx: &mut Context<'_>, err: io::Error) -> io::Error {
        if !matches!(
            err.kind(),
            io::ErrorKind::BrokenPipe
                | io::ErrorKind::ConnectionReset
                | io::ErrorKind::ConnectionAborted
        ) {
            return err;
        }
        let mut scratch = [0u8; 512];
        let mut buf = ReadBuf::new(&mut scratch);
        match Pin::new(&mut self.0).poll_read(cx, &mut buf) {
            Poll::Ready(Err(read)) if tls_error_in(&read).is_some() => read,
            _ => err,
        }
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncWrite for RustlsStream<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match Pin::new(&mut self.0).poll_write(cx, buf) {
            Poll::Ready(Err(err)) => Poll::Ready(Err(self.alert_instead(cx, err))),
            other => other,
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match Pin::new(&mut self.0).poll_flush(cx) {
            Poll::Ready(Err(err)) => Poll::Ready(Err(self.alert_instead(cx, err))),
            other => other,
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_unusable_files_by_name() {
        let not_pem = TlsFiles {
            root_cert: Some(b"not a certificate".to_vec()),
            ..Default::default()
        };
        let err = MakeRustlsConnect::new(SslMode::VerifyFull, &not_pem)
            .err()
            .expect("an error");
        assert_eq!(err.kind, ErrorKind::Config);
        assert!(err.message.contains("sslrootcert"), "{}", err.message);
        let half = TlsFiles {
            cert: Some(Vec::new()),
            ..Default::default()
        };
        let err = MakeRustlsConnect::new(SslMode::Require, &half)
            .err()
            .expect("an error");
        assert!(err
            .message
            .contains("sslcert and sslkey must be given together"));
    }

    #[test]
    fn require_without_a_root_certificate_needs_no_files() {
        assert!(MakeRustlsConnect::new(SslMode::Require, &TlsFiles::default()).is_ok());
        assert!(MakeRustlsConnect::new(SslMode::Prefer, &TlsFiles::default()).is_ok());
    }
}
