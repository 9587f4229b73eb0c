//! Re-run extraction over stored `response` records and append new `conversion` records.
