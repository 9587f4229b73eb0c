//! The on-disk shape of a selector config (TOML), before validation. See `selectors/README.md`.

use serde::Deserialize;

/// One `selectors/<site>.toml` file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    /// The publication's name (fills `site_name`).
    pub name: Option<String>,
    /// Hosts this config applies to (`example.com` also covers `www.`; `*.example.com` every subdomain).
    pub domains: Vec<String>,
    /// Regexes over the full URL; when given, only matching URLs get the site rules.
    #[serde(default)]
    pub article_urls: Vec<String>,
    /// CSS selectors of elements removed before any field is extracted.
    #[serde(default)]
    pub remove: Vec<String>,
    /// CSS selectors: the page is paywalled when one matches.
    #[serde(default)]
    pub paywall: Vec<String>,
    /// Field rules of the base template.
    #[serde(default)]
    pub fields: RawFields,
    /// Dated templates (redesigns), each overriding the base where it says something.
    #[serde(default)]
    pub templates: Vec<RawTemplate>,
    /// Fixture tests: pages under `tests/fixtures/<config name>/` and their expected fields.
    #[serde(default)]
    pub tests: Vec<RawTest>,
}

/// A dated template.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTemplate {
    /// First capture date (inclusive), `YYYY-MM-DD` or RFC 3339.
    pub from: Option<String>,
    /// Last capture date (exclusive), `YYYY-MM-DD` or RFC 3339.
    pub until: Option<String>,
    /// Extra elements to remove.
    #[serde(default)]
    pub remove: Vec<String>,
    /// Extra paywall markers.
    #[serde(default)]
    pub paywall: Vec<String>,
    /// Field rules overriding the base ones.
    #[serde(default)]
    pub fields: RawFields,
}

/// Per-field rules: each a CSS string, a list of fallbacks, or a table
/// `{ css = ..., attr = "...", regex = "...", many = true }` (or a list of such tables).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFields {
    pub title: Option<toml::Value>,
    pub description: Option<toml::Value>,
    pub authors: Option<toml::Value>,
    pub published: Option<toml::Value>,
    pub modified: Option<toml::Value>,
    pub language: Option<toml::Value>,
    pub section: Option<toml::Value>,
    pub tags: Option<toml::Value>,
    pub image: Option<toml::Value>,
    pub canonical_url: Option<toml::Value>,
    pub site_name: Option<toml::Value>,
    pub body: Option<toml::Value>,
}

/// One fixture test.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTest {
    /// The page, relative to `tests/fixtures/<config name>/`.
    pub page: String,
    /// The expected fields (JSON), relative to the same folder. Must hold `url`.
    pub expected: String,
}
