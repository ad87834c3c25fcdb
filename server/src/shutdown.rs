//! Server-wide shutdown signal.
//!
//! SSE responses never end on their own, so a plain graceful shutdown would
//! wait for them forever. Every streaming body watches this signal and ends
//! itself when it fires, which lets the HTTP server drain and exit promptly.

use std::sync::Arc;

use tokio::sync::watch;

/// A cloneable "the server is stopping" flag that can be awaited.
#[derive(Clone, Debug)]
pub struct Shutdown {
    flag: Arc<watch::Sender<bool>>,
}

impl Shutdown {
    /// A signal that has not fired yet.
    pub fn new() -> Self {
        let (flag, _) = watch::channel(false);
        Self {
            flag: Arc::new(flag),
        }
    }

    /// Fire the signal; every current and future [`Shutdown::wait`] returns.
    pub fn trigger(&self) {
        self.flag.send_replace(true);
    }

    /// Whether [`Shutdown::trigger`] has been called.
    pub fn is_triggered(&self) -> bool {
        *self.flag.borrow()
    }

    /// Resolve once the signal has fired (immediately if it already has).
    pub async fn wait(&self) {
        let mut rx = self.flag.subscribe();
        // The sender lives in `self`, so the channel cannot close while we
        // wait; an error here would only mean "no more changes", so stop.
        let _ = rx.wait_for(|stopping| *stopping).await;
    }
}

impl Default for Shutdown {
    fn default() -> Self {
        Self::new()
    }
}

/// Resolve on SIGINT (Ctrl-C) or, on Unix, SIGTERM: the two ways scripts and
/// terminals ask the server to stop.
pub async fn os_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            // Cannot listen for Ctrl-C: rely on the other signal only.
            std::future::pending::<()>().await;
        }
    };

    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut stream) => {
                stream.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();

    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
