#include "dwc/labels.h"

#include <cctype>
#include <cstdint>
#include <map>

namespace metl::dwc {
namespace {

using Table = std::map<std::string, std::string, std::less<>>;

std::string Lookup(const Table& table, std::string_view code) {
  auto it = table.find(code);
  return it == table.end() ? std::string(code) : it->second;
}

}  // namespace

std::string DeviceTypeLabel(std::optional<int64_t> type) {
  static const char* const kNames[] = {
      "Desktop", "Smartphone",    "Tablet",        "Feature phone", "Console",
      "TV",      "Car browser",   "Smart display", "Camera",        "Portable media player",
      "Phablet", "Smart speaker", "Wearable",      "Peripheral"};
  if (!type || *type < 0 || *type >= static_cast<int64_t>(std::size(kNames))) return "Unknown";
  return kNames[*type];
}

std::string DeviceBrandLabel(std::string_view code) {
  static const Table kBrands = {
      {"AC", "Acer"},       {"AL", "Alcatel"}, {"AN", "Arnova"},  {"AP", "Apple"},     {"AS", "ASUS"},
      {"BB", "BlackBerry"}, {"DL", "Dell"},    {"GO", "Google"},  {"HP", "HP"},        {"HU", "Huawei"},
      {"HT", "HTC"},        {"LE", "Lenovo"},  {"LG", "LG"},      {"MI", "Microsoft"}, {"MR", "Motorola"},
      {"NK", "Nokia"},      {"OP", "OPPO"},    {"ON", "OnePlus"}, {"RE", "Realme"},    {"SA", "Samsung"},
      {"SO", "Sony"},       {"TC", "TCL"},     {"VV", "Vivo"},    {"XI", "Xiaomi"},    {"ZT", "ZTE"},
  };
  if (code.empty()) return "Unknown";
  return Lookup(kBrands, code);
}

std::string DeviceModelLabel(std::string_view model) {
  constexpr std::string_view kGeneric = "generic ";
  if (model.substr(0, kGeneric.size()) != kGeneric || model.size() == kGeneric.size()) return std::string(model);
  std::string rest(model.substr(kGeneric.size()));
  rest[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(rest[0])));
  return "Generic " + rest;
}

std::string OsLabel(std::string_view code) {
  static const Table kOs = {
      {"AND", "Android"}, {"ATV", "tvOS"},       {"CHR", "Chrome OS"},     {"DEB", "Debian"},
      {"FED", "Fedora"},  {"FOS", "Firefox OS"}, {"HAR", "HarmonyOS"},     {"IOS", "iOS"},
      {"IPA", "iOS"},     {"KOS", "KaiOS"},      {"LIN", "GNU/Linux"},     {"MAC", "Mac"},
      {"UBT", "Ubuntu"},  {"WIN", "Windows"},    {"WPH", "Windows Phone"}, {"WAS", "watchOS"},
  };
  return Lookup(kOs, code);
}

std::string BrowserLabel(std::string_view code) {
  static const Table kBrowsers = {
      {"BR", "Brave"},          {"CH", "Chrome"},          {"CI", "Chrome Frame"},
      {"CM", "Chrome Mobile"},  {"CR", "Chromium"},        {"DD", "DuckDuckGo Privacy Browser"},
      {"FF", "Firefox"},        {"FM", "Firefox Mobile"},  {"IE", "Internet Explorer"},
      {"MF", "Mobile Safari"},  {"OP", "Opera"},           {"OM", "Opera Mini"},
      {"PS", "Microsoft Edge"}, {"SB", "Samsung Browser"}, {"SF", "Safari"},
      {"UC", "UC Browser"},     {"VI", "Vivaldi"},         {"YA", "Yandex Browser"},
  };
  return Lookup(kBrowsers, code);
}

std::string ContinentCode(std::string_view country) {
  // ISO 3166 alpha-2 codes (lower case, as Matomo stores them) by continent, in Matomo's continent codes.
  static const Table kContinents = [] {
    const std::pair<const char*, const char*> groups[] = {
        {"eur",
         "ad al at ax ba be bg by ch cy cz de dk ee es fi fo fr gb gg gi gr hr hu ie im is it je li lt lu lv "
         "mc md me mk mt nl no pl pt ro rs ru se si sj sk sm ua va xk"},
        {"asi",
         "ae af am az bd bh bn bt cn ge hk id il in iq ir jo jp kg kh kp kr kw kz la lb lk mm mn mo mv my "
         "np om ph pk ps qa sa sg sy th tj tl tm tr tw uz vn ye"},
        {"afr",
         "ao bf bi bj bw cd cf cg ci cm cv dj dz eg eh er et ga gh gm gn gq gw ke km lr ls ly ma mg ml mr mu "
         "mw mz na ne ng re rw sc sd sh sl sn so ss st sz td tg tn tz ug yt za zm zw"},
        {"amn", "bm ca gl mx pm us"},
        {"amc",
         "ag ai aw bb bl bq bs bz cr cu cw dm do gd gp gt hn ht jm kn ky lc mf mq ms ni pa pr sv sx tc tt vc "
         "vg vi"},
        {"ams", "ar bo br cl co ec fk gf gy pe py sr uy ve"},
        {"oce", "as au ck fj fm gu ki mh mp nc nf nr nu nz pf pg pn pw sb tk to tv um vu wf ws"},
        {"ant", "aq bv gs hm tf"},
    };
    Table t;
    for (const auto& [continent, countries] : groups) {
      std::string_view list = countries;
      for (size_t i = 0; i + 1 < list.size(); i += 3) t.emplace(std::string(list.substr(i, 2)), continent);
    }
    return t;
  }();
  auto it = kContinents.find(country);
  return it == kContinents.end() ? "unk" : it->second;
}

}  // namespace metl::dwc
