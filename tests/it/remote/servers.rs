//! The servers the remote-input tests read from, all on 127.0.0.1: nginx (installed by
//! `.ci/nginx`) serving a folder with Range support, moto's S3 server (from `.ci/moto`'s venv),
//! and a raw fault server that drops connections mid-body or answers 403.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Run a `.ci/` provisioning script once across test processes, under an exclusive flock.
fn provision(script: &str, ready: &Path) {
    if ready.exists() {
        return;
    }
    let lock = File::create(repo().join(format!(".{script}.lock"))).expect("create lock file");
    // SAFETY: flock on a descriptor we own; released when `lock` is dropped.
    let rc = unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX) };
    assert_eq!(rc, 0, "flock: {}", std::io::Error::last_os_error());
    if !ready.exists() {
        let st = Command::new("bash")
            .arg(repo().join(".ci").join(script))
            .status()
            .expect("run the .ci script");
        assert!(
            st.success(),
            ".ci/{script} failed (it needs apt-get / PyPI)"
        );
    }
}

/// A free port on 127.0.0.1 (bound, then released for the server to take).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_for_port(port: u16, child: &mut Child, what: &str) {
    let until = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(st)) = child.try_wait() {
            panic!("{what} exited before listening: {st}");
        }
        assert!(Instant::now() < until, "{what} did not listen on {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A child process killed when the test ends.
pub struct Server {
    child: Child,
    /// The server's port on 127.0.0.1.
    pub port: u16,
    /// Its working folder (nginx: config, access log).
    pub dir: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// `http://127.0.0.1:PORT`.
    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// nginx's access log lines: `METHOD URI STATUS BYTES "RANGE"`.
    pub fn access_log(&self) -> Vec<String> {
        std::fs::read_to_string(self.dir.join("access.log"))
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }
}

/// nginx serving `root` on a free port, its logs in `work`.
pub fn nginx(root: &Path, work: &Path) -> Server {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| provision("nginx", Path::new("/usr/sbin/nginx")));
    let port = free_port();
    let d = work.display();
    std::fs::create_dir_all(work.join("tmp")).unwrap();
    let conf = format!(
        "daemon off;\nmaster_process off;\nworker_processes 1;\npid {d}/nginx.pid;\n\
         error_log {d}/error.log;\nevents {{ worker_connections 256; }}\nhttp {{\n\
         log_format t '$request_method $uri $status $body_bytes_sent \"$http_range\"';\n\
         access_log {d}/access.log t;\n\
         client_body_temp_path {d}/tmp; proxy_temp_path {d}/tmp; fastcgi_temp_path {d}/tmp;\n\
         uwsgi_temp_path {d}/tmp; scgi_temp_path {d}/tmp;\n\
         server {{ listen 127.0.0.1:{port}; root {}; }}\n}}\n",
        root.display()
    );
    std::fs::write(work.join("nginx.conf"), conf).unwrap();
    let mut child = Command::new("/usr/sbin/nginx")
        .arg("-p")
        .arg(work)
        .arg("-c")
        .arg(work.join("nginx.conf"))
        .stderr(Stdio::null())
        .spawn()
        .expect("start nginx");
    wait_for_port(port, &mut child, "nginx");
    Server {
        child,
        port,
        dir: work.to_path_buf(),
    }
}

/// The Python of `.ci/moto`'s venv (moto, boto3).
pub fn moto_python() -> PathBuf {
    static VENV: OnceLock<PathBuf> = OnceLock::new();
    VENV.get_or_init(|| {
        provision("moto", &repo().join(".venv-moto/.newsarc-ready"));
        repo().join(".venv-moto/bin/python")
    })
    .clone()
}

/// moto's S3 server on a free port.
pub fn moto(work: &Path) -> Server {
    let port = free_port();
    let mut child = Command::new(moto_python())
        .args([
            "-m",
            "moto.server",
            "-H",
            "127.0.0.1",
            "-p",
            &port.to_string(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start moto");
    wait_for_port(port, &mut child, "moto");
    Server {
        child,
        port,
        dir: work.to_path_buf(),
    }
}

/// What the fault server does with every request.
#[derive(Clone, Copy)]
pub enum Fault {
    /// Serve `data` honouring `Range: bytes=X-`, but close the connection once byte `cut` of
    /// the file is sent (Content-Length promises the rest); `.cdxj` paths are 404.
    DropAt(usize),
    /// Answer 403 Forbidden.
    Forbidden,
}

/// A raw HTTP server on 127.0.0.1 answering every request with `fault` over `data`; counts
/// requests. Runs until the process ends.
pub fn fault_server(data: Vec<u8>, fault: Fault) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let count = hits.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(conn) = conn else { continue };
            count.fetch_add(1, Ordering::SeqCst);
            let _ = answer(conn, &data, fault);
        }
    });
    (base, hits)
}

fn answer(conn: TcpStream, data: &[u8], fault: Fault) -> std::io::Result<()> {
    conn.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut r = BufReader::new(conn.try_clone()?);
    let (mut method, mut path, mut start) = (String::new(), String::new(), 0usize);
    let mut line = String::new();
    while r.read_line(&mut line)? > 0 && line != "\r\n" {
        if method.is_empty() {
            let mut parts = line.split(' ');
            method = parts.next().unwrap_or("").to_string();
            path = parts.next().unwrap_or("").to_string();
        }
        let lower = line.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("range: bytes=") {
            start = v
                .trim()
                .split('-')
                .next()
                .unwrap_or("0")
                .parse()
                .unwrap_or(0);
        }
        line.clear();
    }
    let mut w = conn;
    if path.ends_with(".cdxj") && matches!(fault, Fault::DropAt(_)) {
        // No index: readers scan the archive itself.
        return write!(
            w,
            "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
    }
    let head = match fault {
        Fault::Forbidden => {
            let body = "<Error><Code>AccessDenied</Code></Error>";
            write!(
                w,
                "HTTP/1.1 403 Forbidden\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )?;
            return Ok(());
        }
        Fault::DropAt(_) if start > 0 => format!(
            "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes {start}-{}/{}\r\nContent-Length: {}\r\n",
            data.len() - 1,
            data.len(),
            data.len() - start
        ),
        Fault::DropAt(_) => format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n", data.len()),
    };
    write!(w, "{head}Accept-Ranges: bytes\r\nConnection: close\r\n\r\n")?;
    if method == "HEAD" {
        return Ok(());
    }
    if let Fault::DropAt(cut) = fault
        && start < cut
    {
        w.write_all(&data[start..cut])?;
    }
    w.flush()?;
    // Dropped here: the body stops short of its Content-Length.
    Ok(())
}
