//! A TLS failure of a Postgres connection in plain words: an alert the server sent (it refused
//! our client certificate, or the handshake) or a certificate of the server we did not accept.
//! rustls reports both as a `rustls::Error` inside the `io::Error` of the stream, whether the
//! handshake was still running (tokio-postgres' "error performing TLS handshake") or had ended
//! on our side, as it has in TLS 1.3 before the server checks our certificate (the alert then
//! arrives while tokio-postgres reads the answer to its startup message).

use std::borrow::Cow;
use std::io;

use rustls::AlertDescription;

use crate::error::{DbError, ErrorKind};

/// The rustls error an `io::Error` of the connection stream carries, if any. (`io::Error`'s
/// `source()` skips the error it wraps, so a walk of the source chain never sees it.)
pub fn tls_error_in(io: &io::Error) -> Option<&rustls::Error> {
    io.get_ref()?.downcast_ref::<rustls::Error>()
}

/// The Connection error for a TLS failure with the server at `address`.
pub fn tls_failure(err: &rustls::Error, address: &str) -> DbError {
    let message = match err {
        rustls::Error::AlertReceived(alert) => alert_message(*alert, address),
        rustls::Error::InvalidCertificateData(why) => {
            format!("the server at {address} sent a certificate we do not accept: {why}")
        }
        rustls::Error::General(why) => format!("TLS with the server at {address} failed: {why}"),
        other => format!("TLS with the server at {address} failed: {other}"),
    };
    DbError::new(ErrorKind::Connection, message)
}

fn alert_message(alert: AlertDescription, address: &str) -> String {
    let words = alert_words(alert);
    match alert {
        AlertDescription::UnknownCA => format!(
            "the server at {address} refused our client certificate (TLS alert: {words}): \
             the CA that signed sslcert is not one the server trusts (its ssl_ca_file)"
        ),
        AlertDescription::BadCertificate
        | AlertDescription::UnsupportedCertificate
        | AlertDescription::CertificateRevoked
        | AlertDescription::CertificateExpired
        | AlertDescription::CertificateUnknown
        | AlertDescription::AccessDenied => {
            format!("the server at {address} refused our client certificate (TLS alert: {words})")
        }
        AlertDescription::CertificateRequired | AlertDescription::NoCertificate => format!(
            "the server at {address} asks for a client certificate and we sent none \
             (TLS alert: {words}): set sslcert and sslkey"
        ),
        AlertDescription::HandshakeFailure
        | AlertDescription::ProtocolVersion
        | AlertDescription::InsufficientSecurity
        | AlertDescription::IllegalParameter => {
            format!("the server at {address} refused the TLS handshake (TLS alert: {words})")
        }
        _ => format!("the server at {address} ended the TLS session (TLS alert: {words})"),
    }
}

/// The alert's name as the TLS RFCs spell it, in words.
fn alert_words(alert: AlertDescription) -> Cow<'static, str> {
    Cow::Borrowed(match alert {
        AlertDescription::CloseNotify => "close notify",
        AlertDescription::UnexpectedMessage => "unexpected message",
        AlertDescription::BadRecordMac => "bad record MAC",
        AlertDescription::HandshakeFailure => "handshake failure",
        AlertDescription::NoCertificate => "no certificate",
        AlertDescription::BadCertificate => "bad certificate",
        AlertDescription::UnsupportedCertificate => "unsupported certificate",
        AlertDescription::CertificateRevoked => "certificate revoked",
        AlertDescription::CertificateExpired => "certificate expired",
        AlertDescription::CertificateUnknown => "certificate unknown",
        AlertDescription::IllegalParameter => "illegal parameter",
        AlertDescription::UnknownCA => "unknown CA",
        AlertDescription::AccessDenied => "access denied",
        AlertDescription::DecodeError => "decode error",
        AlertDescription::DecryptError => "decrypt error",
        AlertDescription::ProtocolVersion => "protocol version",
        AlertDescription::InsufficientSecurity => "insufficient security",
        AlertDescription::InternalError => "internal error",
        AlertDescription::UserCanceled => "user canceled",
        AlertDescription::CertificateRequired => "certificate required",
        other => return Cow::Owned(format!("{other:?}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alert(alert: AlertDescription) -> String {
        tls_failure(&rustls::Error::AlertReceived(alert), "db:5432").message
    }

    #[test]
    fn finds_the_rustls_error_inside_the_stream_error() {
        let io = io::Error::new(
            io::ErrorKind::InvalidData,
            rustls::Error::AlertReceived(AlertDescription::UnknownCA),
        );
        assert!(matches!(
            tls_error_in(&io),
            Some(rustls::Error::AlertReceived(AlertDescription::UnknownCA))
        ));
        let codec = io::Error::new(io::ErrorKind::InvalidInput, "unknown message tag `H`");
        assert!(tls_error_in(&codec).is_none());
        assert!(tls_error_in(&io::Error::from(io::ErrorKind::InvalidData)).is_none());
    }

    #[test]
    fn says_which_certificate_the_server_refused() {
        assert_eq!(
            alert(AlertDescription::UnknownCA),
            "the server at db:5432 refused our client certificate (TLS alert: unknown CA): \
             the CA that signed sslcert is not one the server trusts (its ssl_ca_file)"
        );
        assert_eq!(
            alert(AlertDescription::BadCertificate),
            "the server at db:5432 refused our client certificate (TLS alert: bad certificate)"
        );
        assert!(alert(AlertDescription::CertificateRequired).contains(
            "asks for a client certificate and we sent none (TLS alert: certificate required)"
        ));
        assert!(alert(AlertDescription::HandshakeFailure)
            .contains("refused the TLS handshake (TLS alert: handshake failure)"));
        assert!(alert(AlertDescription::UnrecognisedName)
            .contains("ended the TLS session (TLS alert: UnrecognisedName)"));
        let err = tls_failure(
            &rustls::Error::AlertReceived(AlertDescription::UnknownCA),
            "x",
        );
        assert_eq!(err.kind, ErrorKind::Connection);
    }

    #[test]
    fn keeps_the_reason_of_a_server_certificate_we_refuse() {
        let err = tls_failure(
            &rustls::Error::InvalidCertificateData(
                "invalid peer certificate: UnknownIssuer".into(),
            ),
            "db:5432",
        );
        assert_eq!(
            err.message,
            "the server at db:5432 sent a certificate we do not accept: \
             invalid peer certificate: UnknownIssuer"
        );
    }
}
