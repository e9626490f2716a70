fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(code) = mailsh::services::run_hidden_entry(&args) {
        std::process::exit(code)
    }
}
