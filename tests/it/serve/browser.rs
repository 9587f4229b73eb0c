//! Placeholder: the headless Chromium test comes next.
