//! Parsing: one tree-sitter `Parser` per worker thread and grammar.

use std::cell::RefCell;

use tree_sitter::{Parser, Tree};

use crate::queries::language;
use crate::source::Lang;

thread_local! {
    static PARSERS: RefCell<[Option<Parser>; 3]> = const { RefCell::new([None, None, None]) };
}

/// Parse `text` with the grammar for `lang`. Syntax errors still give a tree (with ERROR
/// nodes); `None` only when the grammar could not be loaded.
pub fn parse(lang: Lang, text: &str) -> Option<Tree> {
    let slot = match lang {
        Lang::Js => 0,
        Lang::Ts => 1,
        Lang::Tsx => 2,
    };
    PARSERS.with(|cell| {
        let mut parsers = cell.borrow_mut();
        if parsers[slot].is_none() {
            let mut parser = Parser::new();
            parser.set_language(&language(lang)).ok()?;
            parsers[slot] = Some(parser);
        }
        let parser = parsers[slot].as_mut()?;
        let tree = parser.parse(text, None);
        if tree.is_none() {
            parser.reset();
        }
        tree
    })
}
