// SIGTERM and SIGINT (issue 7, "Faults"): every write of matomo-etl is atomic per partition (landing
// files are renamed into place with their manifest last; warehouse partitions are replaced in one
// transaction), so stopping at any moment rolls the current partition back. The handler only
// says so on stderr and then ends the process with the signal (exit status 128+N for a shell,
// a clean stop for systemd), instead of dying silently.
#pragma once

namespace metl {

// Installs the handlers for SIGTERM and SIGINT. Call once, early in main().
void InstallTerminationHandlers();

}  // namespace metl
