//! Is a response an HTML page? One rule for the crawler and for re-parsing.

/// True when a response should go to the HTML extractor: its `Content-Type` says `text/html`
/// or `application/xhtml+xml`; or, with no `Content-Type`, its body starts like an HTML
/// document. A body under a content coding cannot be sniffed before decoding, so it counts as
/// HTML (the extractor then decides what kind of page it is).
pub fn looks_like_html(
    content_type: Option<&str>,
    content_encoding: Option<&str>,
    body: &[u8],
) -> bool {
    if let Some(ct) = content_type {
        let mime = ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if !mime.is_empty() {
            return mime == "text/html" || mime == "application/xhtml+xml";
        }
    }
    let coded = content_encoding
        .map(|e| e.trim().to_ascii_lowercase())
        .is_some_and(|e| !e.is_empty() && e != "identity" && e != "none");
    if coded {
        return true;
    }
    let head = &body[..body.len().min(1024)];
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    text.trim_start().starts_with('<')
        && (text.contains("<html") || text.contains("<!doctype html"))
}

#[cfg(test)]
mod tests {
    use super::looks_like_html;

    #[test]
    fn content_type_decides_when_present() {
        assert!(looks_like_html(Some("text/html; charset=utf-8"), None, b""));
        assert!(looks_like_html(Some("Application/XHTML+XML"), None, b""));
        assert!(!looks_like_html(Some("application/pdf"), None, b"<html>"));
    }

    #[test]
    fn sniffs_without_content_type() {
        assert!(looks_like_html(None, None, b"  <!DOCTYPE html><html><p>x"));
        assert!(!looks_like_html(None, None, b"%PDF-1.7"));
        assert!(!looks_like_html(None, Some("identity"), b"plain text"));
        assert!(looks_like_html(None, Some("gzip"), b"\x1f\x8b\x08"));
    }
}
