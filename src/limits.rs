//! Caps on inputs the user names (`--config`, `--baseline`): `/dev/zero` or a runaway file
//! gives a clear error instead of reading until memory runs out.

use std::io::Read;
use std::path::Path;

/// Largest configuration file read.
pub const CONFIG_MAX_BYTES: u64 = 1024 * 1024;
/// Largest baseline file read.
pub const BASELINE_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Read at most `cap` bytes of `path`; a longer input is an error that names the cap.
pub fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > cap {
        return Err(format!("it is larger than the {cap}-byte limit"));
    }
    Ok(bytes)
}

/// Most entries in one list of a configuration file (`exclude`, `public_routes`, …): each
/// `exclude` glob is compiled (10,000 took 2 s and 200 MB in a release build; 2,000 take
/// 0.5 s), and real configurations list tens.
pub const CONFIG_MAX_LIST_ENTRIES: usize = 2_000;
/// Longest single entry (a glob, a route pattern, a function name) of a configuration list.
pub const CONFIG_MAX_ENTRY_LEN: usize = 4096;
