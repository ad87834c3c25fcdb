//! [`HookListener`]: a listener or history hook's callback, moved from source to source by
//! the hub.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use web_eventsource::{EventSource, Listener, Message};

/// Called with each message of a hook listener's type.
pub type Deliver = Box<dyn Fn(Message)>;

/// One hook's callback for one event type, made by [`Hub::listen`]. The hub attaches it to
/// every source it opens while the hook holds it; the hook drops it when it unmounts or
/// changes type.
///
/// [`Hub::listen`]: crate::Hub::listen
pub struct HookListener {
    event_type: String,
    /// Shared, so that a call holds the callback and not the hook listener (see
    /// `attach_to`).
    deliver: Rc<dyn Fn(Message)>,
    /// The core's listener on the current source, if one is open.
    attached: RefCell<Option<Listener>>,
}

impl fmt::Debug for HookListener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HookListener")
            .field("event_type", &self.event_type)
            .field("attached", &self.attached.borrow().is_some())
            .finish_non_exhaustive()
    }
}

impl HookListener {
    pub(crate) fn new(event_type: &str, deliver: Deliver) -> Self {
        Self {
            event_type: event_type.to_owned(),
            deliver: Rc::from(deliver),
            attached: RefCell::new(None),
        }
    }

    /// Listens to `source` (or to nothing) from now on, and hands back the listener on the
    /// previous source: the caller decides when it may stop, since dropping it during that
    /// source's dispatch would take the event being dispatched from this hook.
    pub(crate) fn attach_to(self: &Rc<Self>, source: Option<&EventSource>) -> Option<Listener> {
        let listener = source.map(|source| {
            // Weak: once its hook is gone (the component unmounted), a listener kept to the
            // end of a dispatch calls nothing, since the hook's callback went with it.
            let hook_listener = Rc::downgrade(self);
            source.on(&self.event_type, move |message| {
                // The hook listener is let go of before the call: a callback that throws
                // skips the frames between it and the crate's guard, and a strong count
                // left standing there would keep the hook listener, attached to every
                // later source, after its hook dropped it. (The callback's own count
                // stays standing then: it leaks, but is called no more.)
                let deliver = hook_listener.upgrade().map(|h| Rc::clone(&h.deliver));
                if let Some(deliver) = deliver {
                    deliver(message);
                }
            })
        });
        self.attached.replace(listener)
    }
}
