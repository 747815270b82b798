#include "normalize/action_times.h"

namespace metl {

void ResolveActionTimes(const TimeZone& zone, const std::vector<int64_t>& local, int64_t first_action_utc,
                        int64_t last_action_utc, std::vector<int64_t>* utc_out) {
  utc_out->resize(local.size());
  int64_t previous = first_action_utc;
  for (size_t i = 0; i < local.size(); ++i) {
    TimeZone::Candidates c = zone.FromLocal(local[i]);
    int64_t chosen;
    if (c.count == 0) {
      chosen = zone.FromLocalEarliest(local[i]);
    } else if (c.count == 1) {
      chosen = c.utc[0];
    } else {
      // Candidates are ascending (earlier first).
      int picked = -1;
      for (int k = 0; k < c.count && picked < 0; ++k) {
        if (c.utc[k] >= previous && c.utc[k] <= last_action_utc) picked = k;
      }
      for (int k = 0; k < c.count && picked < 0; ++k) {
        if (c.utc[k] >= previous) picked = k;
      }
      chosen = c.utc[picked < 0 ? c.count - 1 : picked];
    }
    (*utc_out)[i] = chosen;
    if (chosen > previous) previous = chosen;
  }
}

}  // namespace metl
