//! The `hmedesk` command: the core library for scripts, automation and tests.
fn main() {
    std::process::exit(hmedesk::cli::run(std::env::args_os()));
}
