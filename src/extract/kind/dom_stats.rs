//! One walk over the DOM counting what tells page kinds apart: running text vs link text,
//! paragraphs, headings that are links (teaser cards), list items, code blocks, forms, media,
//! and the class/id words of shops, forums, docs and landing pages.

use markup5ever::LocalName;
use scraper::{Html, Node};

use crate::extract::interned::local_name;

pub(super) use super::class_words::CLASS_WORDS;

/// Calls to action of landing and shop pages: how the text of a link or button starts (lower
/// case, after any leading punctuation).
const CALLS_TO_ACTION: [&str; 27] = [
    "get started",
    "start free",
    "start your free",
    "sign up",
    "signup",
    "try free",
    "try it free",
    "try for free",
    "try it for free",
    "free trial",
    "request a demo",
    "request a quote",
    "book a demo",
    "book a call",
    "book a consultation",
    "contact us",
    "contact sales",
    "get a quote",
    "schedule a",
    "add to cart",
    "add to bag",
    "add to basket",
    "buy now",
    "shop now",
    "subscribe now",
    "learn more",
    "talk to",
];

/// Whether a link or button text is a call to action ("Get started", "Add to cart").
fn is_call_to_action(text: &str) -> bool {
    let t = text.trim_start_matches(|c: char| !c.is_alphanumeric());
    let mut buf = [0u8; 24];
    let n = t.len().min(buf.len());
    for (d, s) in buf.iter_mut().zip(t.as_bytes()) {
        *d = s.to_ascii_lowercase();
    }
    let head = &buf[..n];
    CALLS_TO_ACTION
        .iter()
        .any(|p| head.starts_with(p.as_bytes()))
}

/// Counts from one walk of the DOM. Text counts are bytes of text nodes without their outer
/// whitespace.
#[derive(Debug, Clone, Default)]
pub(super) struct DomStats {
    /// Visible text (outside `noscript` and the [`Tag::Skip`] elements: `script`, `style`,
    /// `svg`, ...; the `title` counts).
    pub text: u32,
    /// Text inside links.
    pub link_text: u32,
    /// Text inside `nav`, `header`, `footer`, `aside`.
    pub chrome_text: u32,
    /// Text inside `pre` / `code`.
    pub code_text: u32,
    /// Paragraphs (`p`) of at least 80 bytes of text, and their text.
    pub long_paras: u32,
    pub long_para_text: u32,
    /// All `p` elements.
    pub paras: u32,
    pub h1: u32,
    pub h2: u32,
    pub h3: u32,
    /// `h2`-`h4` that hold a link: the headline of a teaser card.
    pub linked_headings: u32,
    pub links: u32,
    pub articles: u32,
    pub times: u32,
    pub list_items: u32,
    /// `li` elements that hold a link.
    pub linked_items: u32,
    pub pres: u32,
    pub codes: u32,
    pub forms: u32,
    pub inputs: u32,
    pub passwords: u32,
    pub textareas: u32,
    pub buttons: u32,
    pub selects: u32,
    pub images: u32,
    pub figures: u32,
    pub videos: u32,
    /// `iframe`s of video players (YouTube, Vimeo, Dailymotion, JW Player, Brightcove).
    pub video_frames: u32,
    pub tables: u32,
    /// `section` elements (landing pages stack them).
    pub sections: u32,
    /// Text inside list items (`li`, `dd`), and the part of it outside links.
    pub item_text: u32,
    pub item_plain_text: u32,
    /// Text inside `h2`-`h4`.
    pub heading_text: u32,
    /// Elements with microdata `itemprop="price"` / `itemtype` Product or Offer.
    pub price_props: u32,
    /// Elements whose class or id holds each of [`CLASS_WORDS`].
    pub words: WordCounts,
    /// Microdata `itemtype`s, without the vocabulary prefix.
    pub item_types: Vec<String>,
    /// Links and buttons whose text is a call to action ("Get started", "Add to cart").
    pub calls_to_action: u32,
    /// The text of the first `h1` (up to 300 bytes).
    pub first_h1: String,
}

/// One counter per [`CLASS_WORDS`] entry.
#[derive(Debug, Clone)]
pub(super) struct WordCounts(pub [u32; CLASS_WORDS.len()]);

impl Default for WordCounts {
    fn default() -> Self {
        WordCounts([0; CLASS_WORDS.len()])
    }
}

/// What the walk needs from an element's attributes, read in one pass.
#[derive(Default)]
struct Attrs {
    href: bool,
    password: bool,
}

/// Where the walk is: counters of open elements that change how text counts.
#[derive(Default)]
struct Open {
    /// Open `noscript` elements.
    hidden: u32,
    link: u32,
    chrome: u32,
    code: u32,
    para: bool,
    para_text: u32,
    heading: bool,
    heading_link: bool,
    item: bool,
    item_link: bool,
    /// Open `li` / `dd` elements.
    items: u32,
    /// Inside a link or button: the start of its text.
    action: u32,
    action_text: String,
    /// Inside the first `h1`.
    in_first_h1: bool,
}

impl DomStats {
    /// Walk `doc` once. Subtrees that hold no visible text and name no kind of page
    /// ([`Tag::Skip`]) are not entered.
    pub fn read(doc: &Html) -> Self {
        let mut s = DomStats::default();
        let mut o = Open::default();
        let mut node = doc.tree.root();
        loop {
            let enter = match node.value() {
                Node::Element(e) => s.open(e, &mut o),
                Node::Text(t) => {
                    if o.hidden == 0 {
                        s.text_node(t, &mut o);
                    }
                    false
                }
                _ => true,
            };
            if enter && let Some(child) = node.first_child() {
                node = child;
                continue;
            }
            // Close `node` and every ancestor it is the last child of, then go on with the
            // next sibling.
            loop {
                if let Node::Element(e) = node.value() {
                    s.close(tag(&e.name.local), &mut o);
                }
                if let Some(next) = node.next_sibling() {
                    node = next;
                    break;
                }
                match node.parent() {
                    Some(p) => node = p,
                    None => return s,
                }
            }
        }
    }

    fn text_node(&mut self, t: &str, o: &mut Open) {
        // Bytes of the text without its outer whitespace (inner spaces count: a cheap measure).
        let b = t.as_bytes();
        let n = match (b.first(), b.last()) {
            (Some(f), Some(l)) if !f.is_ascii_whitespace() && !l.is_ascii_whitespace() => b.len(),
            _ => t.trim_ascii().len(),
        } as u32;
        self.text += n;
        if o.link > 0 {
            self.link_text += n;
        }
        if o.chrome > 0 {
            self.chrome_text += n;
        }
        if o.code > 0 {
            self.code_text += n;
        }
        if o.para {
            o.para_text += n;
        }
        if o.heading {
            self.heading_text += n;
        }
        if o.items > 0 {
            self.item_text += n;
            if o.link == 0 {
                self.item_plain_text += n;
            }
        }
        if o.action > 0 && o.action_text.len() < 40 {
            o.action_text.push_str(t);
        }
        if o.in_first_h1 && self.first_h1.len() < 300 {
            self.first_h1.push_str(t);
        }
    }

    /// Count the element `e` opening; whether to walk its children.
    fn open(&mut self, e: &scraper::node::Element, o: &mut Open) -> bool {
        let t = tag(&e.name.local);
        match t {
            Tag::Skip => return false,
            Tag::Select => {
                self.selects += 1;
                return false;
            }
            _ => {}
        }
        let a = self.attributes(e, !matches!(t, Tag::NoWords | Tag::Img));
        match t {
            Tag::A => {
                o.link += 1;
                o.action += 1;
                if a.href {
                    self.links += 1;
                    o.heading_link |= o.heading;
                    o.item_link |= o.item;
                }
            }
            Tag::Chrome => o.chrome += 1,
            Tag::Noscript => o.hidden += 1,
            Tag::Pre => {
                self.pres += 1;
                o.code += 1;
            }
            Tag::Code => {
                self.codes += 1;
                o.code += 1;
            }
            Tag::P => {
                self.paras += 1;
                o.para = true;
                o.para_text = 0;
            }
            Tag::H1 => {
                self.h1 += 1;
                o.in_first_h1 = self.h1 == 1;
            }
            Tag::H2 | Tag::H3 | Tag::H4 => {
                self.h2 += u32::from(t == Tag::H2);
                self.h3 += u32::from(t == Tag::H3);
                o.heading = true;
                o.heading_link = false;
            }
            Tag::Li => {
                self.list_items += 1;
                o.item = true;
                o.item_link = false;
                o.items += 1;
            }
            Tag::Dd => o.items += 1,
            Tag::Article => self.articles += 1,
            Tag::Section => self.sections += 1,
            Tag::Time => self.times += 1,
            Tag::Form => self.forms += 1,
            Tag::Input => {
                self.inputs += 1;
                self.passwords += u32::from(a.password);
            }
            Tag::Textarea => self.textareas += 1,
            Tag::Button => {
                self.buttons += 1;
                o.action += 1;
            }
            Tag::Img => self.images += 1,
            Tag::Figure => self.figures += 1,
            Tag::Video => self.videos += 1,
            Tag::Iframe if e.attr("src").is_some_and(is_video_player) => self.video_frames += 1,
            Tag::Table => self.tables += 1,
            _ => {}
        }
        true
    }

    /// One pass over the element's attributes: microdata, the class/id words, and what
    /// [`Attrs`] holds.
    fn attributes(&mut self, e: &scraper::node::Element, class_words: bool) -> Attrs {
        let mut a = Attrs::default();
        let mut seen = 0u64;
        for (name, value) in e.attrs.iter() {
            match name.local {
                local_name!("href") => a.href = true,
                local_name!("type") => a.password = value.eq_ignore_ascii_case("password"),
                local_name!("itemprop") if value.eq_ignore_ascii_case("price") => {
                    self.price_props += 1
                }
                local_name!("itemtype") => self.item_types_of(value),
                local_name!("class") | local_name!("id") if class_words && value.len() <= 200 => {
                    seen |= super::class_words::find(value.as_bytes());
                }
                _ => {}
            }
        }
        while seen != 0 {
            let k = seen.trailing_zeros() as usize;
            seen &= seen - 1;
            self.words.0[k] += 1;
        }
        a
    }

    fn item_types_of(&mut self, value: &str) {
        for t in value.split_ascii_whitespace() {
            let t = t.trim_end_matches('/').rsplit('/').next().unwrap_or(t);
            if t == "Product" || t == "Offer" {
                self.price_props += 1;
            }
            if self.item_types.len() < 64 {
                self.item_types.push(t.to_string());
            }
        }
    }

    fn close(&mut self, t: Tag, o: &mut Open) {
        match t {
            Tag::A | Tag::Button => {
                if t == Tag::A {
                    o.link = o.link.saturating_sub(1);
                }
                o.action = o.action.saturating_sub(1);
                if o.action == 0 {
                    self.calls_to_action += u32::from(is_call_to_action(&o.action_text));
                    o.action_text.clear();
                }
            }
            Tag::H1 => o.in_first_h1 = false,
            Tag::Chrome => o.chrome = o.chrome.saturating_sub(1),
            Tag::Noscript => o.hidden = o.hidden.saturating_sub(1),
            Tag::Pre | Tag::Code => o.code = o.code.saturating_sub(1),
            Tag::P => {
                if o.para && o.para_text >= 80 {
                    self.long_paras += 1;
                    self.long_para_text += o.para_text;
                }
                o.para = false;
            }
            Tag::H2 | Tag::H3 | Tag::H4 => {
                if o.heading && o.heading_link {
                    self.linked_headings += 1;
                }
                o.heading = false;
            }
            Tag::Li => {
                if o.item && o.item_link {
                    self.linked_items += 1;
                }
                o.item = false;
                o.items = o.items.saturating_sub(1);
            }
            Tag::Dd => o.items = o.items.saturating_sub(1),
            _ => {}
        }
    }
}

/// What the walk does with an element, by its name (one `match` per element, not a string
/// comparison per rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    /// Not entered: scripts and styles (no visible text), SVG drawings (icons: many elements,
    /// no text), MathML.
    Skip,
    /// Counted, its options not entered.
    Select,
    /// Entered (a crawler view may sit there: Discourse posts), its text not counted.
    Noscript,
    /// Icons, media sources and head elements: many, and their class/id names no kind of page.
    NoWords,
    A,
    /// `nav`, `header`, `footer`, `aside`.
    Chrome,
    Pre,
    Code,
    P,
    H1,
    H2,
    H3,
    H4,
    Li,
    Dd,
    Article,
    Section,
    Time,
    Form,
    Input,
    Textarea,
    Button,
    Img,
    Figure,
    Video,
    Iframe,
    Table,
    Other,
}

/// The element kinds this walk tells apart, by interned name (no string comparison).
fn tag(name: &LocalName) -> Tag {
    match *name {
        local_name!("script")
        | local_name!("style")
        | local_name!("template")
        | local_name!("svg")
        | local_name!("math") => Tag::Skip,
        local_name!("noscript") => Tag::Noscript,
        local_name!("select") => Tag::Select,
        local_name!("i")
        | local_name!("source")
        | local_name!("picture")
        | local_name!("link")
        | local_name!("meta") => Tag::NoWords,
        local_name!("a") => Tag::A,
        local_name!("nav")
        | local_name!("header")
        | local_name!("footer")
        | local_name!("aside") => Tag::Chrome,
        local_name!("pre") => Tag::Pre,
        local_name!("code") => Tag::Code,
        local_name!("p") => Tag::P,
        local_name!("h1") => Tag::H1,
        local_name!("h2") => Tag::H2,
        local_name!("h3") => Tag::H3,
        local_name!("h4") => Tag::H4,
        local_name!("li") => Tag::Li,
        local_name!("dd") => Tag::Dd,
        local_name!("article") => Tag::Article,
        local_name!("section") => Tag::Section,
        local_name!("time") => Tag::Time,
        local_name!("form") => Tag::Form,
        local_name!("input") => Tag::Input,
        local_name!("textarea") => Tag::Textarea,
        local_name!("button") => Tag::Button,
        local_name!("img") => Tag::Img,
        local_name!("figure") => Tag::Figure,
        local_name!("video") => Tag::Video,
        local_name!("iframe") => Tag::Iframe,
        local_name!("table") => Tag::Table,
        _ => Tag::Other,
    }
}

fn is_video_player(src: &str) -> bool {
    [
        "youtube.com/embed",
        "youtube-nocookie.com",
        "player.vimeo.com",
        "dailymotion.com/embed",
    ]
    .iter()
    .chain(&["jwplayer", "brightcove", "jwplatform"])
    .any(|p| src.contains(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_text_links_paragraphs_and_cards() {
        let html = r#"<html><body><nav><a href="/">Home</a></nav>
            <h2><a href="/a">A headline of a card</a></h2>
            <p>Short.</p>
            <p>This paragraph is long enough to count as running text, well over eighty bytes long, even without counting any of its spaces.</p>
            <ul><li><a href="/b">B</a></li><li>plain</li></ul>
            <pre><code>let x = 1;</code></pre>
            <div class="product-price" id="cart">9.99</div>
            <h1>The <b>title</b></h1><h1>Second</h1>
            <a href="/s"> Get started today</a><button>Add to cart</button><a href="/x">Started</a>
            <script>var hidden = "not text";</script></body></html>"#;
        let s = DomStats::read(&Html::parse_document(html));
        assert_eq!((s.paras, s.long_paras), (2, 1));
        assert_eq!((s.h2, s.linked_headings), (1, 1));
        assert_eq!((s.list_items, s.linked_items), (2, 1));
        assert_eq!((s.pres, s.codes, s.links), (1, 1, 5));
        assert_eq!(s.chrome_text, 4);
        assert!(s.link_text > 4 + 17);
        assert!(s.text > s.long_para_text + s.link_text);
        let w = |k: &str| s.words.0[CLASS_WORDS.iter().position(|w| *w == k).unwrap()];
        assert_eq!(
            (w("price"), w("product"), w("cart"), w("post")),
            (1, 1, 1, 0)
        );
        assert_eq!(s.code_text, "let x = 1;".len() as u32);
        assert_eq!((s.calls_to_action, s.first_h1.as_str()), (2, "The title"));
        assert_eq!((s.item_text, s.item_plain_text), (6, 5));
        assert_eq!(s.heading_text, "A headline of a card".len() as u32);
    }

    #[test]
    fn sections_passwords_and_calls_to_action() {
        let html = r#"<section><form><input type="PASSWORD"><input type="text"></form></section>
            <section><a href="/p">  » Learn more about us</a><a>Sign-in</a><button>Buy now!</button>
            <iframe src="https://www.youtube.com/embed/x"></iframe><iframe src="/ad"></iframe>
            <dl><dd>Term <a href="/t">link</a></dd></dl></section>"#;
        let s = DomStats::read(&Html::parse_document(html));
        assert_eq!((s.sections, s.inputs, s.passwords), (2, 2, 1));
        assert_eq!((s.calls_to_action, s.links, s.video_frames), (2, 2, 1));
        assert_eq!((s.item_text, s.item_plain_text), (8, 4));
        assert!(is_call_to_action("GET STARTED"));
        assert!(!is_call_to_action("") && !is_call_to_action("Started"));
    }

    #[test]
    fn skipped_subtrees_count_nothing_and_the_walk_goes_on_after_them() {
        let html = r#"<html><head><title>Title</title></head><body>
            <svg class="cart"><text>icon text</text><a href="/x">x</a></svg>
            <select class="price"><option>One option</option></select>
            <noscript>Enable scripts</noscript><script>var x = "no";</script>
            <div><p class="post">After all of them</p></div><a href="/y">y</a></body></html>"#;
        let s = DomStats::read(&Html::parse_document(html));
        assert_eq!(
            s.text,
            ("Title".len() + "After all of them".len() + 1) as u32
        );
        assert_eq!((s.selects, s.links, s.paras), (1, 1, 1));
        let w = |k: &str| s.words.0[CLASS_WORDS.iter().position(|w| *w == k).unwrap()];
        assert_eq!((w("cart"), w("price"), w("post")), (0, 0, 1));
    }
}
