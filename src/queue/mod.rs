//! Many at once, run: each item of a list planned as its turn comes (a link that expired while
//! it waited is not sent), sent, and said in one line, for the terminal and the window alike.
//! The plans of a single transfer are built here too ([`plan`]), and the results saved to hand
//! on ([`export`]).

pub mod check;
pub mod export;
pub mod item;
pub mod plan;

pub use check::{Checked, check_link};
pub use export::Export;
pub use item::{Finished, How, Item, ItemResult, Target, UploadChoices, run_item};
