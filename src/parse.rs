//! Parsing: one tree-sitter `Parser` per worker thread and grammar.

use std::cell::RefCell;

use tree_sitter::{Node, Parser, Tree};

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

/// A node's child by field name, with the name's field id looked up once per grammar and
/// thread (tree-sitter's own lookup compares the name with every field name of the grammar,
/// on every call: a tenth of the extraction time).
pub trait NodeFields<'t> {
    fn field(&self, name: &'static str) -> Option<tree_sitter::Node<'t>>;
}

impl<'t> NodeFields<'t> for tree_sitter::Node<'t> {
    fn field(&self, name: &'static str) -> Option<tree_sitter::Node<'t>> {
        let id = field_id(&self.language(), name)?;
        self.child_by_field_id(id)
    }
}

/// A node's kind name, from a table per grammar: tree-sitter's own `Node::kind` measures the
/// name's C string and checks its UTF-8 on every call, a few percent of the extraction.
pub trait NodeKind<'t> {
    fn kind_str(&self) -> &'t str;
}

impl<'t> NodeKind<'t> for tree_sitter::Node<'t> {
    #[inline]
    fn kind_str(&self) -> &'t str {
        let lang = self.language();
        let id = usize::from(self.kind_id());
        kind_names()
            .iter()
            .find(|(l, _)| *l == *lang)
            .and_then(|(_, names)| names.get(id).copied().flatten())
            // The error symbols (ids past the grammar's table) and any other grammar.
            .unwrap_or_else(|| self.kind())
    }
}

/// A grammar and its kind names by id (`None` for an id without a name).
type KindNames = (tree_sitter::Language, Vec<Option<&'static str>>);

/// Each grammar's kind names.
fn kind_names() -> &'static [KindNames] {
    static NAMES: std::sync::OnceLock<Vec<KindNames>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        [Lang::Js, Lang::Ts, Lang::Tsx]
            .into_iter()
            .map(|l| {
                let lang = language(l);
                let names = (0..lang.node_kind_count())
                    .map(|id| {
                        let id = u16::try_from(id).ok()?;
                        // Leaked once per process: a few hundred short names per grammar.
                        let name: &'static str =
                            Box::leak(lang.node_kind_for_id(id)?.to_string().into_boxed_str());
                        Some(name)
                    })
                    .collect();
                (lang, names)
            })
            .collect()
    })
}

/// Keyed by the name's address and length: hashed with foldhash, as SipHash cost more than
/// the lookup saves (a field is asked for at almost every node the extractors visit).
type FieldIds = foldhash::HashMap<(usize, usize), Option<u16>>;

thread_local! {
    /// Per grammar, field ids keyed by the name's address and length (names are literals).
    static FIELD_IDS: RefCell<Vec<(tree_sitter::Language, FieldIds)>> =
        const { RefCell::new(Vec::new()) };
}

fn field_id(lang: &tree_sitter::Language, name: &'static str) -> Option<u16> {
    let key = (name.as_ptr() as usize, name.len());
    FIELD_IDS.with(|cell| {
        let mut langs = cell.borrow_mut();
        let i = match langs.iter().position(|(l, _)| l == lang) {
            Some(i) => i,
            None => {
                langs.push((lang.clone(), FieldIds::default()));
                langs.len() - 1
            }
        };
        *langs[i]
            .1
            .entry(key)
            .or_insert_with(|| lang.field_id_for_name(name).map(u16::from))
    })
}

/// The node that spans exactly `start..end` (the smallest one there, or an ancestor of it
/// with the same range), if any.
pub fn node_with_range(root: Node<'_>, start: usize, end: usize) -> Option<Node<'_>> {
    let mut cur = root.descendant_for_byte_range(start, end);
    while let Some(c) = cur {
        if c.start_byte() == start && c.end_byte() == end {
            return Some(c);
        }
        cur = c.parent();
    }
    None
}
