//! PresignDesk: upload to and download from presigned URLs, and understand why a link fails.
//!
//! The library holds every decision; the binaries only call [`start::run`], which parses
//! arguments and picks the GUI or the CLI. Data flows one way: the text of a URL becomes a [`link::PresignedLink`], which with the
//! user's choices becomes an [`exchange::Plan`]; running the plan emits
//! [`transfer::TransferEvent`]s and ends in a [`transfer::Outcome`]; a refusal carries the
//! server's error read by [`diagnose`]. The UI and the CLI render these values.

pub mod cli;
pub mod content_type;
pub mod diagnose;
pub mod exchange;
pub mod format;
pub mod link;
pub mod post;
pub mod prepare;
pub mod present;
pub mod secret;
pub mod settings;
pub mod signed_headers;
pub mod start;
pub mod text;
pub mod transfer;
pub mod ui;
