//! The AWS shared files (`~/.aws/credentials`, `~/.aws/config`) read the standard way, for the
//! settings object_store does not read itself: the profile's keys, region and endpoint.
//!
//! Profile: `AWS_PROFILE`, else `default`. Files: `AWS_SHARED_CREDENTIALS_FILE` and
//! `AWS_CONFIG_FILE`, else under `$HOME/.aws/`. In `config` a profile's section is
//! `[profile NAME]` (`[default]` for the default one); in `credentials` it is `[NAME]`.

use std::collections::HashMap;
use std::path::PathBuf;

/// What one profile says (every field optional).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct AwsProfile {
    /// `aws_access_key_id`.
    pub access_key_id: Option<String>,
    /// `aws_secret_access_key`.
    pub secret_access_key: Option<String>,
    /// `aws_session_token`.
    pub session_token: Option<String>,
    /// `region`.
    pub region: Option<String>,
    /// `endpoint_url` (an S3-compatible server).
    pub endpoint_url: Option<String>,
}

/// Sections of an INI file: section name → key → value (keys lower-cased, values trimmed).
fn parse_ini(text: &str) -> HashMap<String, HashMap<String, String>> {
    let mut out: HashMap<String, HashMap<String, String>> = HashMap::new();
    let mut section: Option<String> = None;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
            section = Some(name);
            continue;
        }
        let (Some(sec), Some((k, v))) = (&section, line.split_once('=')) else {
            // A nested sub-section line (`s3 =` then indented keys) or junk: not ours.
            continue;
        };
        let (k, v) = (k.trim().to_ascii_lowercase(), v.trim());
        if !v.is_empty() {
            out.entry(sec.clone()).or_default().insert(k, v.to_string());
        }
    }
    out
}

impl AwsProfile {
    /// Read `profile` from the texts of the credentials and config files.
    pub fn from_texts(profile: &str, credentials: &str, config: &str) -> AwsProfile {
        let creds = parse_ini(credentials);
        let conf = parse_ini(config);
        let conf_name = if profile == "default" {
            "default".to_string()
        } else {
            format!("profile {profile}")
        };
        let sections = [creds.get(profile), conf.get(&conf_name)];
        let get = |key: &str| sections.iter().flatten().find_map(|s| s.get(key).cloned());
        AwsProfile {
            access_key_id: get("aws_access_key_id"),
            secret_access_key: get("aws_secret_access_key"),
            session_token: get("aws_session_token"),
            region: get("region"),
            endpoint_url: get("endpoint_url"),
        }
    }

    /// Read the profile the environment names, from the files the environment names
    /// (missing files are empty).
    pub fn from_env(env: impl Fn(&str) -> Option<String>) -> AwsProfile {
        let home = env("HOME").map(PathBuf::from);
        let file = |var: &str, name: &str| {
            env(var)
                .map(PathBuf::from)
                .or_else(|| home.as_ref().map(|h| h.join(".aws").join(name)))
                .and_then(|p| std::fs::read_to_string(p).ok())
                .unwrap_or_default()
        };
        let profile = env("AWS_PROFILE").unwrap_or_else(|| "default".to_string());
        Self::from_texts(
            &profile,
            &file("AWS_SHARED_CREDENTIALS_FILE", "credentials"),
            &file("AWS_CONFIG_FILE", "config"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CREDS: &str = "\
[default]
aws_access_key_id = AKIADEFAULT
aws_secret_access_key = secretdefault

# a comment
[research]
aws_access_key_id=AKIARESEARCH
aws_secret_access_key = secret research
aws_session_token = tok
";
    const CONFIG: &str = "\
[default]
region = eu-west-1

[profile research]
region = us-east-1
endpoint_url = http://127.0.0.1:9000
s3 =
  max_concurrent_requests = 20
";

    #[test]
    fn default_profile() {
        let p = AwsProfile::from_texts("default", CREDS, CONFIG);
        assert_eq!(p.access_key_id.as_deref(), Some("AKIADEFAULT"));
        assert_eq!(p.region.as_deref(), Some("eu-west-1"));
        assert_eq!(p.endpoint_url, None);
        assert_eq!(p.session_token, None);
    }

    #[test]
    fn named_profile_uses_profile_section_in_config() {
        let p = AwsProfile::from_texts("research", CREDS, CONFIG);
        assert_eq!(p.secret_access_key.as_deref(), Some("secret research"));
        assert_eq!(p.session_token.as_deref(), Some("tok"));
        assert_eq!(p.region.as_deref(), Some("us-east-1"));
        assert_eq!(p.endpoint_url.as_deref(), Some("http://127.0.0.1:9000"));
    }

    #[test]
    fn missing_profile_and_junk_give_nothing() {
        assert_eq!(
            AwsProfile::from_texts("nope", CREDS, CONFIG),
            AwsProfile::default()
        );
        assert_eq!(
            AwsProfile::from_texts("default", "garbage\n[x\n=y", ""),
            AwsProfile::default()
        );
    }

    #[test]
    fn files_from_env() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".aws")).unwrap();
        std::fs::write(dir.path().join(".aws/credentials"), CREDS).unwrap();
        std::fs::write(dir.path().join(".aws/config"), CONFIG).unwrap();
        let home = dir.path().to_string_lossy().into_owned();
        let env = |k: &str| match k {
            "HOME" => Some(home.clone()),
            "AWS_PROFILE" => Some("research".to_string()),
            _ => None,
        };
        let p = AwsProfile::from_env(env);
        assert_eq!(p.access_key_id.as_deref(), Some("AKIARESEARCH"));
    }
}
