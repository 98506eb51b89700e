//! PresignDesk: upload to and download from presigned URLs, and understand why a link fails.
//!
//! The library holds every decision; the binaries only call [`start::run`], which parses
//! arguments and picks the GUI or the CLI. The text of a URL becomes a [`link::PresignedLink`],
//! which with the user's choices becomes an [`exchange::Plan`]; running the plan emits
//! [`transfer::TransferEvent`]s and ends in a [`transfer::Outcome`]; a refusal carries the
//! server's error read by [`diagnose`]. The UI and the CLI render these values.
//!
//! # Layers
//!
//! A module uses only modules in the layers below its own, never one beside it
//! (`tests/layers.rs` reads every `crate::` path and fails on any other; it also checks that
//! this picture and the README's are the ones it holds the code to). Top first:
//!
//! - `start`
//! - `cli` · `ui`
//! - `queue`
//! - `present` · `transfer` · `prepare`
//! - `batch`
//! - `diagnose`
//! - `signed_headers` · `settings`
//! - `exchange`
//! - `clock` · `content_type` · `post`
//! - `link`
//! - `format`
//! - `text` · `secret` · `view` · `markup`
//!
//! From the bottom: the texts and the language, the secret names, the words a view uses
//! ([`view::Tone`], [`view::Verdict`]), markup's entities; sizes and times; the link read; the clock (the server's
//! time, the link's deadline), the file type, presigned forms; the plan and the answer; the
//! signed headers and the settings built on them; the explainer; many links and files at once ([`batch`]: lists, matching, the link table); what both front ends show
//! ([`present`]), the engine and the shared decisions; many at once, run ([`queue`]); the front ends; the process's start.

pub mod batch;
pub mod cli;
pub mod clock;
pub mod content_type;
pub mod diagnose;
pub mod exchange;
pub mod format;
pub mod link;
pub mod markup;
pub mod post;
pub mod prepare;
pub mod present;
pub mod queue;
pub mod secret;
pub mod settings;
pub mod signed_headers;
pub mod start;
pub mod text;
pub mod transfer;
pub mod ui;
pub mod view;
