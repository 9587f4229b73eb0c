//! A small local news site for discovery tests: pages can be replaced while it runs (new
//! articles between two polls), answers conditional GETs (`ETag` / `If-None-Match` → 304),
//! and logs every request.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{HeaderValue, Request, Response, StatusCode, header};
use url::Url;

/// One resource of the site.
#[derive(Clone)]
struct Page {
    content_type: String,
    /// `Content-Encoding`, when the body is sent compressed.
    encoding: Option<String>,
    body: Vec<u8>,
}

/// One request the server answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Path and query.
    pub path: String,
    /// Whether the request carried `If-None-Match` or `If-Modified-Since`.
    pub conditional: bool,
    /// The status sent.
    pub status: u16,
}

#[derive(Default)]
struct State {
    pages: HashMap<String, Page>,
    hits: Vec<Hit>,
}

/// The running site; stops when dropped (the server thread ends with the test process).
pub struct TestSite {
    /// `http://127.0.0.1:<port>/`.
    pub base: Url,
    state: Arc<Mutex<State>>,
}

fn etag(body: &[u8]) -> String {
    let mut h = DefaultHasher::new();
    body.hash(&mut h);
    format!("\"{:016x}\"", h.finish())
}

async fn handle(state: Arc<Mutex<State>>, req: Request<Body>) -> Response<Body> {
    let path = req
        .uri()
        .path_and_query()
        .map(|p| p.to_string())
        .unwrap_or_else(|| "/".into());
    let inm = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    let conditional = inm.is_some() || req.headers().contains_key(header::IF_MODIFIED_SINCE);
    let page = state.lock().unwrap().pages.get(&path).cloned();
    let resp = match page {
        None => Response::builder()
            .status(StatusCode::NOT_FOUND)
            .body(Body::from("not found")),
        Some(p) => {
            let tag = etag(&p.body);
            if inm.as_deref() == Some(tag.as_str()) {
                Response::builder()
                    .status(StatusCode::NOT_MODIFIED)
                    .header(header::ETAG, tag)
                    .body(Body::empty())
            } else {
                let mut b = Response::builder()
                    .status(StatusCode::OK)
                    .header(
                        header::CONTENT_TYPE,
                        HeaderValue::from_str(&p.content_type).unwrap(),
                    )
                    .header(header::ETAG, tag);
                if let Some(enc) = &p.encoding {
                    b = b.header(
                        header::CONTENT_ENCODING,
                        HeaderValue::from_str(enc).unwrap(),
                    );
                }
                b.body(Body::from(p.body))
            }
        }
    }
    .unwrap();
    state.lock().unwrap().hits.push(Hit {
        path,
        conditional,
        status: resp.status().as_u16(),
    });
    resp
}

impl TestSite {
    /// Starts the server on 127.0.0.1 (port chosen by the OS) in a background thread.
    pub fn start() -> TestSite {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let base = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
        let state: Arc<Mutex<State>> = Arc::default();
        let st = Arc::clone(&state);
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                let app = axum::Router::new()
                    .fallback(move |req: Request<Body>| handle(Arc::clone(&st), req));
                axum::serve(listener, app).await.unwrap();
            });
        });
        TestSite { base, state }
    }

    /// Absolute URL of `path` on this site.
    pub fn url(&self, path: &str) -> Url {
        self.base.join(path).unwrap()
    }

    /// Serves `body` at `path` (with `{base}` replaced by the site's base URL, without the
    /// trailing slash).
    pub fn put(&self, path: &str, content_type: &str, body: &str) {
        let body = body.replace("{base}", self.base.as_str().trim_end_matches('/'));
        self.put_bytes(path, content_type, body.into_bytes());
    }

    /// Serves raw bytes at `path`.
    pub fn put_bytes(&self, path: &str, content_type: &str, body: Vec<u8>) {
        let page = Page {
            content_type: content_type.into(),
            encoding: None,
            body,
        };
        self.state.lock().unwrap().pages.insert(path.into(), page);
    }

    /// Serves `body` (already compressed) at `path` with `Content-Encoding: encoding`.
    pub fn put_encoded(&self, path: &str, content_type: &str, encoding: &str, body: Vec<u8>) {
        let page = Page {
            content_type: content_type.into(),
            encoding: Some(encoding.into()),
            body,
        };
        self.state.lock().unwrap().pages.insert(path.into(), page);
    }

    /// Requests answered so far.
    pub fn hits(&self) -> Vec<Hit> {
        self.state.lock().unwrap().hits.clone()
    }

    /// Forgets the request log.
    pub fn clear_hits(&self) {
        self.state.lock().unwrap().hits.clear();
    }
}
