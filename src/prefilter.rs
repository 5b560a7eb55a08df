//! The byte-level prefilter: one Aho-Corasick automaton over every keyword that any fact
//! extractor or rule needs, run once over each file's raw bytes before anything else.
//!
//! The stages point one way: the fact extractors' own keywords are listed here, and the engine
//! hands the rules' keywords in (`install`) before it reads any file. Nothing here knows the
//! rule registry. A keyword the automaton was not built with is reported as present, so a
//! caller that never installed the rules' keywords loses speed, never a finding.
//!
//! The keywords come in two tiers: those of the byte-level facts and rules first, then those
//! only code facts, the route model and the rules that read them ask about. A scan that runs
//! byte-level rules only and stores no facts searches the first tier alone
//! ([`Prefilter::scan_byte_level`]): the second tier's keywords then read as present, which
//! nothing such a scan runs asks about.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

/// Keywords of the byte-level facts (keys and webhook signing secrets, environment reads,
/// suppressions, the Clerk context of a key, whether a file calls `auth(`) and of what every
/// model reads (the `@clerk/` imports that make an app a Clerk app).
pub const BYTE_FACT_KEYWORDS: &[&str] = &[
    "sk_live_",
    "sk_test_",
    "whsec_",
    "pk_live_",
    "pk_test_",
    "process.env",
    "import.meta.env",
    "@clerk/",
    "CLERK_",
    "clerk-guard-ignore",
    "auth(",
];

/// Keywords only the code facts and the route model read (which files to parse, entries,
/// gates, requests, framework adapters, advisories).
pub const CODE_FACT_KEYWORDS: &[&str] = &[
    "use server",
    "currentUser",
    "getAuth",
    // Client gates and requests (`project::page_access`), so that deciding which modules may
    // hold a gate or send a request needs no text read again.
    "useAuth",
    "useUser",
    "useSession",
    "useOrganization",
    "SignedIn",
    "Protect",
    "Show",
    "RedirectToSignIn",
    "fetch",
    "axios",
    "useSWR",
    ".get(",
    ".post(",
    ".put(",
    ".patch(",
    ".delete(",
    // React Router / TanStack Start (facts::frameworks::{react_router, tanstack}).
    "rootAuthLoader",
    "createServerFn",
    "createFileRoute",
    "createServerFileRoute",
    "createAPIFileRoute",
    "createStart",
    "createClerkHandler",
    // Express
    "express",
    "Router(",
    // Fastify
    "fastify",
    "Fastify",
    "addHook",
    // Advisories (`project::advisories`): whether an app sets `authorizedParties`, without
    // reading every Clerk-importing file's text again.
    "authorizedParties",
];

pub struct Prefilter {
    ac: AhoCorasick,
    patterns: Vec<&'static str>,
    /// Each pattern's index: what every `Hits::has` asks (many times per file; a search of
    /// the list compared up to 128 strings).
    index: foldhash::HashMap<&'static str, usize>,
    /// For each pattern, the patterns that can overlap one of its occurrences, with where they
    /// would start (relative to its start) and agree with it byte for byte.
    overlaps: Vec<Vec<(usize, isize)>>,
    /// How many patterns (the first ones) the byte-level tier holds.
    byte_level: usize,
    /// The automaton of the byte-level tier alone, built on first use.
    byte_level_ac: OnceLock<AhoCorasick>,
}

/// Which keywords a file contains: a bit per pattern of the automaton.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Hits(u128);

fn automaton(patterns: &[&str]) -> AhoCorasick {
    // A non-overlapping search (SIMD-accelerated, many times faster than an overlapping
    // one); the keywords it steps over are checked where they would overlap a match.
    words_automaton(patterns).expect("keywords build an automaton")
}

/// An automaton over `words` with leftmost-first semantics, which let it use its SIMD
/// (Teddy) searcher: a non-overlapping search, so a word whose occurrence overlaps another's
/// may be stepped over (each user says why that cannot matter). `None` only if it cannot be
/// built.
pub(crate) fn words_automaton<I, P>(words: I) -> Option<AhoCorasick>
where
    I: IntoIterator<Item = P>,
    P: AsRef<[u8]>,
{
    AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostFirst)
        .build(words)
        .ok()
}

impl Prefilter {
    /// The automaton of the fact keywords and the rules' (`byte_level`: those of the rules
    /// that read no code; `code`: the others), the byte-level tier first.
    pub(crate) fn build(byte_level: &[&'static str], code: &[&'static str]) -> Prefilter {
        fn add(patterns: &mut Vec<&'static str>, kws: &[&'static str]) {
            for kw in kws {
                if !patterns.contains(kw) {
                    patterns.push(kw);
                }
            }
        }
        let mut patterns: Vec<&'static str> = Vec::new();
        add(&mut patterns, BYTE_FACT_KEYWORDS);
        add(&mut patterns, byte_level);
        let tier = patterns.len();
        add(&mut patterns, CODE_FACT_KEYWORDS);
        add(&mut patterns, code);
        assert!(patterns.len() <= 128, "too many prefilter keywords");
        let ac = automaton(&patterns);
        let overlaps = patterns
            .iter()
            .map(|p| {
                let p = p.as_bytes();
                let mut out = Vec::new();
                for (qi, q) in patterns.iter().enumerate() {
                    let q = q.as_bytes();
                    if q == p {
                        continue;
                    }
                    for off in -(q.len() as isize - 1)..p.len() as isize {
                        let agree = (0..q.len() as isize).all(|k| {
                            let at = off + k;
                            at < 0 || at >= p.len() as isize || p[at as usize] == q[k as usize]
                        });
                        if agree {
                            out.push((qi, off));
                        }
                    }
                }
                out
            })
            .collect();
        let index = patterns.iter().enumerate().map(|(i, p)| (*p, i)).collect();
        Prefilter {
            ac,
            patterns,
            index,
            overlaps,
            byte_level: tier,
            byte_level_ac: OnceLock::new(),
        }
    }

    /// Every keyword the file holds.
    pub fn scan(&self, bytes: &[u8]) -> Hits {
        Hits(self.search(&self.ac, self.patterns.len(), bytes))
    }

    /// The byte-level tier's keywords the file holds; every other keyword reads as present.
    pub fn scan_byte_level(&self, bytes: &[u8]) -> Hits {
        let n = self.byte_level;
        let ac = self
            .byte_level_ac
            .get_or_init(|| automaton(&self.patterns[..n]));
        Hits(self.search(ac, n, bytes) | u128::MAX.checked_shl(n as u32).unwrap_or(0))
    }

    /// The keywords among the first `n` patterns (those `ac` was built with) that `bytes` holds.
    fn search(&self, ac: &AhoCorasick, n: usize, bytes: &[u8]) -> u128 {
        let mut bits = 0u128;
        let all = if n == 128 {
            u128::MAX
        } else {
            (1u128 << n) - 1
        };
        // An occurrence the non-overlapping search steps over starts inside a match it reports
        // (after each match it reports the leftmost occurrence that starts at or after the
        // match's end), so checking each match's overlapping keywords in place finds every
        // keyword that occurs.
        for m in ac.find_iter(bytes) {
            let p = m.pattern().as_usize();
            bits |= 1 << p;
            for &(q, off) in &self.overlaps[p] {
                if q >= n || bits & (1 << q) != 0 {
                    continue;
                }
                let start = m.start() as isize + off;
                let kw = self.patterns[q].as_bytes();
                if start >= 0
                    && bytes
                        .get(start as usize..start as usize + kw.len())
                        .is_some_and(|b| b == kw)
                {
                    bits |= 1 << q;
                }
            }
            if bits == all {
                break;
            }
        }
        bits
    }

    fn index(&self, keyword: &str) -> Option<usize> {
        self.index.get(keyword).copied()
    }

    /// Whether the automaton looks for this keyword.
    pub fn knows(&self, keyword: &str) -> bool {
        self.index(keyword).is_some()
    }
}

static PREFILTER: OnceLock<Prefilter> = OnceLock::new();

/// Build the process's prefilter from the fact keywords and the rules' (from the engine: the
/// byte-level rules', then the others'). The first call wins; later calls with other keywords
/// are ignored.
pub fn install(byte_level: &[&'static str], code: &[&'static str]) -> &'static Prefilter {
    PREFILTER.get_or_init(|| Prefilter::build(byte_level, code))
}

/// The process's prefilter (the fact keywords alone when the engine has not installed one).
pub fn prefilter() -> &'static Prefilter {
    PREFILTER.get_or_init(|| Prefilter::build(&[], &[]))
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

    /// These hits without `keyword` (unchanged for a keyword the automaton does not know).
    pub fn without(self, keyword: &str) -> Hits {
        match prefilter().index(keyword) {
            Some(i) => Hits(self.0 & !(1 << i)),
            None => self,
        }
    }

    pub fn any(self, keywords: &[&str]) -> bool {
        keywords.iter().any(|k| self.has(k))
    }

    /// The raw bits (meaningful only with the automaton they were taken with: see
    /// [`fingerprint`]).
    pub fn bits(self) -> u128 {
        self.0
    }

    pub fn from_bits(bits: u128) -> Hits {
        Hits(bits)
    }
}

/// A hash of the installed automaton's keywords in order: hits stored by one process (the
/// facts cache) are read back only by a process whose automaton has the same fingerprint.
pub fn fingerprint() -> u64 {
    let joined = prefilter().patterns.join("\u{0}");
    xxhash_rust::xxh3::xxh3_64(joined.as_bytes())
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

    /// The non-overlapping search with in-place overlap checks finds exactly the keywords a
    /// plain substring test finds, on keywords built to overlap, contain and chain into each
    /// other.
    #[test]
    fn finds_exactly_the_keywords_a_substring_test_finds() {
        const EXTRA: &[&str] = &["abc", "bcd", "c", "abcd", "cda", "dab", "auth(", "h(x"];
        let pf = Prefilter::build(&EXTRA[..4], &EXTRA[4..]);
        let alphabet: &[&[u8]] = &[b"a", b"b", b"c", b"d", b"x", b"auth", b"(", b"h", b"CLERK_"];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..5000 {
            let mut text = Vec::new();
            let len = (next() % 24) as usize;
            for _ in 0..len {
                text.extend_from_slice(alphabet[(next() % alphabet.len() as u64) as usize]);
            }
            let hits = pf.scan(&text);
            let byte_level = pf.scan_byte_level(&text);
            for (i, kw) in pf.patterns.iter().enumerate() {
                let expect = text.windows(kw.len()).any(|w| w == kw.as_bytes());
                assert_eq!(
                    hits.0 & (1 << i) != 0,
                    expect,
                    "{kw:?} in {:?}",
                    String::from_utf8_lossy(&text)
                );
                // The byte-level tier alone: its keywords found exactly, the others present.
                assert_eq!(
                    byte_level.0 & (1 << i) != 0,
                    expect || i >= pf.byte_level,
                    "{kw:?} in {:?} (byte level)",
                    String::from_utf8_lossy(&text)
                );
            }
        }
    }
}
