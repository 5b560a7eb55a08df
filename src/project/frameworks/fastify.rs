//! The Fastify adapter: its entries in the one route model (see `project::frameworks`).

use crate::project::Project;
use crate::project::apps::App;
use crate::project::routes::Entry;

pub fn collect(_project: &Project, _app_index: usize, _app: &App) -> Vec<Entry> {
    Vec::new()
}
