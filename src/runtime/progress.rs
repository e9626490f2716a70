//! What Write-Progress hands the host: one activity's state, as .NET's
//! `System.Management.Automation.ProgressRecord` carries it. How it is shown
//! (or not) is the host's affair: the console draws PowerShell 5.1's
//! progress pane, other hosts ignore it.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressRecord {
    /// `-Id`: records with one id (and source) update one activity.
    pub activity_id: i32,
    /// `-ParentId`, or -1 for a top-level activity.
    pub parent_id: i32,
    pub activity: String,
    pub status: String,
    pub current_operation: String,
    /// -1 when not given: no bar.
    pub percent_complete: i32,
    /// -1 when not given.
    pub seconds_remaining: i32,
    /// `-Completed`: the activity is removed.
    pub completed: bool,
}
