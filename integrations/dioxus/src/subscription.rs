//! [`use_subscription`]: what the listener and history hooks share, a hook listener held
//! for as long as the component is mounted.

use std::cell::RefCell;
use std::rc::Rc;

use dioxus::prelude::use_hook;
use web_eventsource_hooks_core::{Deliver, HookListener};

use crate::hub::Hub;
use crate::UseEventSource;

/// The hook listener a component holds, and what it was made for.
struct Subscription {
    hub: Rc<Hub>,
    event_type: String,
    /// Dropped with the component (hooks are dropped when it unmounts): that unsubscribes.
    _hook_listener: Rc<HookListener>,
}

/// Subscribes `deliver` (made by `make_deliver` for the hub, once per subscription) to every event of
/// `event_type` of `handle`'s source, now and after every change of source. Subscribes
/// during the render, so that the subscription exists before any effect opens a source
/// (no browser API is touched while none is open, and on the server none ever is; with
/// one open, the subscription adds its JS listener at once); again when `handle` or
/// `event_type` changes.
pub(crate) fn use_subscription(
    handle: UseEventSource,
    event_type: &str,
    make_deliver: impl FnOnce(&Hub) -> Deliver,
) {
    let held = use_hook(|| Rc::new(RefCell::new(None::<Subscription>)));
    let Some(hub) = handle.hub() else {
        return; // the handle's component has unmounted: nothing to listen to
    };
    let mut held = held.borrow_mut();
    let current = held
        .as_ref()
        .is_some_and(|s| Rc::ptr_eq(&s.hub, &hub) && s.event_type == event_type);
    if !current {
        // The old one first: its listener must be gone before the new one can be called.
        *held = None;
        let hook_listener = hub.listen(event_type, make_deliver(&hub));
        *held = Some(Subscription {
            hub,
            event_type: event_type.to_owned(),
            _hook_listener: hook_listener,
        });
    }
}
