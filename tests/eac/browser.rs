//! Debian's chromium driven through chromedriver (WebDriver) by
//! fantoccini. One chromedriver serves the module; each test has its own
//! browser (its own profile, language and cookies). The machine's network
//! is closed: chromium is told not to reach out for anything, and it
//! accepts the store's self-signed certificate.

use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};

use crate::support::wait::DEADLINE;
use crate::support::{free_port, wait_until};

/// Where Debian puts them (`apt-get install chromium chromium-driver`).
const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

struct Driver {
    port: u16,
    _child: Mutex<Child>,
}

/// The module's chromedriver, started on first use by a thread that lives
/// as long as the test process: chromedriver gets SIGTERM when it ends
/// (PR_SET_PDEATHSIG follows the thread that spawned it).
fn driver() -> u16 {
    static DRIVER: OnceLock<Driver> = OnceLock::new();
    DRIVER
        .get_or_init(|| {
            let port = free_port();
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                use std::os::unix::process::CommandExt;
                let mut c = Command::new(CHROMEDRIVER);
                c.arg(format!("--port={port}")).stdout(Stdio::null()).stderr(Stdio::null());
                // SAFETY: prctl with constant arguments, between fork and exec.
                unsafe {
                    c.pre_exec(|| {
                        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM as libc::c_ulong);
                        Ok(())
                    });
                }
                let child = c
                    .spawn()
                    .unwrap_or_else(|e| panic!("{CHROMEDRIVER} does not start ({e}): apt-get install chromium-driver"));
                tx.send(child).unwrap();
                loop {
                    std::thread::park();
                }
            });
            let child = rx.recv().unwrap();
            wait_until("chromedriver to listen", || std::net::TcpStream::connect(("127.0.0.1", port)).is_ok());
            Driver { port, _child: Mutex::new(child) }
        })
        .port
}

/// A fresh browser whose Accept-Language is `lang` (`fr-FR,fr`, `en-US,en`).
#[derive(Clone)]
pub struct Browser {
    pub client: Client,
    _profile: std::sync::Arc<tempfile::TempDir>,
}

impl Browser {
    pub async fn open(lang: &str) -> Browser {
        let port = driver();
        let profile = tempfile::tempdir().unwrap();
        let first = lang.split(',').next().unwrap_or("en-US");
        let options = serde_json::json!({
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1200,800",
                format!("--user-data-dir={}", profile.path().display()),
                format!("--lang={first}"),
            ],
            "prefs": { "intl.accept_languages": lang },
        });
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "chrome".into());
        caps.insert("acceptInsecureCerts".into(), true.into());
        caps.insert("goog:chromeOptions".into(), options);
        // chromedriver speaks plain HTTP on loopback.
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .unwrap_or_else(|e| panic!("chromium did not start through chromedriver: {e}"));
        Browser { client, _profile: std::sync::Arc::new(profile) }
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.unwrap();
    }

    /// The element, waited for (pages load after each click).
    pub async fn find(&self, locator: Locator<'_>) -> fantoccini::elements::Element {
        let described = format!("{locator:?}");
        self.client
            .wait()
            .at_most(DEADLINE)
            .every(Duration::from_millis(100))
            .for_element(locator)
            .await
            .unwrap_or_else(|e| panic!("{described} never appeared: {e}"))
    }

    /// Clicks the element; found again if the page it was on was replaced
    /// meanwhile (a form's answer arriving).
    pub async fn click(&self, locator: Locator<'_>) {
        let deadline = std::time::Instant::now() + DEADLINE;
        loop {
            match self.find(locator).await.click().await {
                Ok(_) => return,
                Err(e) => assert!(std::time::Instant::now() < deadline, "{locator:?} could not be clicked: {e}"),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn type_in(&self, css: &str, text: &str) {
        self.find(Locator::Css(css)).await.send_keys(text).await.unwrap();
    }

    /// Opens `url` (the sign-in page), signs in as `user` with the
    /// fixture's password.
    pub async fn sign_in(&self, url: &str, user: &str) {
        self.goto(url).await;
        self.type_in("#username", user).await;
        self.type_in("#password", super::fixture::PASSWORD).await;
        self.click(Locator::Css("#signin-submit")).await;
    }

    /// Waits until the element's text is `want` (after a form's answer: the
    /// element of the page being replaced may vanish under the read).
    pub async fn wait_for_text(&self, css: &str, want: &str) {
        let deadline = std::time::Instant::now() + DEADLINE;
        loop {
            let seen = match self.client.find(Locator::Css(css)).await {
                Ok(e) => e.text().await.ok(),
                Err(_) => None,
            };
            if seen.as_deref() == Some(want) {
                return;
            }
            assert!(std::time::Instant::now() < deadline, "{css} shows {seen:?}, not {want:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// A PNG of the page, for docs/eac.md. It goes to docs/images/ when that
    /// has none of this name or when MAILSH_UPDATE_SCREENSHOTS is set;
    /// otherwise to target/eac-screenshots/, so a test run leaves the checked-in
    /// images alone (Show Command Logging's shows the time it was taken).
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let checked_in = root.join("docs/images").join(name);
        let path = if !checked_in.exists() || std::env::var_os("MAILSH_UPDATE_SCREENSHOTS").is_some() {
            checked_in
        } else {
            root.join("target/eac-screenshots").join(name)
        };
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, png).unwrap();
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}

/// Runs `test` with a fresh browser on a runtime of its own; the browser
/// is closed even when the test fails.
pub fn with_browser<F, Fut>(lang: &str, test: F)
where
    F: FnOnce(Browser) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let browser = Browser::open(lang).await;
        let outcome = tokio::spawn(test(browser.clone())).await;
        browser.close().await;
        if let Err(e) = outcome
            && e.is_panic()
        {
            std::panic::resume_unwind(e.into_panic());
        }
    });
}
