//! NOOP and CHECK: nothing to do; the dispatcher sends pending updates.

use super::Done;

pub fn run(name: &str) -> Done {
    Done::completed(name)
}
