//! A count of the bytes the Rust heap holds, for tests that check memory stays flat.
//!
//! The size of wasm's linear memory, which tests read before, is the wrong figure: it only
//! grows, and it grows with the heap's peak, not with what stays allocated. A peak that a
//! busy machine makes higher (old attempts not yet freed when new ones start) fails such a
//! test without any leak, and a leak smaller than a 64 KiB page passes it. The count here
//! moves with every allocation and every free, so a test can bound what is still held
//! after a run, and the peak while it ran.
//!
//! A test binary opts in by making it its global allocator:
//!
//! ```ignore
//! #[global_allocator]
//! static HEAP: web_eventsource_testing::CountingHeap = web_eventsource_testing::CountingHeap;
//! ```
//!
//! Without that line, [`heap_bytes`] and [`heap_peak`] stay 0.
#![allow(unsafe_code)] // `GlobalAlloc` is an unsafe trait; this only forwards to `System`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// The system allocator, counting the bytes it holds (see the module's documentation).
#[derive(Debug, Clone, Copy, Default)]
pub struct CountingHeap;

/// Bytes the Rust heap holds now (0 unless [`CountingHeap`] is the global allocator).
pub fn heap_bytes() -> usize {
    LIVE.load(Ordering::Relaxed)
}

/// The most bytes the heap held at once since the last [`reset_heap_peak`].
pub fn heap_peak() -> usize {
    PEAK.load(Ordering::Relaxed)
}

/// Starts a new peak from what the heap holds now.
pub fn reset_heap_peak() {
    PEAK.store(heap_bytes(), Ordering::Relaxed);
}

fn grew(bytes: usize) {
    let live = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

fn shrank(bytes: usize) {
    LIVE.fetch_sub(bytes, Ordering::Relaxed);
}

// SAFETY: every method forwards its arguments unchanged to `System`, which upholds the
// trait's contract; the counting only reads `layout` and the returned pointer's nullness.
unsafe impl GlobalAlloc for CountingHeap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's guarantees for `layout` are passed on as they are.
        let block = unsafe { System.alloc(layout) };
        if !block.is_null() {
            grew(layout.size());
        }
        block
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as in `alloc`.
        let block = unsafe { System.alloc_zeroed(layout) };
        if !block.is_null() {
            grew(layout.size());
        }
        block
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        // SAFETY: `block` was allocated by `System` (through this type) with `layout`.
        unsafe { System.dealloc(block, layout) };
        shrank(layout.size());
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as in `dealloc`, and the caller's guarantees for `new_size`.
        let moved = unsafe { System.realloc(block, layout, new_size) };
        if !moved.is_null() {
            // Counted as the new block arriving before the old one leaves: a realloc that
            // moves holds both for a moment, which is the peak the tests bound. One that
            // grows in place is counted the same way, so the peak errs high, never low.
            grew(new_size);
            shrank(layout.size());
        }
        moved
    }
}
