//! The integration tests, in one binary so that egui, s3s and the rest are linked once: each
//! file beside this one is a module, sharing the playground and the support helpers. Run one
//! part with its path, e.g. `cargo test --test suite cli::` or `cargo test --test suite --
//! window::`.

mod playground;
mod support;

mod accessible;
mod azure_blocks;
mod batch;
mod cli;
mod doctor;
mod explain;
mod families;
mod faults;
mod fuzz;
mod gcs_resumable;
mod hostile;
mod layers;
mod links;
mod multipart;
mod network;
mod package;
mod parse_never_panics;
mod pasted;
mod post;
mod queue_window;
mod ranges;
mod redaction;
mod signed_headers;
mod ui;
mod window;
mod wire;
