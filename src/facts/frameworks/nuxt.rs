//! Nuxt facts of one file (see `facts::frameworks`).

use serde::{Deserialize, Serialize};

use super::Input;
use crate::prefilter::Hits;

/// What the Nuxt adapter needs from one file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {}

/// Whether the file must be parsed for Nuxt.
pub fn wants(_rel: &str, _hits: &Hits) -> bool {
    false
}

pub fn extract(_input: &Input<'_>) -> Option<Facts> {
    None
}
