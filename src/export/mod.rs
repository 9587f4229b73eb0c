//! Export an archive to research datasets (JSONL, CSV, Parquet) or to `.warc.gz`.
