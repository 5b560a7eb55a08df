//! Rules about the analyzer's own suppression comments.

pub mod unused_suppression;
