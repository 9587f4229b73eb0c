//! The async crawl pipeline: frontier → fetch → archive → extract, with politeness, budgets,
//! resume after a crash and a summary of what happened.
