//! Every cmdlet's help examples run, as written, against a temporary store
//! holding the seeds' mailboxes, in a temporary folder (files an example
//! writes, such as Export-Csv's, land there): the examples are
//! documentation and tests.

use std::cell::RefCell;
use std::rc::Rc;

use crate::language::parse_script;
use crate::runtime::session::{Host, Session, Source};
use crate::store::CreateOptions;

struct Quiet {
    errors: Rc<RefCell<String>>,
}

impl Host for Quiet {
    fn write_out(&mut self, _text: &str) {}
    fn write_err(&mut self, text: &str) {
        if !text.starts_with("WARNING:") {
            self.errors.borrow_mut().push_str(text);
        }
    }
    fn read_line(&mut self, _prompt: &str) -> Option<String> {
        None
    }
    fn interactive(&self) -> bool {
        false
    }
}

fn run(cx: &mut Session, text: &str) {
    cx.source = Rc::new(Source { text: text.to_string(), path: None, first_line: 1 });
    let script = parse_script(text).unwrap_or_else(|e| panic!("example {text:?} does not parse: {e:?}"));
    cx.run_script(&script, &mut |_, _| Ok(()));
}

/// The process's current folder, put back when dropped (even when the test
/// fails). No other unit test reads or writes relative paths.
struct CurrentDir(std::path::PathBuf);

impl CurrentDir {
    fn enter(dir: &std::path::Path) -> CurrentDir {
        let old = std::env::current_dir().expect("a current folder");
        std::env::set_current_dir(dir).expect("the temporary folder");
        CurrentDir(old)
    }
}

impl Drop for CurrentDir {
    fn drop(&mut self) {
        let _ = std::env::set_current_dir(&self.0);
    }
}

/// A fresh store for one example: a SQLite file in `dir`, or, on the
/// PostgreSQL pass of the suite (MAILSH_TEST_BACKEND=postgresql, with
/// MAILSH_TEST_POSTGRES naming the server `.ci/run` started), a scratch
/// database on that server, dropped with the guard.
struct ExampleStore {
    path: std::path::PathBuf,
    scratch: Option<(String, String)>,
}

impl ExampleStore {
    fn make(dir: &std::path::Path, n: usize) -> ExampleStore {
        let on_postgres = std::env::var("MAILSH_TEST_BACKEND").is_ok_and(|b| b.eq_ignore_ascii_case("postgresql"));
        if !on_postgres {
            return ExampleStore { path: dir.join(format!("example-{n}.db")), scratch: None };
        }
        let server = std::env::var("MAILSH_TEST_POSTGRES").expect(
            "MAILSH_TEST_BACKEND=postgresql needs MAILSH_TEST_POSTGRES: the URL of a server to make databases on",
        );
        let name = format!("mailsh_example_{}_{n}", std::process::id());
        crate::store::use_data_home(&dir.join("data"));
        crate::store::answer_for("CAS01");
        let url = crate::store::pg::create_scratch_database(&server, &name).expect("a scratch database");
        ExampleStore { path: std::path::PathBuf::from(url), scratch: Some((server, name)) }
    }
}

impl Drop for ExampleStore {
    fn drop(&mut self) {
        if let Some((server, name)) = &self.scratch {
            let _ = crate::store::pg::drop_scratch_database(server, name);
        }
    }
}

#[test]
fn every_help_example_runs_without_error() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    // Examples that write files write them here, never into the source
    // tree: a fresh folder for each example.
    let work = dir.path().join("work");
    let mut wrote_csv = false;
    let mut n = 0;
    for def in super::registry().all() {
        let sig = &def.signature;
        if !sig.test_examples {
            continue;
        }
        for example in &sig.examples {
            n += 1;
            let store = ExampleStore::make(dir.path(), n);
            let errors = Rc::new(RefCell::new(String::new()));
            let options = CreateOptions {
                server_name: Some("CAS01".into()),
                domain: Some("contoso.com".into()),
                ..Default::default()
            };
            let mut cx = Session::new(
                store.path.clone(),
                options,
                Box::new(Quiet { errors: errors.clone() }),
                super::registry(),
                &crate::format::CONSOLE,
            );
            for name in ["John Smith", "Ken Sanchez", "Esther Valle"] {
                let alias: String = name.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
                run(
                    &mut cx,
                    &format!(
                        "New-Mailbox -Name \"{name}\" -Alias {alias} -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force) | Out-Null"
                    ),
                );
            }
            assert_eq!(errors.borrow().as_str(), "", "fixture for {}", sig.name);
            let _ = std::fs::remove_dir_all(&work);
            std::fs::create_dir_all(&work).expect("a work folder");
            {
                let _in_work = CurrentDir::enter(&work);
                run(&mut cx, example.code);
            }
            wrote_csv |= work.join("imap.csv").exists();
            assert_eq!(errors.borrow().as_str(), "", "{} example {:?} wrote an error", sig.name, example.title);
        }
    }
    assert!(wrote_csv, "Export-Csv's example wrote in the work folder");
}
