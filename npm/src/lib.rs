//! The JavaScript and TypeScript API of
//! [web-eventsource](https://github.com/web-eventsource/web-eventsource): `wasm-pack
//! build` turns this crate into the npm package `web-eventsource` (see
//! `scripts/npm-pack`).
//!
//! It wraps the core crate's public API for JavaScript: the `EventSource` class
//! (`event_source.rs`), its options (`options.rs`, checked by `js/options.js`), who
//! owns what (`subscriptions.rs`), and how each message crosses into JavaScript
//! (`message_maker.rs`). The values listeners receive (`Message`,
//! `EventSourceError`), the value of `sharing` and the async iterators are plain
//! JavaScript (`js/`), so nothing a listener is handed holds wasm memory. The TypeScript declarations that the generated ones cannot express (the
//! options, the listener types by event type) are written by hand in `types.d.ts`.
//!
//! Nothing here is a Rust API: every item is exported to JavaScript only.
#![forbid(unsafe_code)]
#![warn(missing_debug_implementations, rust_2018_idioms)]

mod bindings;
mod event_source;
mod message_maker;
mod options;
mod subscriptions;

use wasm_bindgen::prelude::wasm_bindgen;

// Rust's default allocator on wasm32, dlmalloc, is about 8 KB of wasm (3 KB gzipped, a
// tenth of the package). This free list (sorted, coalescing freed neighbours) is under
// 1 KB. Its search is O(free blocks), which stays small here: the heap holds a few
// objects per source and listener, and each event allocates one small block and frees
// it. The lock is an uncontended spin lock, the allocator's only safe constructor: wasm
// is single-threaded here, but claiming so would take `unsafe`.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("types.d.ts");
