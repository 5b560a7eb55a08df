//! `NameMap`: a small, read-only map from names to values, for what the facts of a module keep
//! by name (its imports, its top-level bindings).
//!
//! The facts of every parsed module live until the scan ends, and most modules bind a handful
//! of names: a hash table with room to grow costs several times its entries there (four
//! buckets and their control bytes for one import). A `NameMap` holds exactly its entries,
//! sorted by name, and finds one by binary search. It is built once, from the table an
//! extractor filled (`From<HashMap>`), and never changes after.

use std::collections::HashMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameMap<V> {
    /// Sorted by name; each name once.
    entries: Box<[(String, V)]>,
}

impl<V> Default for NameMap<V> {
    fn default() -> Self {
        NameMap {
            entries: Box::default(),
        }
    }
}

impl<V, S> From<HashMap<String, V, S>> for NameMap<V> {
    fn from(map: HashMap<String, V, S>) -> Self {
        let mut entries: Vec<(String, V)> = map.into_iter().collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        NameMap {
            entries: entries.into_boxed_slice(),
        }
    }
}

impl<V> NameMap<V> {
    fn position(&self, name: &str) -> Option<usize> {
        self.entries
            .binary_search_by(|(k, _)| k.as_str().cmp(name))
            .ok()
    }

    pub fn get(&self, name: &str) -> Option<&V> {
        self.position(name).map(|i| &self.entries[i].1)
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.position(name).is_some()
    }

    /// The entries, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &V)> + Clone {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// The names, in order.
    pub fn keys(&self) -> impl Iterator<Item = &String> + Clone {
        self.entries.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl Iterator<Item = &V> + Clone {
        self.entries.iter().map(|(_, v)| v)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Written as a map, in name order.
impl<V: Serialize> Serialize for NameMap<V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

/// Read back into the entries directly (a map written by `serialize` is in order already); a
/// map out of order is sorted, and of a name given twice the last value is kept.
impl<'de, V: Deserialize<'de>> Deserialize<'de> for NameMap<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entries<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for Entries<V> {
            type Value = NameMap<V>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map from names to values")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<NameMap<V>, A::Error> {
                // The hint comes from the input: bounded, so a hostile length costs nothing.
                let mut entries: Vec<(String, V)> =
                    Vec::with_capacity(map.size_hint().unwrap_or(0).min(1024));
                let mut sorted = true;
                while let Some((k, v)) = map.next_entry::<String, V>()? {
                    if entries.last().is_some_and(|(last, _)| *last >= k) {
                        sorted = false;
                    }
                    entries.push((k, v));
                }
                if !sorted {
                    // Stable: of equal names the last one read stays last, and is kept.
                    entries.sort_by(|a, b| a.0.cmp(&b.0));
                    let mut kept: Vec<(String, V)> = Vec::with_capacity(entries.len());
                    for e in entries {
                        match kept.last_mut() {
                            Some(last) if last.0 == e.0 => *last = e,
                            _ => kept.push(e),
                        }
                    }
                    entries = kept;
                }
                Ok(NameMap {
                    entries: entries.into_boxed_slice(),
                })
            }
        }
        d.deserialize_map(Entries(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_by_name_and_iterates_in_order() {
        let map: NameMap<u32> = HashMap::from([
            ("b".to_string(), 2),
            ("a".to_string(), 1),
            ("c".to_string(), 3),
        ])
        .into();
        assert_eq!(map.get("a"), Some(&1));
        assert_eq!(map.get("c"), Some(&3));
        assert_eq!(map.get("d"), None);
        assert!(map.contains_key("b") && !map.contains_key(""));
        assert_eq!(map.keys().collect::<Vec<_>>(), ["a", "b", "c"]);
        assert_eq!(map.values().copied().collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(map.len(), 3);
        assert!(NameMap::<u32>::default().is_empty());
    }

    #[test]
    fn round_trips_as_a_map() {
        let map: NameMap<String> = HashMap::from([
            ("x".to_string(), "1".to_string()),
            ("y".to_string(), "2".to_string()),
        ])
        .into();
        let json = serde_json::to_string(&map).expect("serialize");
        assert_eq!(json, r#"{"x":"1","y":"2"}"#);
        let back: NameMap<String> = serde_json::from_str(&json).expect("deserialize");
        assert_eq!(back, map);
        let bytes = postcard::to_stdvec(&map).expect("encode");
        let back: NameMap<String> = postcard::from_bytes(&bytes).expect("decode");
        assert_eq!(back, map);
    }

    #[test]
    fn a_map_out_of_order_is_sorted_and_keeps_the_last_value_of_a_name() {
        let back: NameMap<u32> =
            serde_json::from_str(r#"{"b":1,"a":2,"b":3,"c":4}"#).expect("deserialize");
        assert_eq!(
            back.iter().collect::<Vec<_>>(),
            [
                (&"a".to_string(), &2),
                (&"b".to_string(), &3),
                (&"c".to_string(), &4)
            ]
        );
    }
}
