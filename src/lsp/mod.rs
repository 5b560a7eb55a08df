//! `clerk-guard lsp`.

pub fn run() -> i32 {
    0
}
