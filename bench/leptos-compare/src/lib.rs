//! Shared by the comparison's examples and test: nothing but a marker that the crate
//! builds (the cases live in `tests/compare.rs`, the apps in `examples/`).
#![forbid(unsafe_code)]
