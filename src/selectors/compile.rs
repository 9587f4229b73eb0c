//! Validation and compilation of a [`RawConfig`] into [`SiteRules`]: CSS selectors and regexes
//! are compiled once here; every problem becomes a [`ConfigError`] naming the key.

use chrono::{DateTime, NaiveDate, Utc};
use regex::Regex;
use scraper::Selector;

use super::error::ConfigError;
use super::raw::{RawConfig, RawFields, RawTemplate};
use super::{Candidate, DatedTemplate, Field, FieldRule, SiteRules, Template, TestSpec};

struct Errs<'a> {
    file: &'a str,
    list: Vec<ConfigError>,
}

impl Errs<'_> {
    fn push(&mut self, key: impl Into<String>, reason: impl Into<String>) {
        self.list.push(ConfigError {
            file: self.file.to_string(),
            key: key.into(),
            reason: reason.into(),
        });
    }
}

fn css(errs: &mut Errs<'_>, key: &str, src: &str) -> Option<Selector> {
    match Selector::parse(src) {
        Ok(s) => Some(s),
        Err(e) => {
            errs.push(key, format!("invalid CSS selector {src:?}: {e}"));
            None
        }
    }
}

fn css_list(errs: &mut Errs<'_>, key: &str, list: &[String]) -> Vec<Selector> {
    list.iter()
        .enumerate()
        .filter_map(|(i, s)| css(errs, &format!("{key}[{i}]"), s))
        .collect()
}

fn parse_day(errs: &mut Errs<'_>, key: &str, v: &Option<String>) -> Option<DateTime<Utc>> {
    let s = v.as_deref()?;
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) => Some(d.and_time(chrono::NaiveTime::MIN).and_utc()),
        Err(_) => {
            errs.push(
                key,
                format!("{s:?} is not a date: write YYYY-MM-DD or RFC 3339"),
            );
            None
        }
    }
}

/// Options of one table-form rule.
struct RuleOpts {
    attr: Option<String>,
    regex: Option<Regex>,
    many: bool,
}

fn table_rule(errs: &mut Errs<'_>, key: &str, t: &toml::Table, out: &mut Vec<Candidate>) {
    for k in t.keys() {
        if !matches!(k.as_str(), "css" | "attr" | "regex" | "many") {
            errs.push(
                format!("{key}.{k}"),
                "unknown key (expected css, attr, regex or many)",
            );
        }
    }
    let attr = match t.get("attr") {
        None => None,
        Some(toml::Value::String(s)) => Some(s.clone()),
        Some(_) => {
            errs.push(
                format!("{key}.attr"),
                "must be a string (an attribute name)",
            );
            None
        }
    };
    let regex = match t.get("regex") {
        None => None,
        Some(toml::Value::String(s)) => match Regex::new(s) {
            Ok(r) => Some(r),
            Err(e) => {
                errs.push(format!("{key}.regex"), format!("invalid regex: {e}"));
                None
            }
        },
        Some(_) => {
            errs.push(format!("{key}.regex"), "must be a string");
            None
        }
    };
    let many = match t.get("many") {
        None => false,
        Some(toml::Value::Boolean(b)) => *b,
        Some(_) => {
            errs.push(format!("{key}.many"), "must be true or false");
            false
        }
    };
    let opts = RuleOpts { attr, regex, many };
    let sources: Vec<(String, String)> = match t.get("css") {
        Some(toml::Value::String(s)) => vec![(format!("{key}.css"), s.clone())],
        Some(toml::Value::Array(a)) => a
            .iter()
            .enumerate()
            .filter_map(|(i, v)| match v {
                toml::Value::String(s) => Some((format!("{key}.css[{i}]"), s.clone())),
                _ => {
                    errs.push(format!("{key}.css[{i}]"), "must be a string");
                    None
                }
            })
            .collect(),
        Some(_) => {
            errs.push(
                format!("{key}.css"),
                "must be a string or a list of strings",
            );
            Vec::new()
        }
        None => {
            errs.push(
                format!("{key}.css"),
                "missing: every rule needs a css selector",
            );
            Vec::new()
        }
    };
    for (k, src) in sources {
        if let Some(sel) = css(errs, &k, &src) {
            out.push(Candidate {
                css: sel,
                css_src: src,
                attr: opts.attr.clone(),
                regex: opts.regex.clone(),
                many: opts.many,
            });
        }
    }
}

fn field_rule(errs: &mut Errs<'_>, key: &str, v: &toml::Value) -> Option<FieldRule> {
    let mut out = Vec::new();
    match v {
        toml::Value::String(s) => {
            if let Some(sel) = css(errs, key, s) {
                out.push(Candidate::plain(sel, s));
            }
        }
        toml::Value::Table(t) => table_rule(errs, key, t, &mut out),
        toml::Value::Array(a) => {
            for (i, item) in a.iter().enumerate() {
                let k = format!("{key}[{i}]");
                match item {
                    toml::Value::String(s) => {
                        if let Some(sel) = css(errs, &k, s) {
                            out.push(Candidate::plain(sel, s));
                        }
                    }
                    toml::Value::Table(t) => table_rule(errs, &k, t, &mut out),
                    _ => errs.push(k, "must be a CSS string or a { css = ... } table"),
                }
            }
        }
        _ => errs.push(
            key,
            "must be a CSS string, a list of them, or a { css = ... } table",
        ),
    }
    (!out.is_empty()).then_some(FieldRule { candidates: out })
}

fn fields(errs: &mut Errs<'_>, prefix: &str, f: &RawFields) -> Vec<(Field, FieldRule)> {
    let all = [
        (Field::Title, &f.title),
        (Field::Description, &f.description),
        (Field::Authors, &f.authors),
        (Field::Published, &f.published),
        (Field::Modified, &f.modified),
        (Field::Language, &f.language),
        (Field::Section, &f.section),
        (Field::Tags, &f.tags),
        (Field::Image, &f.image),
        (Field::CanonicalUrl, &f.canonical_url),
        (Field::SiteName, &f.site_name),
        (Field::Body, &f.body),
    ];
    all.into_iter()
        .filter_map(|(field, v)| {
            let key = format!("{prefix}fields.{}", field.name());
            v.as_ref()
                .and_then(|v| field_rule(errs, &key, v))
                .map(|r| (field, r))
        })
        .collect()
}

fn template(
    errs: &mut Errs<'_>,
    prefix: &str,
    remove: &[String],
    paywall: &[String],
    f: &RawFields,
) -> Template {
    Template {
        remove: css_list(errs, &format!("{prefix}remove"), remove),
        paywall: css_list(errs, &format!("{prefix}paywall"), paywall),
        fields: fields(errs, prefix, f),
    }
}

fn dated(errs: &mut Errs<'_>, i: usize, t: &RawTemplate) -> Option<DatedTemplate> {
    let prefix = format!("templates[{i}].");
    let from = parse_day(errs, &format!("{prefix}from"), &t.from);
    let until = parse_day(errs, &format!("{prefix}until"), &t.until);
    if t.from.is_none() && t.until.is_none() {
        errs.push(
            format!("templates[{i}]"),
            "a dated template needs `from`, `until` or both",
        );
    }
    if let (Some(a), Some(b)) = (from, until)
        && a >= b
    {
        errs.push(format!("{prefix}until"), "must be after `from`");
    }
    let tpl = template(errs, &prefix, &t.remove, &t.paywall, &t.fields);
    Some(DatedTemplate {
        from,
        until,
        template: tpl,
    })
}

fn valid_domain(d: &str) -> bool {
    let d = d.strip_prefix("*.").unwrap_or(d);
    !d.is_empty()
        && d.contains('.')
        && d.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
}

/// Compile one config. `file` is the file name (its stem names the config), `hash` its hash.
pub fn compile(file: &str, raw: &RawConfig, hash: String) -> Result<SiteRules, Vec<ConfigError>> {
    let mut errs = Errs {
        file,
        list: Vec::new(),
    };
    if raw.domains.is_empty() {
        errs.push(
            "domains",
            "at least one domain is required (e.g. domains = [\"example.com\"])",
        );
    }
    for (i, d) in raw.domains.iter().enumerate() {
        if !valid_domain(d) {
            errs.push(
                format!("domains[{i}]"),
                format!("{d:?} is not a host name: write `example.com` or `*.example.com`, no scheme or path"),
            );
        }
    }
    let article_urls = raw
        .article_urls
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match Regex::new(r) {
            Ok(r) => Some(r),
            Err(e) => {
                errs.push(format!("article_urls[{i}]"), format!("invalid regex: {e}"));
                None
            }
        })
        .collect();
    let base = template(&mut errs, "", &raw.remove, &raw.paywall, &raw.fields);
    let templates: Vec<DatedTemplate> = raw
        .templates
        .iter()
        .enumerate()
        .filter_map(|(i, t)| dated(&mut errs, i, t))
        .collect();
    for (i, a) in templates.iter().enumerate() {
        for (j, b) in templates.iter().enumerate().skip(i + 1) {
            let a_before_b = matches!((a.until, b.from), (Some(u), Some(f)) if u <= f);
            let b_before_a = matches!((b.until, a.from), (Some(u), Some(f)) if u <= f);
            if !a_before_b && !b_before_a {
                errs.push(
                    format!("templates[{j}]"),
                    format!("date window overlaps templates[{i}]; windows must not overlap"),
                );
            }
        }
    }
    let tests = raw
        .tests
        .iter()
        .map(|t| TestSpec {
            page: t.page.clone(),
            expected: t.expected.clone(),
        })
        .collect();
    if !errs.list.is_empty() {
        return Err(errs.list);
    }
    let name = file
        .rsplit('/')
        .next()
        .unwrap_or(file)
        .trim_end_matches(".toml")
        .to_string();
    Ok(SiteRules {
        name,
        hash,
        site_name: raw.name.clone(),
        domains: raw.domains.iter().map(|d| d.to_ascii_lowercase()).collect(),
        article_urls,
        base,
        templates,
        tests,
    })
}
