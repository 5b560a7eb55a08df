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

impl<V> From<HashMap<String, V>> for NameMap<V> {
    fn from(map: HashMap<String, V>) -> Self {
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

/// Written as a map (what the facts cache held when these were hash maps).
impl<V: Serialize> Serialize for NameMap<V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for NameMap<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        HashMap::<String, V>::deserialize(d).map(NameMap::from)
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
        let bytes = rmp_serde::to_vec_named(&map).expect("encode");
        let old: HashMap<String, String> = rmp_serde::from_slice(&bytes).expect("decode");
        assert_eq!(old.len(), 2);
    }
}
