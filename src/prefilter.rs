//! The byte-level prefilter: one Aho-Corasick automaton over every keyword that any fact
//! extractor or rule needs, run once over each file's raw bytes before anything else.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use crate::rules::RULES;

/// Keywords the fact extractors look for (rules add theirs from `RuleMeta::keywords`).
pub const FACT_KEYWORDS: &[&str] = &[
    "sk_live_",
    "sk_test_",
    "pk_live_",
    "pk_test_",
    "process.env",
    "import.meta.env",
    "@clerk/",
    "CLERK_",
    "clerk-guard-ignore",
    "use server",
    "auth(",
    "currentUser",
    "getAuth",
];

pub struct Prefilter {
    ac: AhoCorasick,
    patterns: Vec<&'static str>,
}

/// Which keywords a file contains: a bit per pattern of the automaton.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Hits(u128);

impl Prefilter {
    fn build() -> Prefilter {
        let mut patterns: Vec<&'static str> = FACT_KEYWORDS.to_vec();
        for rule in RULES {
            for kw in rule.meta().keywords {
                if !patterns.contains(kw) {
                    patterns.push(kw);
                }
            }
        }
        assert!(patterns.len() <= 128, "too many prefilter keywords");
        // A DFA: a few hundred KB for these keywords, and the fastest overlapping search.
        let ac = AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(&patterns)
            .expect("keywords build an automaton");
        Prefilter { ac, patterns }
    }

    pub fn scan(&self, bytes: &[u8]) -> Hits {
        let mut bits = 0u128;
        let all = if self.patterns.len() == 128 {
            u128::MAX
        } else {
            (1u128 << self.patterns.len()) - 1
        };
        for m in self.ac.find_overlapping_iter(bytes) {
            bits |= 1 << m.pattern().as_usize();
            if bits == all {
                break;
            }
        }
        Hits(bits)
    }

    fn index(&self, keyword: &str) -> Option<usize> {
        self.patterns.iter().position(|p| *p == keyword)
    }
}

static PREFILTER: LazyLock<Prefilter> = LazyLock::new(Prefilter::build);

pub fn prefilter() -> &'static Prefilter {
    &PREFILTER
}

impl Hits {
    /// Every keyword (a file that was not prefiltered, e.g. an editor buffer being typed).
    pub const ALL: Hits = Hits(u128::MAX);

    pub fn has(self, keyword: &str) -> bool {
        match PREFILTER.index(keyword) {
            Some(i) => self.0 & (1 << i) != 0,
            None => false,
        }
    }

    pub fn any(self, keywords: &[&str]) -> bool {
        keywords.iter().any(|k| self.has(k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_overlapping_keywords() {
        let hits = prefilter().scan(b"NEXT_PUBLIC_CLERK_SECRET_KEY=sk_live_x process.env.A");
        assert!(hits.has("CLERK_"));
        assert!(hits.has("sk_live_"));
        assert!(hits.has("process.env"));
        assert!(!hits.has("sk_test_"));
        assert!(!hits.has("@clerk/"));
        assert!(Hits::ALL.has("sk_test_"));
    }
}
