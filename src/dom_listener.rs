//! [`DomListener`]: a JavaScript event listener, removed when dropped.
//!
//! What gloo-events' `EventListener` did here, minus what every app paid for and this
//! crate never used: an options object for each `addEventListener` (built once, in a
//! lazily made thread-local, through three setters and their JavaScript shims) and the
//! `unwrap_throw`s around calls that cannot fail on an `EventSource` or a `Document`.
//! The listener is a plain bubbling one; `passive`, which gloo set, only matters for
//! events whose default action a listener could cancel, and these have none.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

pub(crate) struct DomListener {
    target: web_sys::EventTarget,
    event_type: String,
    callback: Closure<dyn FnMut(&web_sys::Event)>,
}

impl DomListener {
    /// Adds `callback` as a listener for `event_type` events on `target`.
    pub(crate) fn new(
        target: &web_sys::EventTarget,
        event_type: String,
        callback: impl FnMut(&web_sys::Event) + 'static,
    ) -> Self {
        let callback = Closure::<dyn FnMut(&web_sys::Event)>::new(callback);
        // `addEventListener` throws only for a callback that is not a function.
        let _ =
            target.add_event_listener_with_callback(&event_type, callback.as_ref().unchecked_ref());
        Self {
            target: target.clone(),
            event_type,
            callback,
        }
    }
}

impl Drop for DomListener {
    fn drop(&mut self) {
        let _ = self.target.remove_event_listener_with_callback(
            &self.event_type,
            self.callback.as_ref().unchecked_ref(),
        );
    }
}
