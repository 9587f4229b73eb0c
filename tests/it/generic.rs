//! The generic body extractor: what it keeps, what it drops, page kinds, and hostile input
//! (each returns promptly, no panic).

use std::time::{Duration, Instant};

use newsarc::extract::generic::{GenericBody, GenericContext, extract_body};
use newsarc::model::PageKind;
use scraper::Html;

fn run(html: &str) -> GenericBody {
    let doc = Html::parse_document(html);
    extract_body(&doc, &GenericContext::default())
}

/// Parse, then extract under a generous (debug-build) time bound; the parse (html5ever's, not
/// ours) gets a looser one.
fn run_timed(html: &str, limit: Duration) -> GenericBody {
    let t = Instant::now();
    let doc = Html::parse_document(html);
    let parsed = t.elapsed();
    assert!(parsed < limit * 6, "parse took {parsed:?}");
    let t = Instant::now();
    let out = extract_body(&doc, &GenericContext::default());
    let took = t.elapsed();
    assert!(took < limit, "extract took {took:?} (parse {parsed:?})");
    out
}

const P1: &str = "The city council voted on Tuesday to expand the tram network, a decision that had been debated for almost ten years.";
const P2: &str = "Supporters said the new lines would cut traffic, while critics warned about the cost, which could exceed two billion euros.";
const P3: &str = "Construction is expected to begin next spring, and the first trams should run in 2029, according to the transport office.";

fn article_page() -> String {
    format!(
        r##"<html><head><title>Tram network to grow</title></head><body>
        <header><nav><ul><li><a href="/">Home</a></li><li><a href="/politics">Politics</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
        <div id="cookie-banner">We use cookies to improve your experience. By continuing you accept our cookie policy.</div>
        <main><article>
          <h1>Tram network to grow</h1>
          <div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Tweet</a></div>
          <figure><img src="a.jpg"><figcaption>The tram depot. Photo: Jane Doe</figcaption></figure>
          <p>{P1}</p>
          <div class="ad-slot">Advertisement</div>
          <h2>Costs</h2>
          <p>{P2}</p>
          <ul><li>Line 7 to the airport, about twelve kilometres long</li><li>Line 8 to the university, about nine kilometres long</li></ul>
          <blockquote>We have waited long enough for this, said the mayor at the press conference.</blockquote>
          <p hidden>Hidden text that must not appear.</p>
          <p style="display: none">Also hidden text that must not appear.</p>
          <span aria-hidden="true">Screen-hidden text.</span>
          <p>{P3}</p>
          <div class="newsletter-signup"><p>Subscribe to our newsletter for the best stories every morning, free of charge.</p></div>
          <div class="author-bio"><p>Max Muster has covered city politics for twenty years, mostly from the town hall.</p></div>
        </article>
        <section class="related-articles"><h3>Related</h3><ul><li><a href="/a">Bus lines cut in the north of the city</a></li><li><a href="/b">New bike lanes open along the river</a></li></ul></section>
        <div id="comments"><p>Great news, finally! I have been waiting for this tram for so many years now.</p></div>
        </main>
        <footer><p>© 2024 City News. All rights reserved. Imprint, privacy, contact.</p></footer>
        </body></html>"##
    )
}

#[test]
fn keeps_article_text_in_order_and_drops_furniture() {
    let out = run(&article_page());
    assert_eq!(out.page_kind, PageKind::Article);
    let t = &out.text;
    let (a, b, c) = (t.find(P1), t.find(P2), t.find(P3));
    assert!(a.is_some() && b.is_some() && c.is_some(), "{t}");
    assert!(a < b && b < c, "order: {t}");
    assert!(t.contains("Costs"), "subheading kept: {t}");
    assert!(t.contains("Line 7 to the airport"), "list kept: {t}");
    assert!(t.contains("We have waited long enough"), "quote kept: {t}");
    for bad in [
        "Home",
        "cookies",
        "Share on Facebook",
        "Photo: Jane Doe",
        "Advertisement",
        "Hidden text",
        "Screen-hidden",
        "Subscribe",
        "twenty years",
        "Bus lines cut",
        "Great news",
        "All rights reserved",
    ] {
        assert!(!t.contains(bad), "{bad:?} should be dropped: {t}");
    }
    assert!(t.contains(&format!("{P1}\n\n")), "paragraph break: {t:?}");
}

#[test]
fn br_separated_text_becomes_paragraphs() {
    let html = format!(
        "<html><body><div id=x><div class=text>{P1}<br><br>{P2}<br/>\n<br>{P3}</div></div><div><a href=/>Home</a></div></body></html>"
    );
    let out = run(&html);
    assert_eq!(out.text, format!("{P1}\n\n{P2}\n\n{P3}"));
}

#[test]
fn page_with_almost_no_markup() {
    let out = run(&format!("{P1} {P2}"));
    assert!(
        out.text.contains(P1) && out.text.contains(P2),
        "{:?}",
        out.text
    );
}

#[test]
fn cjk_and_rtl_pages() {
    let zh = "<html><body><nav><a href=/>首页</a><a href=/n>新闻</a></nav><div class=content><p>北京市政府星期二宣布，将在明年春天开始建设新的地铁线路，预计投资超过二百亿元。</p><p>市民对此表示欢迎，但也有人担心施工会影响交通，政府表示将尽量减少影响。</p></div></body></html>";
    let out = run(zh);
    assert!(out.text.contains("北京市政府星期二宣布"), "{:?}", out.text);
    assert!(out.text.contains("市民对此表示欢迎"));
    assert!(!out.text.contains("首页"));
    let ar = "<html dir=rtl><body><div class=menu><a href=/>الرئيسية</a></div><article><p>أعلنت الحكومة يوم الثلاثاء عن خطة جديدة لتوسيع شبكة الترام في المدينة، وذلك بعد نقاش طويل.</p><p>وقال المسؤولون إن المشروع سيبدأ في الربيع المقبل، وسيكلف أكثر من مليار دولار.</p></article></body></html>";
    let out = run(ar);
    assert!(out.text.contains("أعلنت الحكومة"), "{:?}", out.text);
    assert!(!out.text.contains("الرئيسية"));
}

#[test]
fn listing_page_is_not_an_article() {
    let mut html =
        String::from("<html><head><title>Politics</title></head><body><h1>Politics</h1><ul>");
    for i in 0..40 {
        html.push_str(&format!(
            "<li><a href=\"/politics/story-{i}\">Council story number {i} about the budget and the trams</a></li>"
        ));
    }
    html.push_str("</ul></body></html>");
    let out = run(&html);
    assert_eq!(out.page_kind, PageKind::Listing);
    assert!(out.text.is_empty());
}

#[test]
fn error_page_is_not_an_article() {
    let html = "<html><head><title>404 - Page not found</title></head><body><nav><a href=/>Home</a></nav><h1>Page not found</h1><p>Sorry, the page you requested does not exist.</p></body></html>";
    let out = run(html);
    assert_eq!(out.page_kind, PageKind::Error);
    assert!(out.text.is_empty());
}

#[test]
fn json_ld_body_used_when_dom_is_poor() {
    let long = format!("{P1}\n{P2}\n{P3}\n{P1} {P2}");
    let doc = Html::parse_document(
        "<html><body><div><p>Short teaser only, the rest needs JavaScript.</p></div></body></html>",
    );
    let ctx = GenericContext {
        title: None,
        json_ld_body: Some(long),
    };
    let out = extract_body(&doc, &ctx);
    assert!(out.text.contains(P3), "{:?}", out.text);
    assert!(out.text.contains(&format!("{P1}\n\n{P2}")));
}

#[test]
fn empty_document() {
    let out = run_timed("", Duration::from_secs(10));
    assert!(out.text.is_empty());
    assert_eq!(out.page_kind, PageKind::Other);
}

#[test]
fn binary_garbage() {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes: Vec<u8> = (0..200_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    let s = String::from_utf8_lossy(&bytes);
    let out = run_timed(&s, Duration::from_secs(10));
    assert!(out.text.len() < s.len() * 3);
}

#[test]
fn invalid_utf8_decoded_lossily() {
    let mut bytes = format!("<html><body><article><p>{P1}</p><p>").into_bytes();
    bytes.extend_from_slice(&[0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1]);
    bytes.extend_from_slice(format!(" {P2}</p></article></body></html>").as_bytes());
    let out = run_timed(&String::from_utf8_lossy(&bytes), Duration::from_secs(10));
    assert!(out.text.contains(P1) && out.text.contains(P2));
    assert!(out.text.contains('\u{fffd}'));
}

#[test]
fn deeply_nested_tags() {
    let depth = 10_000;
    let mut html = String::from("<html><body>");
    for _ in 0..depth {
        html.push_str("<div>");
    }
    html.push_str(&format!("<p>{P1}</p><p>{P2}</p>"));
    for _ in 0..depth {
        html.push_str("</div>");
    }
    html.push_str("</body></html>");
    let out = run_timed(&html, Duration::from_secs(10));
    assert!(
        out.text.contains(P1) && out.text.contains(P2),
        "{:?}",
        out.text
    );
    // Unclosed inline nesting as well.
    let mut html = String::from("<html><body><p>");
    for _ in 0..depth {
        html.push_str("<span>x ");
    }
    let out = run_timed(&html, Duration::from_secs(10));
    assert_eq!(out.page_kind, PageKind::Article);
}

#[test]
fn huge_page() {
    // About 30 MB: many articles' worth of paragraphs plus link lists.
    let mut html = String::with_capacity(31_000_000);
    html.push_str("<html><body><div class=content>");
    while html.len() < 30_000_000 {
        html.push_str(&format!(
            "<p>{P1}</p><p>{P2} <a href=/x>{P3}</a></p><ul><li><a href=/y>link</a></li></ul>"
        ));
    }
    html.push_str("</div></body></html>");
    let out = run_timed(&html, Duration::from_secs(60));
    assert!(out.text.len() > 10_000_000);
}

#[test]
fn one_huge_pre() {
    let mut body = String::new();
    for i in 0..200_000 {
        body.push_str(&format!("line {i}: let x = compute(a, b); // a comment\n"));
    }
    let html = format!("<html><body><pre>{body}</pre></body></html>");
    let out = run_timed(&html, Duration::from_secs(10));
    assert!(out.text.contains("line 199999: let x"));
    assert!(
        out.text
            .contains("line 1: let x = compute(a, b); // a comment\nline 2")
    );
}

#[test]
fn article_only_in_noscript() {
    let html = format!(
        "<html><body><nav><a href=/>Home</a></nav><div id=app></div><noscript><div class=post><p>{P1}</p><p>{P2}</p><p>{P3}</p></div></noscript></body></html>"
    );
    let out = run(&html);
    assert_eq!(out.page_kind, PageKind::Article);
    assert!(
        out.text.contains(P1) && out.text.contains(P3),
        "{:?}",
        out.text
    );
}

#[test]
fn text_split_into_many_small_blocks() {
    // One sentence per <div>, as some CMSs and page builders emit.
    let mut html = String::from(
        "<html><body><nav><a href=/>Home</a> <a href=/a>About</a></nav><div class=wrap>",
    );
    for i in 0..30 {
        html.push_str(&format!(
            "<div class=\"block block-{i}\"><div class=inner><span>Sentence number {i} of the report, which says something about the town.</span></div></div>"
        ));
    }
    html.push_str("</div><footer>Imprint</footer></body></html>");
    let out = run(&html);
    for i in [0, 15, 29] {
        assert!(
            out.text
                .contains(&format!("Sentence number {i} of the report")),
            "{i}: {:?}",
            out.text
        );
    }
    assert!(!out.text.contains("Imprint"));
}

#[test]
fn hundred_thousand_node_table() {
    // 100,000 short cells: no quadratic pass anywhere (filters, label trimming, scoring).
    let mut html = String::with_capacity(3_000_000);
    html.push_str("<html><body><table>");
    for r in 0..10_000 {
        html.push_str("<tr>");
        for c in 0..10 {
            html.push_str(&format!("<td>{r}-{c}</td>"));
        }
        html.push_str("</tr>");
    }
    html.push_str("</table></body></html>");
    let out = run_timed(&html, Duration::from_secs(10));
    assert!(out.text.len() < html.len());
}
