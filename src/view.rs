//! What a line of text should look like, shared by everything that presents: the tone a
//! window colours and a terminal marks, and the one-sentence verdict on a link or a form.

/// How a line should look: what it says is good, needs attention, or stops the work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// All is well.
    Good,
    /// Worth attention (a link about to expire).
    Warning,
    /// It will not work (an expired link).
    Bad,
    /// Neither.
    Neutral,
}

/// The link in one sentence: what it is for, where it points, how long it is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// How it should look.
    pub tone: Tone,
    /// `Upload link for fa-106/見積.csv · valid for 1 h 59 min`.
    pub text: String,
}
