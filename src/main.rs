use clap::Parser;

/// mimalloc: the scan allocates many small, short-lived values on every worker thread, where
/// it is measurably faster than the system allocator (see bench/README.md).
///
/// Built with `RUSTFLAGS="--cfg clerk_guard_system_alloc"`, the binary uses the system
/// allocator instead, so that heap profilers that hook `malloc` (heaptrack) see every
/// allocation (bench/README.md, "Where the memory goes").
#[cfg(not(clerk_guard_system_alloc))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc v2's `mi_option_e` (the `v2` feature).
#[cfg(not(clerk_guard_system_alloc))]
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
/// `mi_option_arena_eager_commit` in the same enum.
#[cfg(all(not(clerk_guard_system_alloc), target_os = "linux"))]
const MI_OPTION_ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;

/// Sets mimalloc's options before anything is allocated, unless the environment sets them:
/// - purge delay 0: return freed memory to the system at once rather than 10 ms later (a scan
///   frees the texts and trees of thousands of files in bursts, and a delayed purge lets peak
///   RSS climb by a third for no measurable gain in time);
/// - arena eager commit off: commit arena memory as it is used (8–13 MiB less peak RSS on the
///   20k-file tree at the same speed). mimalloc reserves its first arena at the first
///   allocation, before `main`, so this must run earlier: on Linux from `.init_array`, which
///   runs before the Rust runtime allocates (elsewhere `main` sets the purge delay only).
///
/// It reads the environment with `getenv`, which allocates nothing (bench/README.md).
#[cfg(all(not(clerk_guard_system_alloc), target_os = "linux"))]
extern "C" fn set_allocator_options() {
    for (name, option) in [
        (c"MIMALLOC_PURGE_DELAY", MI_OPTION_PURGE_DELAY),
        (c"MIMALLOC_ARENA_EAGER_COMMIT", MI_OPTION_ARENA_EAGER_COMMIT),
    ] {
        // SAFETY: `getenv` with a NUL-terminated name, in a single-threaded process start;
        // `mi_option_set` sets a plain integer option.
        unsafe {
            if libc::getenv(name.as_ptr()).is_null() {
                libmimalloc_sys::mi_option_set(option, 0);
            }
        }
    }
}

#[cfg(all(not(clerk_guard_system_alloc), target_os = "linux"))]
#[used]
#[unsafe(link_section = ".init_array")]
static SET_ALLOCATOR_OPTIONS: extern "C" fn() = set_allocator_options;

/// tree-sitter's C library allocates through these (`tree_sitter::set_allocator`): mimalloc,
/// like the rest of the scan, rather than the system's `malloc` (3.5 % of a cold scan's samples
/// were glibc's allocator under the parser and tree releases). tree-sitter asks that they
/// never return null, as its own default does by aborting.
#[cfg(not(clerk_guard_system_alloc))]
mod ts_alloc {
    use std::ffi::c_void;

    fn non_null(p: *mut c_void) -> *mut c_void {
        if p.is_null() {
            std::process::abort();
        }
        p
    }
    pub unsafe extern "C" fn malloc(size: usize) -> *mut c_void {
        // SAFETY: a plain allocation of `size` bytes.
        non_null(unsafe { libmimalloc_sys::mi_malloc(size.max(1)) })
    }
    pub unsafe extern "C" fn calloc(n: usize, size: usize) -> *mut c_void {
        // SAFETY: a plain zeroed allocation (mimalloc checks the product for overflow).
        non_null(unsafe { libmimalloc_sys::mi_calloc(n.max(1), size.max(1)) })
    }
    pub unsafe extern "C" fn realloc(p: *mut c_void, size: usize) -> *mut c_void {
        // SAFETY: `p` came from these functions (tree-sitter's contract).
        non_null(unsafe { libmimalloc_sys::mi_realloc(p, size.max(1)) })
    }
    pub unsafe extern "C" fn free(p: *mut c_void) {
        // SAFETY: `p` came from these functions, or is null.
        unsafe { libmimalloc_sys::mi_free(p) }
    }
}

fn main() {
    #[cfg(not(clerk_guard_system_alloc))]
    // SAFETY: the first thing `main` does, before any tree-sitter object exists, and never
    // again; the four functions are one allocator's and never return null.
    unsafe {
        tree_sitter::set_allocator(Some(tree_sitter::Allocator {
            malloc: ts_alloc::malloc,
            calloc: ts_alloc::calloc,
            realloc: ts_alloc::realloc,
            free: ts_alloc::free,
        }));
    }
    #[cfg(all(not(clerk_guard_system_alloc), not(target_os = "linux")))]
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets a plain integer option, which mimalloc reads each time it purges.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    }
    clerk_guard::mark("main");
    let cli = match clerk_guard::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() => {
            // A usage error echoes the argument: mask keys and escape control characters.
            let text = e.render().to_string();
            let text = clerk_guard::facts::secrets::redact_all(&text);
            let lines: Vec<String> = text
                .lines()
                .map(|l| clerk_guard::finding::escape_control(l).into_owned())
                .collect();
            eprintln!("{}", lines.join("\n"));
            std::process::exit(e.exit_code());
        }
        Err(e) => e.exit(),
    };
    let status = match std::panic::catch_unwind(move || clerk_guard::cli::run(cli)) {
        Ok(status) => status,
        Err(_) => {
            clerk_guard::eprintln_redacted!(
                "error: clerk-guard hit an internal error (a bug); please report it with the command you ran"
            );
            clerk_guard::cli::EXIT_ERROR
        }
    };
    clerk_guard::mark("exit");
    std::process::exit(status);
}
