//! A scriptable HTTP server for crawl tests: binds 127.0.0.x on port 0, answers every request
//! through a closure, and logs each request (path, time, headers) for the assertions.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::Response;

/// One logged request.
#[derive(Debug, Clone)]
pub struct Hit {
    /// Path and query as requested.
    pub path: String,
    /// When it arrived.
    pub at: Instant,
    /// Request headers.
    pub headers: HeaderMap,
}

/// What the handler answers.
#[derive(Debug, Clone)]
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// Headers.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Vec<u8>,
    /// Wait this long before answering.
    pub delay: Duration,
}

impl Reply {
    /// 200 with a content type.
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status: 200,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.into(),
            delay: Duration::ZERO,
        }
    }
    /// 200 text/html; charset=utf-8.
    pub fn html(body: impl Into<Vec<u8>>) -> Reply {
        Reply::ok("text/html; charset=utf-8", body)
    }
    /// A bare status.
    pub fn status(status: u16) -> Reply {
        Reply {
            status,
            headers: vec![("content-type".into(), "text/plain".into())],
            body: format!("status {status}").into_bytes(),
            delay: Duration::ZERO,
        }
    }
    /// A redirect.
    pub fn redirect(status: u16, to: &str) -> Reply {
        Reply::status(status).header("location", to)
    }
    /// Add a header.
    pub fn header(mut self, k: &str, v: &str) -> Reply {
        self.headers.push((k.into(), v.into()));
        self
    }
    /// Delay the answer.
    pub fn delayed(mut self, d: Duration) -> Reply {
        self.delay = d;
        self
    }
}

/// `(path with query, request headers, how many earlier hits this path had) -> reply`.
pub type Handler = Arc<dyn Fn(&str, &HeaderMap, usize) -> Reply + Send + Sync>;

#[derive(Clone)]
struct Ctx {
    log: Arc<Mutex<Vec<Hit>>>,
    gauge: Arc<Mutex<(usize, usize)>>,
    counts: Arc<Mutex<HashMap<String, usize>>>,
    handler: Handler,
}

/// A running server.
pub struct Server {
    /// Bound address.
    pub addr: SocketAddr,
    log: Arc<Mutex<Vec<Hit>>>,
    /// Requests being answered now, and the most there ever were at once.
    gauge: Arc<Mutex<(usize, usize)>>,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    /// Start on `ip` (e.g. "127.0.0.1", "127.0.0.2") with a free port.
    pub async fn start(ip: &str, handler: Handler) -> Server {
        let listener = tokio::net::TcpListener::bind(format!("{ip}:0"))
            .await
            .unwrap();
        let addr = listener.local_addr().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let gauge = Arc::new(Mutex::new((0, 0)));
        let ctx = Ctx {
            log: log.clone(),
            gauge: gauge.clone(),
            counts: Arc::new(Mutex::new(HashMap::new())),
            handler,
        };
        let app = axum::Router::new().fallback(handle).with_state(ctx);
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Server {
            addr,
            log,
            gauge,
            task,
        }
    }

    /// The most requests this server was answering at once (from arrival to reply).
    pub fn max_in_flight(&self) -> usize {
        self.gauge.lock().unwrap().1
    }

    /// Every request so far.
    pub fn hits(&self) -> Vec<Hit> {
        self.log.lock().unwrap().clone()
    }

    /// Paths requested so far, in order.
    pub fn paths(&self) -> Vec<String> {
        self.hits().into_iter().map(|h| h.path).collect()
    }

    /// How many times `path` was requested.
    pub fn count(&self, path: &str) -> usize {
        self.hits().iter().filter(|h| h.path == path).count()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn handle(State(ctx): State<Ctx>, req: Request) -> Response {
    let path = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let n = {
        let mut c = ctx.counts.lock().unwrap();
        let e = c.entry(path.clone()).or_default();
        *e += 1;
        *e - 1
    };
    ctx.log.lock().unwrap().push(Hit {
        path: path.clone(),
        at: Instant::now(),
        headers: req.headers().clone(),
    });
    {
        let mut g = ctx.gauge.lock().unwrap();
        g.0 += 1;
        g.1 = g.1.max(g.0);
    }
    let reply = (ctx.handler)(&path, req.headers(), n);
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    ctx.gauge.lock().unwrap().0 -= 1;
    let mut resp = Response::new(Body::from(reply.body));
    *resp.status_mut() = StatusCode::from_u16(reply.status).unwrap();
    for (k, v) in reply.headers {
        resp.headers_mut().append(
            HeaderName::from_bytes(k.as_bytes()).unwrap(),
            HeaderValue::from_str(&v).unwrap(),
        );
    }
    resp
}
