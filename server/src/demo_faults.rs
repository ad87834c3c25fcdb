//! Fault injection on the demo stream, for the demo page's fault buttons: each page
//! opens `/sse?client=ID`, and `POST /demo/fault?client=ID&kind=...` acts on that
//! client's streams, so a visitor can watch the reconnect policy at work.
//!
//! * `kind=end`: every open stream of the client ends now (the browser reconnects).
//! * `kind=fail&count=N` (default 3): the stream ends now and the client's next `N`
//!   requests to `/sse` answer `500` (the browser gives up; a policy takes over).
//! * `kind=silent`: every open stream of the client stops sending, but stays open (a
//!   policy's idle timeout notices).

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tokio::sync::watch;

use crate::params::{BadRequest, Params};
use crate::AppState;

/// What an open demo stream is told to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// Keep streaming.
    Stream,
    /// End the body now.
    End,
    /// Send nothing more, but keep the body open.
    Silent,
}

/// Per-client fault state, shared by the demo stream and `/demo/fault`.
#[derive(Debug, Default)]
pub struct DemoFaults {
    clients: Mutex<HashMap<String, Client>>,
}

#[derive(Debug, Default)]
struct Client {
    /// How many of the next requests answer 500.
    failing: u64,
    /// One channel per stream admitted, to tell it what to do: a command reaches only
    /// the streams open when it was given. Closed ones are pruned as faults arrive.
    streams: Vec<watch::Sender<Command>>,
}

impl Client {
    fn command(&mut self, command: Command) {
        self.streams.retain(|stream| !stream.is_closed());
        for stream in &self.streams {
            stream.send_replace(command);
        }
    }
}

/// How a new request of a client is to be answered.
#[derive(Debug)]
pub enum Admission {
    /// Answer 500 (a planned failure).
    Fail,
    /// Stream, and follow these commands.
    Stream(watch::Receiver<Command>),
}

impl DemoFaults {
    /// Admits a new request of `client`: a planned failure, or a stream with a fresh
    /// subscription to the client's commands.
    pub fn admit(&self, client: &str) -> Admission {
        let mut clients = self.lock();
        let entry = clients.entry(client.to_owned()).or_default();
        if entry.failing > 0 {
            entry.failing -= 1;
            return Admission::Fail;
        }
        entry.streams.retain(|stream| !stream.is_closed());
        // A new request means the client gave up on its silent streams (the policy's idle
        // timeout replaced them). A silent stream writes nothing, so the server would
        // never see the client go: end them, or each "Go silent" would keep its task
        // and socket until the next fault.
        for stream in &entry.streams {
            if *stream.borrow() == Command::Silent {
                stream.send_replace(Command::End);
            }
        }
        let (sender, receiver) = watch::channel(Command::Stream);
        entry.streams.push(sender);
        Admission::Stream(receiver)
    }

    /// Applies a fault to `client`'s streams and next requests.
    pub fn inject(&self, client: &str, fault: Fault) {
        let mut clients = self.lock();
        let entry = clients.entry(client.to_owned()).or_default();
        match fault {
            Fault::End => entry.command(Command::End),
            Fault::Fail(count) => {
                entry.failing = count;
                entry.command(Command::End);
            }
            Fault::Silent => entry.command(Command::Silent),
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Client>> {
        // Counters and channels stay consistent even if a holder panicked.
        self.clients.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A fault asked for by `/demo/fault`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// End the open streams.
    End,
    /// End them, and fail the next `N` requests with a 500.
    Fail(u64),
    /// Stop sending on the open streams.
    Silent,
}

impl Fault {
    fn parse(params: &Params) -> Result<Self, BadRequest> {
        match params.get("kind") {
            Some("end") => Ok(Self::End),
            Some("fail") => Ok(Self::Fail(params.parse("count")?.unwrap_or(3))),
            Some("silent") => Ok(Self::Silent),
            Some(other) => Err(BadRequest(format!(
                "invalid kind `{other}` (expected end, fail or silent)"
            ))),
            None => Err(BadRequest("kind is required (end, fail or silent)".into())),
        }
    }
}

/// `POST /demo/fault?client=ID&kind=end|fail|silent[&count=N]`: 204, or 400 for a
/// missing client or a bad kind.
pub async fn handler(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let params = Params::new(query);
    let Some(client) = params.get("client").filter(|c| !c.is_empty()) else {
        return BadRequest("client is required".into()).into_response();
    };
    match Fault::parse(&params) {
        Ok(fault) => {
            state.demo_faults.inject(client, fault);
            StatusCode::NO_CONTENT.into_response()
        }
        Err(bad) => bad.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commands(admission: Admission) -> watch::Receiver<Command> {
        match admission {
            Admission::Stream(commands) => commands,
            Admission::Fail => panic!("expected a stream"),
        }
    }

    #[test]
    fn fail_answers_the_next_requests_then_streams_again() {
        let faults = DemoFaults::default();
        let open = commands(faults.admit("a"));
        faults.inject("a", Fault::Fail(2));
        assert_eq!(*open.borrow(), Command::End, "the open stream ends");
        assert!(matches!(faults.admit("a"), Admission::Fail));
        assert!(
            matches!(faults.admit("b"), Admission::Stream(_)),
            "per client"
        );
        assert!(matches!(faults.admit("a"), Admission::Fail));
        let next = commands(faults.admit("a"));
        assert_eq!(*next.borrow(), Command::Stream);
    }

    #[test]
    fn end_and_silent_reach_only_the_streams_open_now() {
        let faults = DemoFaults::default();
        let first = commands(faults.admit("a"));
        let other = commands(faults.admit("b"));
        faults.inject("a", Fault::Silent);
        assert_eq!(*first.borrow(), Command::Silent);
        let second = commands(faults.admit("a"));
        assert_eq!(*second.borrow(), Command::Stream, "a new stream streams");
        faults.inject("a", Fault::End);
        assert_eq!(*second.borrow(), Command::End);
        assert_eq!(*other.borrow(), Command::Stream, "per client");
    }

    #[test]
    fn a_new_request_ends_the_clients_silent_streams() {
        let faults = DemoFaults::default();
        let silent = commands(faults.admit("a"));
        faults.inject("a", Fault::Silent);
        let other = commands(faults.admit("b"));
        faults.inject("b", Fault::Silent);
        let replacement = commands(faults.admit("a"));
        assert_eq!(*silent.borrow(), Command::End, "given up on: it ends");
        assert_eq!(*replacement.borrow(), Command::Stream);
        assert_eq!(*other.borrow(), Command::Silent, "another client's stays");
    }

    #[test]
    fn kinds_parse_and_bad_ones_are_rejected() {
        let parse = |pairs: &[(&str, &str)]| Fault::parse(&Params::from_pairs(pairs));
        assert_eq!(parse(&[("kind", "end")]), Ok(Fault::End));
        assert_eq!(parse(&[("kind", "fail")]), Ok(Fault::Fail(3)));
        assert_eq!(
            parse(&[("kind", "fail"), ("count", "5")]),
            Ok(Fault::Fail(5))
        );
        assert_eq!(parse(&[("kind", "silent")]), Ok(Fault::Silent));
        assert!(parse(&[("kind", "explode")]).is_err());
        assert!(parse(&[]).is_err());
        assert!(parse(&[("kind", "fail"), ("count", "x")]).is_err());
    }
}
