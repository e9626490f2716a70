fn main() {
    // Not `std::env::args()`: it panics on an argument that is not UTF-8.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // A service supervisor or engine started by Start-Service.
    if let Some(code) = mailsh::services::run_hidden_entry(&args, mailsh::hosts::eac::runner) {
        std::process::exit(code)
    }
    std::process::exit(mailsh::hosts::cli::main_os(args.get(1..).unwrap_or(&[])));
}
