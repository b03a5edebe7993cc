//! A real Meilisearch server for the live tests: the binary named by `MEILI_BIN`
//! (`.ci/run` and `./scripts/test` set it to `../shared/bin/meilisearch` when it is there),
//! on a free port with a fresh database folder, killed when dropped.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const KEY: &str = "a-master-key-for-the-etalase-tests";

pub struct LiveMeili {
    bin: PathBuf,
    dir: tempfile::TempDir,
    pub port: u16,
    child: Option<Child>,
}

impl LiveMeili {
    /// Starts Meilisearch and waits until it answers. Without `MEILI_BIN` the test fails: it
    /// must not pass silently.
    pub fn start() -> Self {
        let bin = std::env::var("MEILI_BIN").expect(
            "MEILI_BIN is not set: the live Meilisearch tests need a Meilisearch binary \
             (./scripts/test sets MEILI_BIN to ../shared/bin/meilisearch when it exists)",
        );
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let mut meili = Self {
            bin: PathBuf::from(bin),
            dir: tempfile::tempdir().unwrap(),
            port,
            child: None,
        };
        meili.launch();
        meili
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn launch(&mut self) {
        let log = std::fs::File::create(self.dir.path().join("meili.log")).unwrap();
        let child = Command::new(&self.bin)
            .arg("--db-path")
            .arg(self.dir.path().join("db"))
            .args(["--http-addr", &format!("127.0.0.1:{}", self.port)])
            .args(["--master-key", KEY, "--no-analytics"])
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start Meilisearch ({}): {e}", self.bin.display()));
        self.child = Some(child);
        let started = Instant::now();
        while !self.healthy() {
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                let log = std::fs::read_to_string(self.dir.path().join("meili.log"));
                panic!("Meilisearch exited with {status}: {log:?}");
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "Meilisearch did not answer /health within 60 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// `GET /health` answers 200.
    fn healthy(&self) -> bool {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) else {
            return false;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
        if stream
            .write_all(b"GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
            .is_err()
        {
            return false;
        }
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        answer.starts_with("HTTP/1.1 200") || answer.starts_with("HTTP/1.0 200")
    }

    /// `kill -9`: nothing is flushed or said goodbye to.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it again on the same port and database folder.
    pub fn restart(&mut self) {
        self.kill();
        self.launch();
    }
}

impl Drop for LiveMeili {
    fn drop(&mut self) {
        self.kill();
    }
}
