//! The crate's `RefCell` accesses, all through this one file.
//!
//! `RefCell::borrow`, `borrow_mut`, `replace` and `take` may panic, and each call links
//! where it is into the wasm for the panic's message: its file's name (once for each file)
//! and its line and column. Called through these functions, every access shares the few
//! locations of this file: 171 gzipped bytes off the minimal native app, 357 off the fetch
//! app. Such a panic is a bug in the crate (a borrow held across a call that re-enters it),
//! whichever caller the message would have named.

use std::cell::{Ref, RefCell, RefMut};

/// `cell.borrow()`.
pub(crate) fn borrow<T>(cell: &RefCell<T>) -> Ref<'_, T> {
    cell.borrow()
}

/// `cell.borrow_mut()`.
pub(crate) fn borrow_mut<T>(cell: &RefCell<T>) -> RefMut<'_, T> {
    cell.borrow_mut()
}

/// `cell.replace(value)`.
pub(crate) fn replace<T>(cell: &RefCell<T>, value: T) -> T {
    cell.replace(value)
}

/// `cell.take()`.
pub(crate) fn take<T: Default>(cell: &RefCell<T>) -> T {
    cell.take()
}
