//! The router: pages, APIs and replay, with security headers on every answer and the
//! optional access token.

use std::net::IpAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sha2::{Digest, Sha256};

use super::catalog::Catalog;
use super::reply::HttpError;
use super::{api, pages, replay};

/// Server settings beyond the index.
#[derive(Debug, Clone, Default)]
pub struct ServeOptions {
    /// When set, every request must carry this token (`Authorization: Bearer`, the
    /// `newsarc_token` cookie, or `?token=` once, which sets the cookie).
    pub auth_token: Option<String>,
    /// The address the server listens on. Without a token, only requests whose `Host` is
    /// localhost, a loopback address or this address are answered (DNS rebinding: a page
    /// of another site whose name now points here must not read the archive). When it is
    /// unspecified (`0.0.0.0`, `::`), any IP address is accepted as `Host`.
    pub bind_ip: Option<IpAddr>,
}

/// What every handler sees.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The index.
    pub catalog: Arc<Catalog>,
    auth: Option<Arc<str>>,
    bind_ip: Option<IpAddr>,
    /// `_k<key>/` when a token is set (replay URLs carry it: a sandboxed page sends no
    /// cookies), else empty.
    pub replay_key: String,
}

const COOKIE: &str = "newsarc_token";

/// The CSP of the app's own pages: nothing but this origin, no scripts at all.
const APP_CSP: &str = "default-src 'self'; script-src 'none'; object-src 'none'; \
    img-src 'self' data:; style-src 'self'; frame-src 'self'; form-action 'self'; \
    base-uri 'none'; frame-ancestors 'none'";

impl AppState {
    /// State for `catalog` with `opts`.
    pub fn new(catalog: Arc<Catalog>, opts: &ServeOptions) -> AppState {
        let auth: Option<Arc<str>> = opts.auth_token.as_deref().map(Arc::from);
        let replay_key = match &auth {
            Some(t) => {
                let mut h = Sha256::new();
                h.update(b"newsarc-replay\0");
                h.update(t.as_bytes());
                let hex: String = h.finalize()[..12]
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect();
                format!("_k{hex}/")
            }
            None => String::new(),
        };
        AppState {
            catalog,
            auth,
            bind_ip: opts.bind_ip,
            replay_key,
        }
    }

    /// True when no token is set or the request carries it.
    fn authorized(&self, headers: &HeaderMap, query: Option<&str>) -> bool {
        let Some(token) = &self.auth else { return true };
        let bearer = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        let cookie = headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|c| {
                c.trim()
                    .strip_prefix(&format!("{COOKIE}="))
                    .map(str::to_string)
            })
            .collect::<Vec<_>>();
        let param = super::query::Params::parse(query)
            .get("token")
            .map(str::to_string);
        bearer.is_some_and(|b| same(b, token))
            || cookie.iter().any(|c| same(c, token))
            || param.is_some_and(|p| same(&p, token))
    }

    /// True when a replay request may be answered: no token set, the right key in the
    /// path, or the token itself.
    pub fn replay_allowed(&self, key: Option<&str>, headers: &HeaderMap) -> bool {
        if self.auth.is_none() {
            return true;
        }
        let want = self
            .replay_key
            .trim_start_matches("_k")
            .trim_end_matches('/');
        key.is_some_and(|k| same(k, want)) || self.authorized(headers, None)
    }
}

/// True when `host` (the `Host` header, or the request's authority) may be answered
/// without a token: localhost, a loopback address, `bind` itself, or any IP address when
/// `bind` is unspecified. A name is refused: it may be a rebinding attacker's. No host at
/// all (HTTP/1.0 tools) is allowed: a browser always sends one.
fn host_allowed(host: Option<&str>, bind: Option<IpAddr>) -> bool {
    let Some(host) = host else { return true };
    let Ok(authority) = host.parse::<axum::http::uri::Authority>() else {
        return false;
    };
    let name = authority.host();
    let ip = name.trim_start_matches('[').trim_end_matches(']');
    match ip.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback() || bind.is_some_and(|b| b == ip || b.is_unspecified()),
        Err(_) => {
            let name = name.trim_end_matches('.');
            name.eq_ignore_ascii_case("localhost")
        }
    }
}

/// The host a request names: its `Host` header, else its URI's authority (HTTP/2).
fn request_host(req: &Request) -> Option<String> {
    req.headers()
        .get(header::HOST)
        .map(|v| v.to_str().unwrap_or("\u{fffd}").to_string())
        .or_else(|| req.uri().authority().map(|a| a.to_string()))
}

/// True when a token is set and the query's `token` parameter is that token (only then
/// may the answer set the cookie: it carries the real token).
fn token_param_valid(auth: Option<&str>, query: Option<&str>) -> bool {
    let Some(token) = auth else { return false };
    super::query::Params::parse(query)
        .get("token")
        .is_some_and(|p| same(p, token))
}

/// Compare without an early exit on the first differing byte.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::overview::page))
        .route("/site/{site}", get(pages::site::page))
        .route("/search", get(pages::search::page))
        .route("/capture", get(pages::capture::page))
        .route("/raw", get(pages::raw::page))
        .route("/record", get(pages::raw::download))
        .route("/static/app.css", get(pages::stylesheet))
        .route("/cdx", get(api::cdx))
        .route("/api/articles", get(api::articles))
        .route("/replay/{*rest}", get(replay::replay))
        .fallback(|| async { HttpError::not_found("no such page") })
        .layer(from_fn_with_state(state.clone(), guard))
        .with_state(state)
}

/// Access token check and security headers.
async fn guard(State(s): State<AppState>, req: Request, next: Next) -> Response {
    let is_replay = req.uri().path().starts_with(replay::PREFIX);
    let query = req.uri().query().map(str::to_string);
    let set_cookie = !is_replay && token_param_valid(s.auth.as_deref(), query.as_deref());
    if s.auth.is_none() && !host_allowed(request_host(&req).as_deref(), s.bind_ip) {
        return HttpError {
            status: StatusCode::FORBIDDEN,
            message: "this server answers only requests for localhost, 127.0.0.1, [::1] or \
                      the address it listens on (another name may be a DNS rebinding \
                      attack): open it by address, or start it with --auth-token"
                .into(),
        }
        .into_response();
    }
    if !is_replay && !s.authorized(req.headers(), query.as_deref()) {
        let mut r = HttpError {
            status: StatusCode::UNAUTHORIZED,
            message: "this server needs its access token: open the link with ?token=… \
                      or send Authorization: Bearer …"
                .into(),
        }
        .into_response();
        r.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return r;
    }
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    if set_cookie
        && let Some(t) = &s.auth
        && let Ok(v) =
            HeaderValue::from_str(&format!("{COOKIE}={t}; HttpOnly; SameSite=Strict; Path=/"))
    {
        h.insert(header::SET_COOKIE, v);
    }
    if !is_replay {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(APP_CSP),
        );
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        h.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        h.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_time_compare() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "abcd"));
    }

    #[test]
    fn only_the_right_token_parameter_is_valid() {
        let auth = Some("right-token");
        assert!(token_param_valid(auth, Some("token=right-token")));
        assert!(token_param_valid(auth, Some("a=1&token=right-token")));
        assert!(!token_param_valid(auth, Some("token=wrong-token")));
        assert!(!token_param_valid(auth, Some("token=x")));
        assert!(!token_param_valid(auth, Some("token=")));
        assert!(!token_param_valid(auth, None));
        assert!(!token_param_valid(None, Some("token=right-token")));
    }

    #[test]
    fn only_local_or_bound_hosts_without_a_token() {
        let lan: IpAddr = "192.168.1.5".parse().unwrap();
        let any: IpAddr = "0.0.0.0".parse().unwrap();
        for h in [
            "localhost",
            "LocalHost:8080",
            "localhost.:1",
            "127.0.0.1",
            "127.0.0.1:3000",
            "[::1]",
            "[::1]:8080",
        ] {
            assert!(host_allowed(Some(h), None), "{h}");
        }
        assert!(host_allowed(None, None));
        for h in [
            "evil.example",
            "evil.example:8080",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "192.168.1.5:80",
            "",
            "\u{fffd}",
            "a b",
        ] {
            assert!(!host_allowed(Some(h), None), "{h}");
        }
        assert!(host_allowed(Some("192.168.1.5:8080"), Some(lan)));
        assert!(!host_allowed(Some("192.168.1.6:8080"), Some(lan)));
        assert!(host_allowed(Some("10.0.0.2:8080"), Some(any)));
        assert!(!host_allowed(Some("evil.example"), Some(any)));
    }
}
