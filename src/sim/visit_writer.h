// Renders a visit's plan (visit_plan.h) as the JSON Matomo's Live.getLastVisitsDetails returns, byte
// for byte in Matomo's key order and types: the visit's keys (visit_writer.cc) and its actionDetails
// entries (visit_writer_actions.cc); fills the SimVisit figures the aggregates need.
#pragma once

#include <cstdint>
#include <string>

#include "sim/dataset.h"
#include "sim/site_catalog.h"
#include "sim/visit_plan.h"
#include "sim/visit_referrer.h"

namespace metl::sim::gen {

struct VisitorFacts {
  uint64_t key = 0;
  bool returning = false;
  int64_t visit_count = 1;
  int64_t seconds_since_first = 0;
  int64_t seconds_since_last = 0;
  bool ordered_before = false;
};

struct VisitInput {
  const SiteCatalog* c = nullptr;
  int64_t id_visit = 0;
  int64_t start = 0;  // UTC of offset 0
  VisitorFacts visitor;
  Referrer referrer;
  const Plan* plan = nullptr;
  uint64_t variation = 0;  // random bits for type variations
};

class VisitWriter {
 public:
  VisitWriter(const VisitInput& in, std::string& out) : in_(in), c_(*in.c), out_(out) {}

  void Write(SimVisit& v);

 private:
  int64_t LocalOf(int64_t utc) const {
    if (uniform_offset_) return utc + offset_;
    return c_.site.tz->ToLocal(utc);
  }
  void WriteAction(const Act& a, int64_t next_pv_off, int64_t last_ts);
  void WriteItems(const Act& a);
  void WriteCommonTail(const Act& a);

  const VisitInput& in_;
  const SiteCatalog& c_;
  std::string& out_;
  bool uniform_offset_ = true;
  int64_t offset_ = 0;
  int64_t last_hit_off_ = 0;  // offset of the visit's last entry that is not a goal, order or cart
  std::string date_prefix_;  // "Nov 25, 2026 "
};

}  // namespace metl::sim::gen
