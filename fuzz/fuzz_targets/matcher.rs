//! The matcher compiler over arbitrary sources and paths (see `tests/fuzz.rs`).
#![no_main]

use clerk_guard::project::matcher::{PathPattern, PatternOptions, sample_paths};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (src, path) = text.split_once('\n').unwrap_or((&text, "/"));
    let mut compiled = vec![
        PathPattern::compile(src, &PatternOptions::PATH_TO_REGEXP_DEFAULT),
        PathPattern::compile(src, &PatternOptions::NEXT_MATCHER),
        PathPattern::next_matcher(src),
        PathPattern::clerk_route(src),
    ];
    for flags in ["", "i", "gu", "y"] {
        compiled.push(PathPattern::from_js_regex(src, flags));
    }
    for p in compiled.into_iter().flatten() {
        let _ = p.is_match(path);
        let _ = p.find(path);
    }
    let _ = sample_paths(src);
});
