//! The window.
/// Opens the window (placeholder until the UI lands in this change).
pub fn run_window(_rt: tokio::runtime::Handle, _url: Option<String>) -> Result<(), String> {
    Err("not yet".into())
}
