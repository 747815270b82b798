// The labels Live shows for codes the raw tables store (device types, brands, operating systems,
// browsers, continents). Matomo takes them from device-detector and its own data; here they are a
// small table of facts (code -> the name Matomo 5 shows), checked against a real Matomo 5.1.2's
// answers (tests/data/dwc-real-sample). A code missing from the table keeps its code as its label:
// the value stays informative, and docs/dwc.md lists this as a difference from Live.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace metl::dwc {

// config_device_type (device-detector's type number) -> "Desktop", "Smartphone", ...; "Unknown" else.
std::string DeviceTypeLabel(std::optional<int64_t> type);
// config_device_brand ("AP") -> "Apple"; "" -> "Unknown".
std::string DeviceBrandLabel(std::string_view code);
// config_device_model: "generic desktop" -> "Generic Desktop", other models as stored.
std::string DeviceModelLabel(std::string_view model);
// config_os ("WIN") -> "Windows".
std::string OsLabel(std::string_view code);
// config_browser_name ("CH") -> "Chrome".
std::string BrowserLabel(std::string_view code);
// location_country ("de") -> Matomo's continent code ("eur"); "unk" when unknown.
std::string ContinentCode(std::string_view country);

}  // namespace metl::dwc
