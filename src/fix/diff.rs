//! Unified diffs of a file before and after its fixes (`clerk-guard fix --dry-run`).

/// A unified diff of `old` → `new` for `path`, with three lines of context.
pub fn unified(path: &str, old: &str, new: &str) -> String {
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let ops = diff_lines(&a, &b);
    let mut out = format!("--- a/{path}\n+++ b/{path}\n");
    // Group operations into hunks with 3 lines of context.
    const CTX: usize = 3;
    let changed: Vec<usize> = ops
        .iter()
        .enumerate()
        .filter(|(_, o)| !matches!(o, Op::Same(..)))
        .map(|(i, _)| i)
        .collect();
    if changed.is_empty() {
        return String::new();
    }
    let mut i = 0;
    while i < changed.len() {
        let start = changed[i].saturating_sub(CTX);
        let mut end = changed[i] + CTX + 1;
        let mut j = i + 1;
        while j < changed.len() && changed[j] < end + CTX {
            end = changed[j] + CTX + 1;
            j += 1;
        }
        let end = end.min(ops.len());
        let (mut a0, mut b0) = (None, None);
        let (mut na, mut nb) = (0, 0);
        let mut body = String::new();
        for op in &ops[start..end] {
            match *op {
                Op::Same(x, y) => {
                    a0.get_or_insert(x);
                    b0.get_or_insert(y);
                    na += 1;
                    nb += 1;
                    push_line(&mut body, ' ', a[x]);
                }
                Op::Del(x, y) => {
                    a0.get_or_insert(x);
                    b0.get_or_insert(y);
                    na += 1;
                    push_line(&mut body, '-', a[x]);
                }
                Op::Add(x, y) => {
                    a0.get_or_insert(x);
                    b0.get_or_insert(y);
                    nb += 1;
                    push_line(&mut body, '+', b[y]);
                }
            }
        }
        let a_start = if na == 0 {
            a0.unwrap_or(0)
        } else {
            a0.unwrap_or(0) + 1
        };
        let b_start = if nb == 0 {
            b0.unwrap_or(0)
        } else {
            b0.unwrap_or(0) + 1
        };
        out.push_str(&format!("@@ -{a_start},{na} +{b_start},{nb} @@\n"));
        out.push_str(&body);
        i = j;
    }
    out
}

fn push_line(out: &mut String, mark: char, line: &str) {
    out.push(mark);
    out.push_str(&crate::facts::secrets::redact_all(
        line.trim_end_matches(['\n', '\r']),
    ));
    out.push('\n');
    if !line.ends_with('\n') {
        out.push_str("\\ No newline at end of file\n");
    }
}

/// One line operation, with the positions (in `a`, in `b`) it is at.
#[derive(Clone, Copy, Debug)]
enum Op {
    Same(usize, usize),
    Del(usize, usize),
    Add(usize, usize),
}

fn diff_lines(a: &[&str], b: &[&str]) -> Vec<Op> {
    let pre = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suf = a[pre..]
        .iter()
        .rev()
        .zip(b[pre..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let am = &a[pre..a.len() - suf];
    let bm = &b[pre..b.len() - suf];
    let mut ops: Vec<Op> = (0..pre).map(|i| Op::Same(i, i)).collect();
    if am.len() * bm.len() > 4_000_000 {
        ops.extend((0..am.len()).map(|i| Op::Del(pre + i, pre)));
        ops.extend((0..bm.len()).map(|j| Op::Add(pre + am.len(), pre + j)));
    } else {
        // Longest common subsequence, by dynamic programming on the changed middle.
        let (n, m) = (am.len(), bm.len());
        let mut lcs = vec![0u32; (n + 1) * (m + 1)];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i * (m + 1) + j] = if am[i] == bm[j] {
                    lcs[(i + 1) * (m + 1) + j + 1] + 1
                } else {
                    lcs[(i + 1) * (m + 1) + j].max(lcs[i * (m + 1) + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && am[i] == bm[j] {
                ops.push(Op::Same(pre + i, pre + j));
                i += 1;
                j += 1;
            } else if i < n && (j == m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1]) {
                ops.push(Op::Del(pre + i, pre + j));
                i += 1;
            } else {
                ops.push(Op::Add(pre + i, pre + j));
                j += 1;
            }
        }
    }
    let (a_off, b_off) = (a.len() - suf, b.len() - suf);
    ops.extend((0..suf).map(|k| Op::Same(a_off + k, b_off + k)));
    ops
}
