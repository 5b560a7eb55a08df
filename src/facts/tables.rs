//! Constant tables of paths a module declares at its top level, as pattern lists the
//! project model resolves across files:
//!
//! - `const access = { '/admin(.*)': ['admin'], … }`: its keys, named `access{}`;
//! - `const links = [{ label, route: '/dashboard' }, …]`: each field holding a path, named
//!   `links[].route`;
//! - `const routes = links.map((l) => l.route)`, `Object.keys(access).map((r) => r)`: the
//!   list the mapping gives, named `routes`;
//! - `const gates = Object.keys(access).map((route) => ({ matches: createRouteMatcher([route]),
//!   roles: access[route] }))`: one route matcher per entry, read as one matcher of every
//!   entry's patterns, named `gates[].matches` (`gates[]` when the mapping gives the matcher
//!   itself). A loop over `gates` in a middleware callback tests it (`facts::middleware`).

use crate::parse::{NodeFields, NodeKind};
use tree_sitter::Node;

use super::code::{PatternItem, PatternList, Patterns, span, string_value, strip};

/// Most path-holding fields of one array of objects kept as lists.
const MAX_FIELDS: usize = 8;

/// The name of a table's keys (`access{}`) or of one field of its entries (`links[].route`).
pub fn keys_name(table: &str) -> String {
    format!("{table}{{}}")
}

/// The table a derived name belongs to, and the rest of the name: `gates[].matches` →
/// (`gates`, `[].matches`); a plain name has no rest.
pub fn split_table_name(name: &str) -> (&str, &str) {
    match name.find(['{', '[']) {
        Some(i) => name.split_at(i),
        None => (name, ""),
    }
}

/// What a `.map(…)` over a table gives.
pub enum Mapped {
    /// A list of paths (`links.map((l) => l.route)`).
    List(PatternList),
    /// Route matchers, one per entry: (name suffix, the patterns of every entry's matcher).
    Matchers(Vec<(String, PatternList)>),
}

/// The elements a `.map` callback receives.
struct Elements<'n> {
    /// The table's name (`access`, `links`) or its array literal.
    table: Result<String, Node<'n>>,
    /// The elements are the table's keys (`Object.keys(access)`, `Object.entries(access)`).
    keys: bool,
}

impl Patterns<'_> {
    fn src_text(&self, n: Node<'_>) -> &str {
        &self.src[n.byte_range()]
    }

    /// The keys of an object literal, when some key is a path (`'/admin(.*)'`).
    pub fn object_keys(&self, obj: Node<'_>) -> Option<PatternList> {
        if !quotes_a_path(self.src_text(obj)) {
            return None;
        }
        let mut items = Vec::new();
        let mut any_path = false;
        let mut c = obj.walk();
        for p in obj.named_children(&mut c) {
            match p.kind_str() {
                "pair" => {
                    let Some(k) = p.field("key") else {
                        continue;
                    };
                    let value = match k.kind_str() {
                        "string" => string_value(self.src, k),
                        "property_identifier" | "number" => Some(self.src_text(k).to_string()),
                        _ => None,
                    };
                    match value {
                        Some(value) => {
                            any_path |= value.starts_with('/');
                            items.push(PatternItem::Str {
                                value,
                                span: span(k),
                            });
                        }
                        None => items.push(PatternItem::Dynamic { span: span(k) }),
                    }
                }
                "spread_element" => match p.named_child(0).map(strip) {
                    Some(i) if i.kind_str() == "identifier" => {
                        items.push(self.reference(keys_name(self.src_text(i)), i))
                    }
                    _ => items.push(PatternItem::Dynamic { span: span(p) }),
                },
                "comment" => {}
                _ => items.push(PatternItem::Dynamic { span: span(p) }),
            }
        }
        any_path.then(|| PatternList {
            items,
            span: span(obj),
        })
    }

    /// Each field of an array of objects that holds a path in some entry, with its value in
    /// every entry (`[{ route: '/a' }, { route: '/b' }]` → `route`: `/a`, `/b`).
    pub fn object_fields(&self, array: Node<'_>) -> Vec<(String, PatternList)> {
        // Most arrays hold no object, or no string that starts with a `/`.
        let text = self.src_text(array);
        if !text.contains('{') || !quotes_a_path(text) {
            return Vec::new();
        }
        let mut c = array.walk();
        let entries: Vec<Node<'_>> = array
            .named_children(&mut c)
            .filter(|e| e.kind_str() != "comment")
            .collect();
        let mut fields: Vec<String> = Vec::new();
        for e in &entries {
            let e = strip(*e);
            if e.kind_str() != "object" {
                continue;
            }
            let mut pc = e.walk();
            for p in e.named_children(&mut pc) {
                if p.kind_str() != "pair" || fields.len() >= MAX_FIELDS {
                    continue;
                }
                let (Some(k), Some(v)) = (p.field("key"), p.field("value")) else {
                    continue;
                };
                let key = self.src_text(k);
                let v = strip(v);
                if k.kind_str() == "property_identifier"
                    && v.kind_str() == "string"
                    && self.src_text(v).as_bytes().get(1) == Some(&b'/')
                    && !fields.iter().any(|f| f == key)
                {
                    fields.push(key.to_string());
                }
            }
        }
        fields
            .into_iter()
            .map(|field| {
                let items = entries
                    .iter()
                    .filter_map(|e| self.entry_field(*e, &field))
                    .collect();
                (
                    field,
                    PatternList {
                        items,
                        span: span(array),
                    },
                )
            })
            .collect()
    }

    /// One entry's `field`: its string, a reference for a spread table, nothing when the entry
    /// lacks it.
    fn entry_field(&self, entry: Node<'_>, field: &str) -> Option<PatternItem> {
        let e = strip(entry);
        match e.kind_str() {
            "object" => {
                let mut c = e.walk();
                let value = e.named_children(&mut c).find_map(|p| {
                    (p.kind_str() == "pair"
                        && p.field("key").is_some_and(|k| self.src_text(k) == field))
                    .then(|| p.field("value"))
                    .flatten()
                })?;
                Some(self.item(value))
            }
            "spread_element" => match e.named_child(0).map(strip) {
                Some(i) if i.kind_str() == "identifier" => {
                    Some(self.reference(format!("{}[].{field}", self.src_text(i)), i))
                }
                _ => Some(PatternItem::Dynamic { span: span(e) }),
            },
            _ => Some(PatternItem::Dynamic { span: span(e) }),
        }
    }

    /// A reference to the list named `name`, which the project model resolves (in this
    /// module, or in the one the table is imported from).
    fn reference(&self, name: String, at: Node<'_>) -> PatternItem {
        PatternItem::Reference {
            name,
            span: span(at),
        }
    }

    /// `TABLE.map(callback)` giving paths or route matchers, one per entry (see the module
    /// documentation); `None` for any other call.
    pub fn mapped(&self, call: Node<'_>) -> Option<Mapped> {
        let f = strip(call.field("function")?);
        if f.kind_str() != "member_expression" || self.src_text(f.field("property")?) != "map" {
            return None;
        }
        let callback = strip(call.field("arguments")?.named_child(0)?);
        if !matches!(
            callback.kind_str(),
            "arrow_function" | "function_expression"
        ) {
            return None;
        }
        let source = strip(f.field("object")?);
        let param = first_param(callback)?;
        let elements = self.elements(source, param)?;
        // The element's name: `route`, or the key of `[route, roles]` over entries.
        let element = match (param.kind_str(), elements.keys) {
            ("identifier", _) => self.src_text(param),
            ("array_pattern", true) => self.src_text(param.named_child(0)?),
            _ => return None,
        };
        let body = super::code::returned_expression(callback)?;
        // `(l) => l.route`, `(r) => r`
        if let Some(list) = self.element_list(&elements, element, body) {
            return Some(Mapped::List(list));
        }
        // `(r) => createRouteMatcher([r])`
        if let Some(list) = self.matcher_of(&elements, element, body) {
            return Some(Mapped::Matchers(vec![(String::new(), list)]));
        }
        // `(r) => ({ matches: createRouteMatcher([r]), roles: access[r] })`
        if body.kind_str() == "object" {
            let mut c = body.walk();
            let matchers: Vec<(String, PatternList)> = body
                .named_children(&mut c)
                .filter(|p| p.kind_str() == "pair")
                .filter_map(|p| {
                    let k = p.field("key")?;
                    if k.kind_str() != "property_identifier" {
                        return None;
                    }
                    let list = self.matcher_of(&elements, element, strip(p.field("value")?))?;
                    Some((format!(".{}", self.src_text(k)), list))
                })
                .collect();
            if !matchers.is_empty() {
                return Some(Mapped::Matchers(matchers));
            }
        }
        None
    }

    /// What a `.map` over `source` hands its callback.
    fn elements<'n>(&self, source: Node<'n>, param: Node<'_>) -> Option<Elements<'n>> {
        match source.kind_str() {
            "identifier" => Some(Elements {
                table: Ok(self.src_text(source).to_string()),
                keys: false,
            }),
            "array" => Some(Elements {
                table: Err(source),
                keys: false,
            }),
            "call_expression" => {
                let callee = self.src_text(source.field("function")?);
                let arg = strip(source.field("arguments")?.named_child(0)?);
                let entries = match callee {
                    "Object.keys" => false,
                    "Object.entries" => true,
                    _ => return None,
                };
                // `Object.entries` hands `[key, value]`; only its key is a path.
                if entries != (param.kind_str() == "array_pattern")
                    || arg.kind_str() != "identifier"
                {
                    return None;
                }
                Some(Elements {
                    table: Ok(self.src_text(arg).to_string()),
                    keys: true,
                })
            }
            _ => None,
        }
    }

    /// The paths `body` gives for each element: the element itself or one of its fields.
    fn element_list(
        &self,
        el: &Elements<'_>,
        element: &str,
        body: Node<'_>,
    ) -> Option<PatternList> {
        let body = strip(body);
        let field = match body.kind_str() {
            "identifier" if self.src_text(body) == element => None,
            "member_expression"
                if !el.keys
                    && body
                        .field("object")
                        .is_some_and(|o| self.src_text(strip(o)) == element) =>
            {
                let p = body.field("property")?;
                (p.kind_str() == "property_identifier").then(|| self.src_text(p))
            }
            _ => return None,
        };
        let items = match (&el.table, field) {
            (Ok(table), None) if el.keys => vec![self.reference(keys_name(table), body)],
            (Ok(table), None) => vec![self.reference(table.clone(), body)],
            (Ok(table), Some(f)) => vec![self.reference(format!("{table}[].{f}"), body)],
            (Err(array), None) => self.list(*array).items,
            (Err(array), Some(f)) => self
                .object_fields(*array)
                .into_iter()
                .find(|(name, _)| name == f)
                .map(|(_, l)| l.items)
                .unwrap_or_default(),
        };
        Some(PatternList {
            items,
            span: span(body),
        })
    }

    /// `createRouteMatcher([element])` (or of the element's field): the patterns of every
    /// entry's matcher.
    fn matcher_of(&self, el: &Elements<'_>, element: &str, value: Node<'_>) -> Option<PatternList> {
        let value = strip(value);
        if value.kind_str() != "call_expression"
            || value.field("function").map(|f| self.src_text(f)) != Some("createRouteMatcher")
        {
            return None;
        }
        let mut arg = strip(value.field("arguments")?.named_child(0)?);
        if arg.kind_str() == "array" {
            let mut c = arg.walk();
            let items: Vec<Node<'_>> = arg
                .named_children(&mut c)
                .filter(|n| n.kind_str() != "comment")
                .collect();
            arg = match items.as_slice() {
                [one] => strip(*one),
                _ => return None,
            };
        }
        self.element_list(el, element, arg)
    }
}

/// Whether text holds a string literal that starts with a `/` (`'/x`, `"/x`, `` `/x ``).
fn quotes_a_path(text: &str) -> bool {
    memchr::memmem::find(text.as_bytes(), b"'/").is_some()
        || memchr::memmem::find(text.as_bytes(), b"\"/").is_some()
        || memchr::memmem::find(text.as_bytes(), b"`/").is_some()
}

/// The first parameter of a function: its name or destructuring pattern.
pub(crate) fn first_param(f: Node<'_>) -> Option<Node<'_>> {
    if let Some(p) = f.field("parameter") {
        return Some(p);
    }
    let ps = f.field("parameters")?;
    let first = ps.named_child(0)?;
    match first.kind_str() {
        "required_parameter" | "optional_parameter" => first.field("pattern"),
        _ => Some(first),
    }
}
