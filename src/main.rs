use clap::Parser;

fn main() {
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
    std::process::exit(status);
}
