use clap::Parser;

fn main() {
    let cli = clerk_guard::cli::Cli::parse();
    let status = match std::panic::catch_unwind(move || clerk_guard::cli::run(cli)) {
        Ok(status) => status,
        Err(_) => {
            clerk_guard::eprintln_redacted!(
                "error: clerk-guard hit an internal error (a bug); please report it with the command you ran"
            );
            clerk_guard::cli::EXIT_ERROR
        }
    };
    std::process::exit(status);
}
