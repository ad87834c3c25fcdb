//! The Web Locks API (`navigator.locks`), bound here in the few lines this crate calls
//! rather than through web-sys's unstable APIs: one exclusive lock per shared stream,
//! held by the leading tab until it gives up, and one per sharing source, its presence,
//! held while its page is there.
//!
//! `navigator.locks.request(name, options, callback)` queues a request; when the lock is
//! granted, the callback runs and the lock is held until the promise it returns settles.
//! A [`LockRequest`] returns a promise that only it resolves: dropping it releases the
//! lock, or withdraws the request (`AbortSignal`) while it still waits. [`list`] lists
//! the locks the origin's tabs and workers hold or wait for.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use crate::cells;
use crate::fetch_api::Settling;

#[wasm_bindgen]
extern "C" {
    type LockManager;

    /// `request(name, options, callback)`; it throws where the API refuses to work
    /// (returns a rejected promise in most browsers, but not all).
    #[wasm_bindgen(method, catch)]
    fn request(
        this: &LockManager,
        name: &str,
        options: &Object,
        callback: &Function,
    ) -> Result<Settling, JsValue>;

    /// `query()`: a promise of the origin's `{ held, pending }` lock requests.
    #[wasm_bindgen(method, catch)]
    fn query(this: &LockManager) -> Result<Settling, JsValue>;
}

/// `navigator.locks`, where the browser has it (a secure context of a browser from 2022
/// on).
fn lock_manager() -> Option<LockManager> {
    let navigator = Reflect::get(&js_sys::global(), &JsValue::from_str("navigator")).ok()?;
    if !navigator.is_object() {
        return None;
    }
    let locks = Reflect::get(&navigator, &JsValue::from_str("locks")).ok()?;
    locks.is_object().then(|| locks.unchecked_into())
}

/// Whether this context can take Web Locks.
pub(crate) fn available() -> bool {
    lock_manager().is_some()
}

/// What the request shares with its callbacks.
struct Shared {
    /// Dropped by this side: nothing more is reported, and a grant is given back at once.
    withdrawn: Cell<bool>,
    /// Resolves the promise the lock is held by.
    release: RefCell<Option<Function>>,
    granted: Cell<bool>,
    on_granted: RefCell<Option<Box<dyn FnOnce()>>>,
}

/// A request for the lock `name`, then the lock itself: released (or withdrawn) when
/// dropped.
pub(crate) struct LockRequest {
    shared: Rc<Shared>,
    /// Withdraws the request while it waits (a steal does not wait, and has none).
    abort: Option<web_sys::AbortController>,
}

impl LockRequest {
    /// Asks for the lock: `on_granted` runs when this tab holds it; `on_ended` if the
    /// request ends other than by dropping it: the lock was stolen (`true`: it had been
    /// granted), or the API refused the request (`false`). With `steal`, the lock is
    /// taken from whoever holds it, at once. `None` where there are no Web Locks.
    pub(crate) fn new(
        name: &str,
        steal: bool,
        on_granted: impl FnOnce() + 'static,
        on_ended: impl FnOnce(bool) + 'static,
    ) -> Option<Self> {
        Self::new_boxed(name, steal, Box::new(on_granted), Box::new(on_ended))
    }

    /// [`LockRequest::new`], compiled once rather than once per pair of callbacks.
    fn new_boxed(
        name: &str,
        steal: bool,
        on_granted: Box<dyn FnOnce()>,
        on_ended: Box<dyn FnOnce(bool)>,
    ) -> Option<Self> {
        let manager = lock_manager()?;
        let shared = Rc::new(Shared {
            withdrawn: Cell::new(false),
            release: RefCell::new(None),
            granted: Cell::new(false),
            on_granted: RefCell::new(Some(on_granted)),
        });
        let options = Object::new();
        let abort = if steal {
            let _ = Reflect::set(&options, &"steal".into(), &JsValue::TRUE);
            None
        } else {
            let abort = web_sys::AbortController::new().ok()?;
            let _ = Reflect::set(&options, &"signal".into(), &abort.signal());
            Some(abort)
        };
        let callback = Closure::<dyn FnMut(JsValue) -> JsValue>::new({
            let shared = shared.clone();
            move |_lock: JsValue| {
                if shared.withdrawn.get() {
                    // Released at once: the promise is `undefined`.
                    return JsValue::UNDEFINED;
                }
                let mut resolve = None;
                let held = Promise::new(&mut |res, _| resolve = Some(res));
                *cells::borrow_mut(&shared.release) = resolve;
                shared.granted.set(true);
                let on_granted = cells::borrow_mut(&shared.on_granted).take();
                if let Some(on_granted) = on_granted {
                    on_granted();
                }
                held.into()
            }
        });
        let requested = manager.request(name, &options, callback.as_ref().unchecked_ref());
        let Ok(requested) = requested else {
            return None;
        };
        // The callback must live until the request settles: after that the browser never
        // calls it. Exactly one of the two outcomes runs this, which frees both as it
        // returns (`once_into_js`, not the garbage collector's finalizer). It must run:
        // dropping the request releases a held lock or aborts a waiting one, which
        // settles the promise.
        let on_settled = once_settled({
            let shared = shared.clone();
            Box::new(move |_outcome: JsValue| {
                drop(callback);
                if !shared.withdrawn.get() {
                    on_ended(shared.granted.get());
                }
            })
        });
        requested.then(&on_settled, &on_settled);
        Some(Self { shared, abort })
    }
}

impl Drop for LockRequest {
    fn drop(&mut self) {
        self.shared.withdrawn.set(true);
        drop(cells::borrow_mut(&self.shared.on_granted).take());
        if let Some(release) = cells::take(&self.shared.release) {
            let _ = release.call0(&JsValue::UNDEFINED);
        }
        if let Some(abort) = &self.abort {
            abort.abort();
        }
    }
}

/// Lists the locks held or waited for in this origin, by any tab or worker, and hands
/// them to `on_listed`, later (`LockInfo` objects; see [`includes`]); `None` when the
/// browser cannot list them. The browser gives a lock up when its holder's context ends,
/// even without a word from it (a crashed or discarded tab, a terminated worker).
pub(crate) fn list(on_listed: impl FnOnce(Option<Array>) + 'static) {
    let Some(listing) = lock_manager().and_then(|manager| manager.query().ok()) else {
        on_listed(None);
        return;
    };
    // One closure for both outcomes, freed by the one that runs (see `LockRequest::new`).
    // A rejection's reason has no `held` array: `None`.
    let on_settled = once_settled(Box::new(move |snapshot: JsValue| {
        let locks = |key: &str| {
            Reflect::get(&snapshot, &JsValue::from_str(key))
                .ok()?
                .dyn_into::<Array>()
                .ok()
        };
        on_listed(
            locks("held")
                .zip(locks("pending"))
                .map(|(held, pending)| held.concat(&pending)),
        );
    }));
    listing.then(&on_settled, &on_settled);
}

/// Whether `locks`, from [`list`], hold or wait for one named `name`.
pub(crate) fn includes(locks: &Array, name: &str) -> bool {
    let (key, name) = (JsValue::from_str("name"), JsValue::from_str(name));
    locks
        .iter()
        .any(|lock| Reflect::get(&lock, &key).is_ok_and(|found| found == name))
}

/// A promise's callback for either outcome, freed as it returns. Boxed, so that its glue
/// is compiled once for every caller.
fn once_settled(callback: Box<dyn FnOnce(JsValue)>) -> JsValue {
    Closure::once_into_js(callback)
}
