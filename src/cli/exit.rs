//! Exit codes scripts can rely on.

use std::process::ExitCode;

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything worked.
    Success,
    /// The run finished, but some inputs failed (see the summary).
    Partial,
    /// Bad usage or an invalid config file.
    Usage,
    /// A fatal error: nothing (more) could be done.
    Fatal,
    /// Stopped by Ctrl-C / SIGTERM after flushing.
    Interrupted,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(match e {
            Exit::Success => 0,
            Exit::Partial => 1,
            Exit::Usage => 2,
            Exit::Fatal => 3,
            Exit::Interrupted => 130,
        })
    }
}
