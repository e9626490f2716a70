//! Test-ImapConnectivity / Test-PopConnectivity client probes.
