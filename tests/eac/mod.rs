//! The Exchange admin center served by the W3SVC service: the role group
//! and virtual directory cmdlets in the Shell (`cmdlets`), the service and
//! its HTTP side driven with curl (`http`: sign-in refusals, CSRF, cookies,
//! expiry, role groups re-read at each request), and the seeds walked in a
//! real browser, in French and in English (`seeds`: Debian's chromium
//! through chromedriver, one chromedriver for the module), as are a
//! mailbox's life (`recipients_browser`) and the server pages with Show
//! Command Logging (`servers_browser`); `recipients` drives the recipients
//! pages with curl.

mod browser;
mod cmdlets;
mod fixture;
mod http;
mod recipients;
mod recipients_browser;
mod seeds;
mod servers_browser;
