// Exit codes, the same for every command (documented in docs/operations.md).
#pragma once

namespace metl {

enum ExitCode : int {
  kExitOk = 0,                // all good
  kExitInternal = 1,          // internal error (a bug or an environment fault)
  kExitUsage = 2,             // usage, config or auth error: nothing ran
  kExitPartitionsFailed = 3,  // some partitions failed (the summary says which and why)
  kExitMismatch = 4,          // a partition landed marked `mismatch`, or `verify` found differences
};

}  // namespace metl
