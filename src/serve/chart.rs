//! A small bar chart as inline SVG (no script, no external file): articles per day.

use chrono::{Duration, NaiveDate};

/// Bars for the last `max_days` days up to the last day in `days` (`yyyymmdd`, count), days
/// without articles as gaps. Every value is a number or a date, so the SVG needs no escaping.
pub fn day_bars(days: &[(String, i64)], max_days: usize) -> String {
    let parsed: Vec<(NaiveDate, i64)> = days
        .iter()
        .filter_map(|(d, n)| NaiveDate::parse_from_str(d, "%Y%m%d").ok().map(|d| (d, *n)))
        .collect();
    let (Some(first), Some(last)) = (parsed.first(), parsed.last()) else {
        return String::new();
    };
    let span = (last.0 - first.0).num_days().max(0) as usize + 1;
    let n = span.min(max_days.max(1));
    let start = last.0 - Duration::days(n as i64 - 1);
    let mut counts = vec![0i64; n];
    for (d, c) in &parsed {
        let i = (*d - start).num_days();
        if i >= 0 && (i as usize) < n {
            counts[i as usize] += c;
        }
    }
    let max = counts.iter().copied().max().unwrap_or(1).max(1);
    let (w, h) = (4usize, 32i64);
    let mut svg = format!(
        "<svg class=\"bars\" width=\"{}\" height=\"{h}\" viewBox=\"0 0 {} {h}\" role=\"img\" aria-label=\"articles per day\">",
        n * w,
        n * w
    );
    for (i, c) in counts.iter().enumerate() {
        let bh = if *c > 0 { (c * h / max).max(2) } else { 0 };
        let day = start + Duration::days(i as i64);
        svg.push_str(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{bh}\"><title>{day}: {c}</title></rect>",
            i * w,
            h - bh,
            w - 1
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_fill_gaps_and_scale() {
        let svg = day_bars(&[("20240501".into(), 2), ("20240503".into(), 4)], 90);
        assert_eq!(svg.matches("<rect").count(), 3);
        assert!(svg.contains("<title>2024-05-02: 0</title>"));
        assert!(svg.contains("height=\"32\"><title>2024-05-03: 4"), "{svg}");
        assert!(day_bars(&[], 90).is_empty());
        let long = day_bars(&[("20200101".into(), 1), ("20240101".into(), 1)], 30);
        assert_eq!(long.matches("<rect").count(), 30);
    }
}
