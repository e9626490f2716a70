fn main() {
    let args: Vec<String> = std::env::args().collect();
    // A service supervisor or engine started by Start-Service.
    if let Some(code) = mailsh::services::run_hidden_entry(&args) {
        std::process::exit(code)
    }
    std::process::exit(mailsh::hosts::cli::main(args.get(1..).unwrap_or(&[])));
}
