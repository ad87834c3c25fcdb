//! What a JavaScript `EventSource` owns on the Rust side: the core source and the
//! [`Listener`]s of its `on()` and `addEventListener` calls, iterators and `on…` handler
//! properties, each removable by the function handed to JavaScript (or by
//! `removeEventListener`, or by setting the property).
//!
//! Who frees what, with no `Closure::forget`:
//!
//! - A listener's [`Listener`] lives here until its unsubscribe function is called, or
//!   the source is closed or fails for good: the core then drops every callback (and
//!   with it the JavaScript function it calls) once the event being delivered has
//!   reached all of them, and with them the callback that keeps this state alive, whose
//!   `Drop` drops the handles.
//! - An unsubscribe function holds only a `Weak` to this state and an id. wasm-bindgen
//!   registers every closure it hands to JavaScript with a `FinalizationRegistry`, so
//!   one that is never called is freed when JavaScript collects it; calling it is
//!   idempotent.
//! - While the source is open, it keeps itself alive: one callback of its own, which the
//!   core drops on close or final failure, holds this state. So, like the browser's
//!   `EventSource`, an open source goes on delivering when the page keeps no reference
//!   to it, and a closed one is collected with its JavaScript object.
//! - The `on…` handler functions are kept here too, and go with the listeners: a handler
//!   that refers to its source (most do) would otherwise keep a closed source's
//!   JavaScript object reachable from wasm, and never collected. A `headers` function
//!   goes with them, for the same reason: the core keeps the closed connection's
//!   options, which hold it, as long as the source.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::{Rc, Weak};

use js_sys::Object;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsValue;
use web_eventsource::{EventSource, Listener};

use crate::options::HeadersFunction;

pub(crate) struct Subscriptions {
    source: EventSource,
    listeners: RefCell<Vec<(u32, Listener)>>,
    /// The listeners `addEventListener` added, by type, the value given (a function, or
    /// an object with `handleEvent`) and `capture`, with the id of each one's listener:
    /// the DOM adds a listener only once for the three, and `removeEventListener` finds
    /// it by them.
    added: RefCell<Vec<Added>>,
    /// The `on…` handler properties, by slot: the function each holds now, and the id of
    /// its listener.
    handlers: RefCell<[Option<(HandlerCell, u32)>; 3]>,
    headers: HeadersFunction,
    next_id: Cell<u32>,
}

impl Subscriptions {
    /// The state of a new source, which keeps itself alive while the source is open, and
    /// lets go of its `headers` function once it is closed.
    pub(crate) fn new(source: EventSource, headers: HeadersFunction) -> Rc<Self> {
        let this = Rc::new(Self {
            source,
            listeners: RefCell::new(Vec::new()),
            added: RefCell::new(Vec::new()),
            handlers: RefCell::new([None, None, None]),
            headers,
            next_id: Cell::new(0),
        });
        let keep_alive = KeepAlive(this.clone());
        let listener = this.source.on_state_change(move |_| {
            let _ = &keep_alive;
        });
        this.insert(this.next_id(), listener);
        this
    }

    pub(crate) fn source(&self) -> &EventSource {
        &self.source
    }

    /// The source's `headers` function, while it may send a request.
    pub(crate) fn headers(&self) -> &HeadersFunction {
        &self.headers
    }

    /// An id for [`insert`](Self::insert), to build the unsubscribe function first.
    pub(crate) fn next_id(&self) -> u32 {
        let id = self.next_id.get();
        self.next_id.set(id.wrapping_add(1));
        id
    }

    /// Keeps `listener` until [`remove`](Self::remove)`(id)`; `false` when there is
    /// nothing to keep.
    pub(crate) fn insert(&self, id: u32, listener: Listener) -> bool {
        // A listener made from a closed source will never be called.
        let kept = listener.event_type().is_some();
        if kept {
            self.listeners.borrow_mut().push((id, listener));
        }
        kept
    }

    /// The id of the listener `addEventListener` added for `event_type`, `listener`
    /// (compared as `Object.is` does) and `capture`, if it is still here.
    pub(crate) fn added(&self, event_type: &str, listener: &JsValue, capture: bool) -> Option<u32> {
        self.added
            .borrow()
            .iter()
            .find(|added| {
                added.event_type == event_type
                    && added.capture == capture
                    && Object::is(&added.listener, listener)
            })
            .map(|added| added.id)
    }

    /// Notes that listener `id` is `addEventListener`'s for `event_type`, `listener` and
    /// `capture`; `stop_waiting` is called when it goes, if its signal has not aborted.
    pub(crate) fn note_added(
        &self,
        event_type: String,
        listener: JsValue,
        capture: bool,
        id: u32,
        stop_waiting: Option<js_sys::Function>,
    ) {
        self.added.borrow_mut().push(Added {
            event_type,
            listener,
            capture,
            id,
            stop_waiting,
        });
    }

    /// The handler function in slot `slot`, or `null`.
    pub(crate) fn handler(&self, slot: usize) -> JsValue {
        // (`get`, not indexing: a bounds check would link panic formatting.)
        match self.handlers.borrow().get(slot) {
            Some(Some((handler, _))) => handler.borrow().clone(),
            _ => JsValue::NULL,
        }
    }

    /// Puts `function` in slot `slot` in place of the one there, whose listener then calls
    /// it; `false` when the slot has none (nor a listener).
    pub(crate) fn replace_handler_function(&self, slot: usize, function: &JsValue) -> bool {
        match self.handlers.borrow().get(slot) {
            Some(Some((handler, _))) => {
                *handler.borrow_mut() = function.clone();
                true
            }
            _ => false,
        }
    }

    /// Puts `handler` (and its listener's id) in slot `slot`, and removes the listener of
    /// the one it replaces.
    pub(crate) fn replace_handler(&self, slot: usize, handler: Option<(HandlerCell, u32)>) {
        let previous = self
            .handlers
            .borrow_mut()
            .get_mut(slot)
            .and_then(|entry| std::mem::replace(entry, handler));
        if let Some((_, id)) = previous {
            self.remove(id);
        }
    }

    /// A JavaScript function that removes listener `id` when called (any number of
    /// times), and is freed when collected.
    pub(crate) fn unsubscriber(self: &Rc<Self>, id: u32) -> JsValue {
        let this: Weak<Self> = Rc::downgrade(self);
        Closure::<dyn FnMut()>::new(move || {
            if let Some(this) = this.upgrade() {
                this.remove(id);
            }
        })
        .into_js_value()
    }

    /// Unsubscribes listener `id`, if it is still here.
    pub(crate) fn remove(&self, id: u32) {
        let added = {
            let mut added = self.added.borrow_mut();
            let index = added.iter().position(|added| added.id == id);
            index.map(|index| added.swap_remove(index))
        };
        drop(added);
        let removed = {
            let mut listeners = self.listeners.borrow_mut();
            let index = listeners.iter().position(|(other, _)| *other == id);
            index.map(|index| listeners.swap_remove(index))
        };
        // Dropped outside the borrow: unsubscribing drops the callback, which may run
        // JavaScript (an iterator's end) that calls back in here.
        drop(removed);
    }
}

/// An `on…` handler property's function, which its one listener calls. Setting another
/// function replaces it here, as the DOM's event handlers do: the listener keeps its place
/// among the others, and a function set during a dispatch, before the listener's turn,
/// gets that event.
pub(crate) type HandlerCell = Rc<RefCell<JsValue>>;

/// What `addEventListener` added: see [`Subscriptions::added`].
struct Added {
    event_type: String,
    listener: JsValue,
    capture: bool,
    id: u32,
    /// Removes the listener's `abort` listener from its `signal`, if it had one.
    stop_waiting: Option<js_sys::Function>,
}

impl Drop for Added {
    /// The listener is gone (removed, called `once`, aborted, or its source closed): its
    /// signal need not wait for it any more. Dropped outside every borrow of the
    /// subscriptions (see `remove`), as the call runs JavaScript.
    fn drop(&mut self) {
        if let Some(stop_waiting) = &self.stop_waiting {
            let _ = stop_waiting.call0(&JsValue::UNDEFINED);
        }
    }
}

/// What a listener calls: the function given to `on()` (or to `addEventListener`),
/// whatever function an `on…` handler property holds when the event comes, or a function
/// added with `{ once: true }`, which removes listener `id` before its one call.
pub(crate) enum Listening {
    Function(JsValue),
    Handler(HandlerCell),
    Once {
        function: JsValue,
        subscriptions: Weak<Subscriptions>,
        id: u32,
    },
}

impl Listening {
    /// Calls `deliver` with the function to call now. No borrow is held meanwhile: the
    /// function may set its handler property.
    pub(crate) fn call(&self, deliver: impl FnOnce(&JsValue)) {
        match self {
            Self::Function(function) => deliver(function),
            Self::Handler(handler) => {
                let function = handler.borrow().clone();
                deliver(&function);
            }
            Self::Once {
                function,
                subscriptions,
                id,
            } => {
                // Removed first, as the DOM does: a dispatch the function starts does not
                // call it again. (The core frees this callback once it has returned.)
                if let Some(subscriptions) = subscriptions.upgrade() {
                    subscriptions.remove(*id);
                }
                deliver(function);
            }
        }
    }
}

/// Holds the state from inside one of its own callbacks: see the module's docs.
struct KeepAlive(Rc<Subscriptions>);

impl Drop for KeepAlive {
    /// The core drops this with every other callback once the source is closed or has
    /// failed for good, and the event being delivered (if any) has reached every
    /// subscriber: the handles of those callbacks can go now too. (Dropping them earlier,
    /// in `close()`, would unsubscribe the listeners still due the event.)
    fn drop(&mut self) {
        let listeners = std::mem::take(&mut *self.0.listeners.borrow_mut());
        let added = std::mem::take(&mut *self.0.added.borrow_mut());
        let handlers = std::mem::take(&mut *self.0.handlers.borrow_mut());
        drop(listeners);
        drop(added);
        drop(handlers);
        self.0.headers.release();
    }
}

impl fmt::Debug for Subscriptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subscriptions")
            .field("source", &self.source)
            .field("listeners", &self.listeners.borrow().len())
            .finish()
    }
}
