//! The byte-level prefilter: one Aho-Corasick automaton over every keyword that any fact
//! extractor or rule needs, run once over each file's raw bytes before anything else.
//!
//! The stages point one way: the fact extractors' own keywords are listed here, and the engine
//! hands the rules' keywords in (`install`) before it reads any file. Nothing here knows the
//! rule registry. A keyword the automaton was not built with is reported as present, so a
//! caller that never installed the rules' keywords loses speed, never a finding.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

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
    fn build(extra: &[&'static str]) -> Prefilter {
        let mut patterns: Vec<&'static str> = FACT_KEYWORDS.to_vec();
        for kw in extra {
            if !patterns.contains(kw) {
                patterns.push(kw);
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

    /// Whether the automaton looks for this keyword.
    pub fn knows(&self, keyword: &str) -> bool {
        self.index(keyword).is_some()
    }
}

static PREFILTER: OnceLock<Prefilter> = OnceLock::new();

/// Build the process's prefilter from the fact keywords and `extra` (the rules' keywords, from
/// the engine). The first call wins; later calls with other keywords are ignored.
pub fn install(extra: &[&'static str]) -> &'static Prefilter {
    PREFILTER.get_or_init(|| Prefilter::build(extra))
}

/// The process's prefilter (the fact keywords alone when the engine has not installed one).
pub fn prefilter() -> &'static Prefilter {
    PREFILTER.get_or_init(|| Prefilter::build(&[]))
}

impl Hits {
    /// Every keyword (a file that was not prefiltered, e.g. an editor buffer being typed).
    pub const ALL: Hits = Hits(u128::MAX);

    /// Whether the file holds the keyword; `true` for a keyword the automaton does not know
    /// (it cannot say, so it does not rule the file out).
    pub fn has(self, keyword: &str) -> bool {
        match prefilter().index(keyword) {
            Some(i) => self.0 & (1 << i) != 0,
            None => true,
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
        // Unknown to the automaton: not ruled out.
        assert!(hits.has("no such keyword"));
    }
}
