//! A bound on how deep the fact extractors recurse, so hostile nesting (a thousand nested
//! blocks, `a.b.b.b…`, `if` chains) degrades the analysis instead of overflowing the stack.
//!
//! Every recursive walk over a tree or a condition takes a [`Guard`] at its entry: one shared,
//! per-thread counter bounds the total nesting of guarded frames. Past [`MAX_DEPTH`] the guard
//! is refused, the walk treats that subtree as unknown, and [`take_truncated`] reports it so
//! the caller can say the analysis is incomplete. A per-thread visit counter lets tests assert
//! that extraction stays linear in the size of the tree.

use std::cell::Cell;

/// Guarded frames a walk may nest. Each frame is at most a few KiB even in debug builds, so
/// this fits well within a 2 MiB thread stack.
pub const MAX_DEPTH: u32 = 160;

thread_local! {
    static DEPTH: Cell<u32> = const { Cell::new(0) };
    static TRUNCATED: Cell<bool> = const { Cell::new(false) };
    static VISITS: Cell<u64> = const { Cell::new(0) };
}

/// One level of recursion, released on drop.
#[must_use]
pub struct Guard(());

impl Guard {
    /// Enter one more level, or `None` when the walk is already [`MAX_DEPTH`] deep (the
    /// caller then gives up on that subtree).
    pub fn enter() -> Option<Guard> {
        DEPTH.with(|d| {
            if d.get() >= MAX_DEPTH {
                TRUNCATED.with(|t| t.set(true));
                None
            } else {
                d.set(d.get() + 1);
                Some(Guard(()))
            }
        })
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

/// Whether a walk on this thread was cut short since the last call; clears the flag.
pub fn take_truncated() -> bool {
    TRUNCATED.with(|t| t.replace(false))
}

/// Count `n` node visits (tree steps, parent climbs) on this thread.
pub fn visit(n: u64) {
    VISITS.with(|v| v.set(v.get().wrapping_add(n)));
}

/// Node visits counted on this thread so far (for linearity tests).
pub fn visits() -> u64 {
    VISITS.with(Cell::get)
}

/// One warning per analysed file whose code nests deeper than the extractors follow.
pub fn warnings(files: &[super::FileFacts]) -> Vec<String> {
    files
        .iter()
        .filter(|f| f.code_is_parsed() && f.code().is_some_and(|c| c.too_deep))
        .map(|f| {
            format!(
                "{}: code nested too deeply (over {MAX_DEPTH} levels): what lies deeper is not analysed; its verdicts may be incomplete",
                crate::finding::escape_control(&f.rel)
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guard_bounds_and_releases() {
        fn down() -> u32 {
            match Guard::enter() {
                Some(_g) => 1 + down(),
                None => 0,
            }
        }
        let _ = take_truncated();
        assert_eq!(down(), MAX_DEPTH);
        assert!(take_truncated());
        assert!(!take_truncated());
        // Released: the full depth is available again.
        assert_eq!(down(), MAX_DEPTH);
        let _ = take_truncated();
    }
}
