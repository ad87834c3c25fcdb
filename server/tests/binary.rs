//! The real binary, end to end: announce line, one request, clean exit on
//! SIGTERM (and on Ctrl-C), and argument errors.

mod common;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use common::{bounded, TempDir};

/// The binary cargo built with this test, found at run time beside the test's own
/// executable (`target/debug/deps/binary-…` → `target/debug/sse-server`). Cargo's
/// `CARGO_BIN_EXE_sse-server` is an absolute path fixed when the test is compiled: where one
/// target directory serves checkouts at two paths (CI's clone and a working tree share
/// one), cargo finds the test up to date in the other checkout, and the path it holds
/// may be gone.
fn bin() -> PathBuf {
    let beside = std::env::current_exe().ok().and_then(|test| {
        let profile_dir = test.parent()?.parent()?;
        Some(profile_dir.join(format!("sse-server{}", std::env::consts::EXE_SUFFIX)))
    });
    match beside {
        Some(path) if path.is_file() => path,
        _ => PathBuf::from(env!("CARGO_BIN_EXE_sse-server")),
    }
}

/// Kills the child if a test fails before it exits.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// Start the binary on port 0 and return it with the announced base URL.
async fn launch(www: &std::path::Path) -> (Running, String) {
    let mut child = Command::new(bin())
        .args(["--port", "0", "--bind", "127.0.0.1", "--www"])
        .arg(www)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn sse-server");
    let stdout = child.stdout.take().expect("stdout");
    let running = Running(child);
    let line = bounded(
        "announce line",
        tokio::task::spawn_blocking(move || {
            let mut line = String::new();
            BufReader::new(stdout).read_line(&mut line).map(|_| line)
        }),
    )
    .await
    .expect("join")
    .expect("read stdout");
    let line = line.trim_end().to_owned();
    let base = line
        .strip_prefix("sse-server listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    let port: u16 = base
        .strip_prefix("http://127.0.0.1:")
        .unwrap_or_else(|| panic!("unexpected URL {base:?}"))
        .parse()
        .expect("port number");
    assert_ne!(port, 0, "the real port must be printed");
    (running, base)
}

/// Wait (bounded) for the process to exit.
async fn wait_exit(running: &mut Running) -> ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = running.0.try_wait().expect("try_wait") {
            return status;
        }
        assert!(started.elapsed() < common::WAIT, "sse-server did not exit");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[cfg(unix)]
fn signal(running: &Running, name: &str) {
    let status = Command::new("kill")
        .arg(format!("-{name}"))
        .arg(running.0.id().to_string())
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -{name} failed");
}

#[cfg(unix)]
#[tokio::test]
async fn serves_then_exits_cleanly_on_sigterm_and_sigint() {
    let dir = TempDir::new("bin");
    std::fs::write(dir.0.join("index.html"), "hello from www").unwrap();

    for sig in ["TERM", "INT"] {
        let (mut running, base) = launch(&dir.0).await;

        let index = common::get(&format!("{base}/"), &[]).await;
        assert_eq!(index.status(), 200);
        assert_eq!(common::text(index).await, "hello from www");

        // An open, never-ending stream must not block the shutdown.
        let response = common::get(&format!("{base}/test/stream?count=1"), &[]).await;
        let mut reader = common::SseReader::new(response);
        assert_eq!(reader.next_event().await.unwrap().id_u64(), 1);

        let started = Instant::now();
        signal(&running, sig);
        let status = wait_exit(&mut running).await;
        assert!(status.success(), "SIG{sig}: exit status {status:?}");
        assert!(
            started.elapsed() < Duration::from_secs(4),
            "SIG{sig}: slow exit"
        );
    }
}

#[tokio::test]
async fn bad_arguments_exit_with_usage() {
    let output = bounded(
        "bad-args run",
        tokio::task::spawn_blocking(|| {
            Command::new(bin())
                .args(["--port", "not-a-port"])
                .stdin(Stdio::null())
                .output()
        }),
    )
    .await
    .expect("join")
    .expect("run sse-server");
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("invalid port `not-a-port`"), "{stderr}");
    assert!(stderr.contains("usage: sse-server"), "{stderr}");
}
