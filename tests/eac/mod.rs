//! The Exchange admin center served by the W3SVC service: the role group
//! and virtual directory cmdlets in the Shell (`cmdlets`), the service and
//! its HTTP side driven with curl (`http`: sign-in refusals, CSRF, cookies,
//! expiry, role groups re-read at each request), and the seeds walked in a
//! real browser, in French and in English (`seeds`: Debian's chromium
//! through chromedriver, one chromedriver for the module).

mod browser;
mod cmdlets;
mod fixture;
mod http;
mod recipients;
mod recipients_browser;
mod seeds;
