//! Error answers: a status and a one-line message, as plain text (never a 500 for a bad
//! request: parameters are checked first and answered with 400).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::ServeError;
use super::query::BadParam;

/// An HTTP error answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpError {
    /// Status code.
    pub status: StatusCode,
    /// What went wrong and how to fix it.
    pub message: String,
}

impl HttpError {
    /// 400 with `message`.
    pub fn bad_request(message: impl Into<String>) -> Self {
        HttpError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }

    /// 404 with `message`.
    pub fn not_found(message: impl Into<String>) -> Self {
        HttpError {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
        }
    }

    /// 500: `detail` (which may name files on this machine) goes to the server log under
    /// a short error id; the answer carries only that id.
    pub fn internal(detail: impl Into<String>) -> Self {
        let id = error_id();
        tracing::error!(error_id = %id, "{}", detail.into());
        HttpError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: format!("internal error {id}: the server log has the details"),
        }
    }
}

/// Eight hex digits naming one error in the log.
fn error_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..8].to_string()
}

impl From<BadParam> for HttpError {
    fn from(e: BadParam) -> Self {
        HttpError::bad_request(e.to_string())
    }
}

impl From<ServeError> for HttpError {
    fn from(e: ServeError) -> Self {
        HttpError::internal(e.to_string())
    }
}

impl From<askama::Error> for HttpError {
    fn from(e: askama::Error) -> Self {
        HttpError::internal(format!("template: {e}"))
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let body = format!(
            "{} {}: {}\n",
            self.status.as_u16(),
            self.status.canonical_reason().unwrap_or(""),
            self.message
        );
        let mut r = (self.status, body).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        r
    }
}

/// Run blocking work (SQLite, archive reads) off the async threads.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, HttpError> + Send + 'static,
) -> Result<T, HttpError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| HttpError::internal(format!("worker failed: {e}")))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_500_names_no_path_only_an_id() {
        let e = HttpError::from(ServeError::io(
            "/home/someone/archive/.newsarc-serve/catalog.sqlite",
            std::io::Error::other("disk on fire"),
        ));
        assert_eq!(e.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(
            !e.message.contains("/home") && !e.message.contains("disk on fire"),
            "{}",
            e.message
        );
        let id = e
            .message
            .strip_prefix("internal error ")
            .and_then(|m| m.split(':').next())
            .unwrap_or_default();
        assert_eq!(id.len(), 8, "{}", e.message);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
        assert_ne!(
            HttpError::internal("x").message,
            HttpError::internal("x").message
        );
    }
}
