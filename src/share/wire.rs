//! What tabs say to each other over the `BroadcastChannel`: flat JavaScript arrays
//! (structured clone copies them; no serializer is linked), `[kind, sender, ...]`.
//!
//! The leader broadcasts, each with its sequence number: `hello` (it starts, resuming
//! after an id), `beat` (its state, how many share the connection, its last event id and,
//! while its policy waits to retry, its count and the wait left; every second and
//! whenever asked; numbered as the broadcast before it, see `Tab::broadcast`), `state`,
//! `error` (with its cause, see [`cause_parts`]) and `event`. Any other tab says:
//! `claim` (it got the lock and will lead), `want` (the event types it subscribes to: its
//! announcement and keep-alive), `bye` (marked `1` when its page went away, to come back),
//! `probe` (is the leader still there?) and `resend`
//! (a follower missed the leader's broadcasts after a sequence number). The leader's
//! answer is `again`: one broadcast as it was posted, wrapped and addressed to that
//! follower alone (see `Tab::resend`).
//!
//! Anything that does not decode (another version of this crate on the same channel
//! name, say) is ignored, never a panic.

use std::rc::Rc;
use std::time::Duration;

use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};

use crate::reconnect::timer_millis;
use crate::{ConnectionError, Error, ErrorKind, ReadyState};

/// What a leader broadcasts, with who it is and the broadcast's sequence number.
pub(crate) struct Broadcast {
    pub(crate) leader: f64,
    pub(crate) seq: f64,
    pub(crate) news: News,
}

pub(crate) enum News {
    Hello {
        resume_after: String,
    },
    Beat {
        state: ReadyState,
        tabs: u32,
        /// The leader's last event id: where a follower that has seen no event yet
        /// stands (see `Ids::adopt`).
        last_id: String,
        /// While the leader's policy waits to retry: its count of failures, and the ms
        /// left to wait. A follower that takes over goes on from them, also one that
        /// joined after the last failure's report.
        retry: Option<(u32, u32)>,
    },
    State(ReadyState),
    Error(ConnectionError),
    Event {
        event_type: String,
        data: String,
        id: String,
        origin: String,
    },
}

/// What any other tab says.
pub(crate) enum Request {
    Claim,
    Want(Vec<String>),
    /// It leaves: closed or unloaded, or (`away`) its page was frozen or put in the
    /// back/forward cache, and may come back and ask for what it missed.
    Bye {
        away: bool,
    },
    Probe,
    /// Leader `leader`'s broadcasts after sequence number `after`, again.
    Resend {
        leader: f64,
        after: f64,
    },
}

pub(crate) enum Note {
    Broadcast(Broadcast),
    From {
        tab: f64,
        request: Request,
    },
    /// A broadcast of `leader` posted again for tab `to` alone.
    Again {
        leader: f64,
        to: f64,
        note: JsValue,
    },
}

const HELLO: u8 = 0;
const BEAT: u8 = 1;
const STATE: u8 = 2;
const ERROR: u8 = 3;
const EVENT: u8 = 4;
const AGAIN: u8 = 5;
const CLAIM: u8 = 10;
const WANT: u8 = 11;
const BYE: u8 = 12;
const PROBE: u8 = 13;
const RESEND: u8 = 14;

fn state_code(state: ReadyState) -> u8 {
    match state {
        ReadyState::Connecting => 0,
        ReadyState::Open => 1,
        ReadyState::Paused => 3,
        ReadyState::Closed => 2,
    }
}

fn state_of(code: f64) -> Option<ReadyState> {
    Some(match code as u8 {
        0 => ReadyState::Connecting,
        1 => ReadyState::Open,
        2 => ReadyState::Closed,
        3 => ReadyState::Paused,
        _ => return None,
    })
}

/// The options whose refusal can be why a request could not be made: the only ones
/// checked again for each request (the header `headers_with` returns, and the function
/// throwing; the method and the body are checked once, by `open()`).
const REFUSED_PER_REQUEST: [&str; 2] = ["header", "headers_with"];

/// A request error as it crosses: the option refused (`None`: it is a JavaScript error)
/// and its message. No other kind of error can keep a request from being made once the
/// source has opened (its URL was taken then): none crosses.
fn cause_parts(cause: &Error) -> Option<(Option<&'static str>, &str)> {
    match cause {
        Error::InvalidOption { option, message } if REFUSED_PER_REQUEST.contains(option) => {
            Some((Some(option), message))
        }
        Error::Js { message } => Some((None, message)),
        _ => None,
    }
}

/// The request error [`cause_parts`] sent.
fn cause_of(option: Option<&'static str>, message: String) -> Error {
    match option {
        Some(option) => Error::InvalidOption { option, message },
        None => Error::Js { message },
    }
}

/// The refused option as it crosses: `true` for a header (what tabs said before the
/// function's throw crossed too, so that they still understand it), its name for another
/// option, `false` for none.
fn option_note(option: Option<&str>) -> JsValue {
    match option {
        Some("header") => JsValue::TRUE,
        Some(name) => JsValue::from_str(name),
        None => JsValue::FALSE,
    }
}

/// The refused option [`option_note`] sent.
fn option_from_note(note: &JsValue) -> Option<&'static str> {
    if note.as_bool() == Some(true) {
        return Some("header");
    }
    let name = note.as_string()?;
    REFUSED_PER_REQUEST
        .into_iter()
        .find(|option| *option == name)
}

const KINDS: [ErrorKind; 6] = [
    ErrorKind::Lost,
    ErrorKind::Failed,
    ErrorKind::IdleTimeout,
    ErrorKind::NoContent,
    ErrorKind::RetriesExhausted,
    ErrorKind::TooLarge,
];

fn number(value: impl Into<f64>) -> JsValue {
    JsValue::from_f64(value.into())
}

fn optional(value: Option<u32>) -> JsValue {
    value.map_or(JsValue::NULL, number)
}

/// Encodes a leader's broadcast.
pub(crate) fn broadcast(broadcast: &Broadcast) -> Array {
    let head = |kind: u8| {
        Array::of3(
            &number(kind),
            &number(broadcast.leader),
            &number(broadcast.seq),
        )
    };
    match &broadcast.news {
        News::Hello { resume_after } => {
            let array = head(HELLO);
            array.push(&JsValue::from_str(resume_after));
            array
        }
        News::Beat {
            state,
            tabs,
            last_id,
            retry,
        } => {
            let array = head(BEAT);
            array.push(&number(state_code(*state)));
            array.push(&number(*tabs));
            array.push(&JsValue::from_str(last_id));
            array.push(&optional(retry.map(|(count, _)| count)));
            array.push(&optional(retry.map(|(_, left_ms)| left_ms)));
            array
        }
        News::State(state) => {
            let array = head(STATE);
            array.push(&number(state_code(*state)));
            array
        }
        News::Error(error) => {
            let array = head(ERROR);
            let kind = KINDS
                .iter()
                .position(|kind| *kind == error.kind())
                .unwrap_or(1);
            array.push(&number(kind as u32));
            array.push(&JsValue::from_bool(error.will_reconnect()));
            array.push(&optional(error.attempt()));
            array.push(&optional(error.retry_delay().map(timer_millis)));
            array.push(&optional(error.status().map(u32::from)));
            if let Some((option, message)) = error.request_error().and_then(cause_parts) {
                array.push(&option_note(option));
                array.push(&JsValue::from_str(message));
            }
            array
        }
        News::Event {
            event_type,
            data,
            id,
            origin,
        } => {
            let array = head(EVENT);
            for field in [event_type, data, id, origin] {
                array.push(&JsValue::from_str(field));
            }
            array
        }
    }
}

/// Leader `leader`'s broadcast `note`, as encoded, posted again for tab `to` alone.
pub(crate) fn again(leader: f64, to: f64, note: &JsValue) -> Array {
    Array::of4(&number(AGAIN), &number(leader), &number(to), note)
}

/// The sequence number of a broadcast as encoded (`None` for anything else).
pub(crate) fn seq_of(note: &JsValue) -> Option<f64> {
    let note: &Array = wasm_bindgen::JsCast::dyn_ref(note)?;
    note.get(2).as_f64()
}

/// The length of an encoded event's data, in UTF-16 code units (its other fields are
/// short); 0 for any other broadcast.
pub(crate) fn event_data(note: &Array) -> u32 {
    if note.get(0).as_f64() != Some(f64::from(EVENT)) {
        return 0;
    }
    note.get(4)
        .dyn_into::<js_sys::JsString>()
        .map_or(0, |data| data.length())
}

/// Encodes what tab `tab` says.
pub(crate) fn request(tab: f64, request: &Request) -> Array {
    let kind = match request {
        Request::Claim => CLAIM,
        Request::Want(_) => WANT,
        Request::Bye { .. } => BYE,
        Request::Probe => PROBE,
        Request::Resend { .. } => RESEND,
    };
    let array = Array::of2(&number(kind), &number(tab));
    match request {
        Request::Want(types) => {
            array.push(
                &types
                    .iter()
                    .map(|name| JsValue::from_str(name))
                    .collect::<Array>(),
            );
        }
        Request::Resend { leader, after } => {
            array.push(&number(*leader));
            array.push(&number(*after));
        }
        Request::Bye { away: true } => {
            array.push(&number(1u8));
        }
        _ => {}
    }
    array
}

/// Decodes a note from the channel; `None` for anything else.
pub(crate) fn decode(data: &JsValue) -> Option<Note> {
    let array: &Array = wasm_bindgen::JsCast::dyn_ref(data)?;
    let float = |i: u32| array.get(i).as_f64();
    let text = |i: u32| array.get(i).as_string();
    let optional = |i: u32| float(i).map(|value| value as u32);
    // Only what this module writes: a whole kind, and a sender that a tab's id can be (a
    // `NaN` one would never equal its own `bye`). Read with `as`, which saturates and
    // truncates, `0.5` would be a `hello`.
    let kind = float(0).filter(|kind| (0.0..=255.0).contains(kind) && kind.fract() == 0.0)? as u8;
    let sender = float(1).filter(|sender| sender.is_finite())?;
    // A sequence number is a count from 0: a `hello` numbered `Infinity` would make every
    // later broadcast of its leader look stale, and a `NaN` one compares as neither old
    // nor new.
    let sequence = |i: u32| {
        float(i).filter(|seq| (0.0..=MAX_SAFE_INTEGER).contains(seq) && seq.fract() == 0.0)
    };
    if kind == AGAIN {
        return Some(Note::Again {
            leader: sender,
            to: float(2)?,
            note: array.get(3),
        });
    }
    if kind >= CLAIM {
        let request = match kind {
            CLAIM => Request::Claim,
            WANT => {
                let types: Array = wasm_bindgen::JsCast::dyn_into(array.get(2)).ok()?;
                // Only names, as this module writes them: the first other value ends the
                // note. Skipping them read every index up to the list's length, which a
                // sparse array puts at up to 2^32 - 1: minutes, every tab of the stream
                // held.
                let names = types.iter().map(|name| name.as_string());
                Request::Want(names.collect::<Option<_>>()?)
            }
            BYE => Request::Bye {
                away: float(2) == Some(1.0),
            },
            PROBE => Request::Probe,
            RESEND => Request::Resend {
                leader: float(2)?,
                after: sequence(3)?,
            },
            _ => return None,
        };
        return Some(Note::From {
            tab: sender,
            request,
        });
    }
    let news = match kind {
        HELLO => News::Hello {
            resume_after: text(3)?,
        },
        BEAT => News::Beat {
            state: state_of(float(3)?)?,
            tabs: float(4)? as u32,
            last_id: text(5)?,
            retry: optional(6).zip(optional(7)),
        },
        STATE => News::State(state_of(float(3)?)?),
        ERROR => News::Error(
            ConnectionError::relayed(
                *KINDS.get(float(3)? as usize)?,
                array.get(4).as_bool()?,
                optional(5),
                optional(6).map(|ms| Duration::from_millis(ms.into())),
                optional(7).map(|status| status as u16),
            )
            .with_cause(
                text(9).map(|message| Rc::new(cause_of(option_from_note(&array.get(8)), message))),
            ),
        ),
        EVENT => News::Event {
            event_type: text(3)?,
            data: text(4)?,
            id: text(5)?,
            origin: text(6)?,
        },
        _ => return None,
    };
    Some(Note::Broadcast(Broadcast {
        leader: sender,
        seq: sequence(2)?,
        news,
    }))
}

/// The largest whole number an `f64` holds exactly (JavaScript's
/// `Number.MAX_SAFE_INTEGER`): past it, counting up by one stops.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

#[cfg(test)]
mod tests {
    use super::{cause_of, cause_parts};
    use crate::Error;

    #[test]
    fn a_request_error_crosses_as_it_was() {
        for cause in [
            Error::InvalidOption {
                option: "header",
                message: "Invalid name".to_owned(),
            },
            Error::InvalidOption {
                option: "headers_with",
                message: "it threw instead of returning headers".to_owned(),
            },
            Error::Js {
                message: "AbortController is not available".to_owned(),
            },
        ] {
            let (option, message) = cause_parts(&cause).expect("it crosses");
            assert_eq!(cause_of(option, message.to_owned()), cause);
        }
        // No other error keeps a request from being made: none would cross.
        let other = Error::InvalidOption {
            option: "idle_timeout",
            message: "under 1 ms".to_owned(),
        };
        assert_eq!(cause_parts(&other), None);
    }
}
