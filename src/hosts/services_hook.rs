//! Where the hosts reach the service supervisor: replay stops what a
//! transcript started.

use std::path::Path;

use crate::services::{Service, ServiceControl, ServiceStatus};

pub fn stop_all(exe: &Path, store_path: &Path) {
    let control = ServiceControl { exe: exe.to_path_buf(), store_path: store_path.to_path_buf() };
    for s in Service::ALL {
        if control.status(s) != ServiceStatus::Stopped {
            let _ = control.stop(s, &mut || {});
        }
    }
}
