//! newsarc's integration tests: one binary, one module per area. Tests never touch the
//! internet; servers they need run on 127.0.0.1 inside the test.

mod archive;
mod cli;
mod crawl;
mod dataset;
mod discover;
mod extract;
mod fuzz_regressions;
mod generic;
mod page_kinds;
mod pipeline;
mod python;
mod remote;
mod serve;
mod server;
