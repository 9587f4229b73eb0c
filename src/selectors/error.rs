//! Errors found while loading selector configs: each names the file, the key and the reason.

use std::fmt;

/// One problem in one config file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {key}: {reason}")]
pub struct ConfigError {
    /// The config file name (as given to the loader).
    pub file: String,
    /// The key path inside the file (`fields.title[1].css`, `templates[0].from`, ...).
    pub key: String,
    /// What is wrong and how to fix it.
    pub reason: String,
}

/// Every problem found in a set of config files (loading reports them all at once).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct LoadError {
    /// The problems, in file order.
    pub errors: Vec<ConfigError>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} error(s) in selector configs:", self.errors.len())?;
        for e in &self.errors {
            write!(f, "\n  {e}")?;
        }
        Ok(())
    }
}
