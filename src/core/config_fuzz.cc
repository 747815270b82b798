// libFuzzer target: arbitrary text as the TOML config file through ResolveConfig (the same path a
// user's matomo-etl.toml takes). Must never crash or throw: bad files are kConfig errors; accepted
// files give values that the typed accessors can read without aborting.
//
// The text is written to a memfd and read back through /proc/self/fd/N, so no disk is touched.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static int fd = memfd_create("metl-config-fuzz", 0);
  if (fd < 0) std::abort();
  if (ftruncate(fd, 0) != 0) std::abort();
  size_t done = 0;
  while (done < size) {
    ssize_t n = pwrite(fd, data + done, size - done, static_cast<off_t>(done));
    if (n <= 0) std::abort();
    done += static_cast<size_t>(n);
  }
  metl::ConfigInputs inputs;
  inputs.flags["config"] = {"/proc/self/fd/" + std::to_string(fd)};
  auto config = metl::ResolveConfig(metl::kCmdSync, inputs);
  if (!config.ok()) {
    if (config.error().kind() != metl::ErrorKind::kConfig) std::abort();
    return 0;
  }
  // Every option that resolved must read back through its typed accessor.
  for (const auto& o : metl::AllOptions()) {
    if (!config->Has(o.key)) continue;
    switch (o.type) {
      case metl::OptionType::kInt: (void)config->Int(o.key); break;
      case metl::OptionType::kBool: (void)config->Bool(o.key); break;
      case metl::OptionType::kDate: (void)config->Date(o.key); break;
      case metl::OptionType::kTimestamp: (void)config->Timestamp(o.key); break;
      case metl::OptionType::kIntList: (void)config->IntList(o.key); break;
      default: (void)config->String(o.key); break;
    }
  }
  return 0;
}
