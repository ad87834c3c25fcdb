//! [`guarded`]: a user's callback called so that what it throws cannot unwind through the
//! crate.
//!
//! A JavaScript exception (`wasm_bindgen::throw_str`, `unwrap_throw`, an import without
//! `catch`, a panic's trap) unwinds through wasm frames without running the rest of them.
//! Thrown from a callback called straight from the delivery loop, it left that loop marked
//! as running: every later event waited behind it for ever, streams never ended, the fetch
//! transport read no further body, and a reconnect whose error callback threw was never
//! sent. Caught here, it ends that callback alone.
//!
//! Every user's callback is called, and dropped, through it, in `Subscriber::run`: one
//! call site for every kind of callback, where one in each `Connection::subscribe_*` made
//! every app 24 gzipped bytes larger (the drop, whose captures may run a user's `Drop`
//! that throws, costs 53 more). The crate's own subscribers (the streams' senders) are not: they
//! never throw, and the guard's call out to JavaScript and back is about a tenth of an
//! event's dispatch (a plain call out and back costs about as much as the promise).
//! The fetch transport also calls `headers_with` through it, and the framework
//! integrations call theirs (`__integrations::guarded`): a callback they call from within
//! one of theirs, whose frame holds a borrow or a framework's scope, would leave that held.

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// A promise, only made.
    #[wasm_bindgen(js_name = Promise)]
    type Settled;

    /// `new Promise(executor)`, with an executor that takes no arguments. It must take
    /// none: a JS value wasm-bindgen lends to Rust (`&JsValue`, such as `resolve`) sits on
    /// a stack of the glue's own, which the shim frees as it returns. A throw skips that,
    /// and after a thousand or so the stack was spent: every later shim that lends a value
    /// trapped, every DOM listener of the page included (see the test
    /// `a_thousand_throws_leave_nothing_behind`).
    #[wasm_bindgen(constructor, js_class = "Promise")]
    fn new(executor: &mut dyn FnMut()) -> Settled;
}

/// Calls `callback`: what it throws (or a panic's trap) ends it, and the browser reports it
/// as an unhandled promise rejection.
#[cfg(target_arch = "wasm32")]
pub fn guarded(mut callback: impl FnMut()) {
    // `new Promise(executor)` calls the executor at once and turns what it throws into the
    // promise's rejection, which the browser reports as unhandled: the one JavaScript
    // built-in that calls a function synchronously and catches. (A JavaScript snippet of
    // the crate's own would break wasm-bindgen's `no-modules` target.) Only the frames the
    // exception skipped are left as they were, the callback's own and the executor's: the
    // frame that called the executor resets the shadow stack pointer as it returns.
    Settled::new(&mut callback);
}

/// Off the web (the crate's native unit tests), nothing throws JavaScript.
#[cfg(not(target_arch = "wasm32"))]
pub fn guarded(mut callback: impl FnMut()) {
    callback();
}
