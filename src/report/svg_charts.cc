#include "report/svg_charts.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace metl::report {
namespace {

constexpr double kWidth = 420, kHeight = 200, kLeft = 46, kRight = 6, kTop = 10, kBottom = 26;

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// A round axis maximum >= v (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10^n).
double NiceMax(double v) {
  if (v <= 0) return 1;
  double p = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0}) {
    if (m * p >= v) return m * p;
  }
  return 10 * p;
}

std::string Open(const std::string& aria_label, double height = kHeight, double width = kWidth,
                 const char* kind = "columns") {
  return "<svg class=\"chart " + std::string(kind) + "\" viewBox=\"0 0 " + Num(width) + " " + Num(height) +
         "\" width=\"100%\" role=\"img\" aria-label=\"" + HtmlEscape(aria_label) +
         "\" preserveAspectRatio=\"xMidYMid meet\">";
}

// Horizontal grid lines and their values at 0, max/2 and max.
std::string Axis(double max, int decimals) {
  std::string svg;
  const double plot_h = kHeight - kTop - kBottom;
  for (int i = 0; i <= 2; ++i) {
    double y = kTop + plot_h - plot_h * i / 2.0;
    svg += "<line class=\"grid\" x1=\"" + Num(kLeft) + "\" x2=\"" + Num(kWidth - kRight) + "\" y1=\"" + Num(y) +
           "\" y2=\"" + Num(y) + "\"/>";
    svg += "<text class=\"tick\" x=\"" + Num(kLeft - 6) + "\" y=\"" + Num(y + 4) + "\" text-anchor=\"end\">" +
           FormatNumber(max * i / 2.0, max < 10 ? decimals : 0) + "</text>";
  }
  return svg;
}

// Day labels (MM-DD of YYYY-MM-DD), at most about 8 of them.
std::string XLabels(const std::vector<std::string>& labels, double slot) {
  std::string svg;
  const size_t step = std::max<size_t>(1, (labels.size() + 7) / 8);
  for (size_t i = 0; i < labels.size(); i += step) {
    std::string text = labels[i].size() == 10 ? labels[i].substr(5) : labels[i];
    svg += "<text class=\"tick\" x=\"" + Num(kLeft + slot * (i + 0.5)) + "\" y=\"" + Num(kHeight - 8) +
           "\" text-anchor=\"middle\">" + HtmlEscape(text) + "</text>";
  }
  return svg;
}

}  // namespace

std::string HtmlEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string FormatNumber(double value, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, std::fabs(value));
  std::string digits = buf, frac;
  if (size_t dot = digits.find('.'); dot != std::string::npos) {
    frac = digits.substr(dot);
    digits.resize(dot);
  }
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (value < 0 && std::round(value * std::pow(10, decimals)) != 0 ? "-" : "") + out + frac;
}

std::string SeriesColor(const std::string& name, size_t index) {
  static const std::map<std::string, std::string> kChannels = {
      {"Organic Search", "#2563eb"}, {"Paid Search", "#7c3aed"},   {"Direct", "#64748b"}, {"Referral", "#0891b2"},
      {"Organic Social", "#db2777"}, {"Paid Social", "#c026d3"},   {"Email", "#ea580c"},  {"Display", "#ca8a04"},
      {"Affiliates", "#16a34a"},     {"AI Assistants", "#0d9488"}, {"Other", "#a8a29e"}};
  static const char* kPalette[] = {"#2563eb", "#16a34a", "#ea580c", "#7c3aed", "#db2777",
                                   "#0891b2", "#ca8a04", "#64748b", "#dc2626", "#0d9488"};
  auto it = kChannels.find(name);
  return it != kChannels.end() ? it->second : kPalette[index % (sizeof kPalette / sizeof *kPalette)];
}

std::string StackedColumns(const std::vector<std::string>& x_labels, const std::vector<std::string>& series,
                           const std::vector<std::vector<double>>& values, const std::string& aria_label) {
  double max = 0;
  for (const auto& col : values) {
    double sum = 0;
    for (double v : col) sum += v;
    max = std::max(max, sum);
  }
  max = NiceMax(max);
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  const double slot = plot_w / std::max<size_t>(1, x_labels.size());
  std::string svg = Open(aria_label) + Axis(max, 0);
  for (size_t x = 0; x < values.size(); ++x) {
    double y = kTop + plot_h;
    for (size_t s = 0; s < values[x].size() && s < series.size(); ++s) {
      if (values[x][s] <= 0) continue;
      double h = plot_h * values[x][s] / max;
      y -= h;
      svg += "<rect x=\"" + Num(kLeft + slot * x + slot * 0.12) + "\" y=\"" + Num(y) + "\" width=\"" +
             Num(slot * 0.76) + "\" height=\"" + Num(h) + "\" fill=\"" + SeriesColor(series[s], s) + "\"><title>" +
             HtmlEscape(x_labels[x] + " " + series[s] + ": " + FormatNumber(values[x][s])) + "</title></rect>";
    }
  }
  return svg + XLabels(x_labels, slot) + "</svg>";
}

std::string Columns(const std::vector<std::string>& x_labels, const std::vector<double>& values,
                    const std::string& color, const std::string& aria_label, int decimals) {
  double max = 0;
  for (double v : values) max = std::max(max, v);
  max = NiceMax(max);
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  const double slot = plot_w / std::max<size_t>(1, x_labels.size());
  std::string svg = Open(aria_label) + Axis(max, decimals);
  for (size_t x = 0; x < values.size(); ++x) {
    if (values[x] <= 0) continue;
    double h = plot_h * values[x] / max;
    svg += "<rect x=\"" + Num(kLeft + slot * x + slot * 0.12) + "\" y=\"" + Num(kTop + plot_h - h) + "\" width=\"" +
           Num(slot * 0.76) + "\" height=\"" + Num(h) + "\" rx=\"1.5\" fill=\"" + color + "\"><title>" +
           HtmlEscape(x_labels[x] + ": " + FormatNumber(values[x], decimals)) + "</title></rect>";
  }
  return svg + XLabels(x_labels, slot) + "</svg>";
}

std::string HorizontalBars(const std::vector<std::string>& labels, const std::vector<double>& values,
                           const std::vector<std::string>& colors, const std::string& aria_label) {
  double max = 0;
  for (double v : values) max = std::max(max, v);
  if (max <= 0) max = 1;
  const double width = 400, row = 28, label_w = 150, value_w = 56;
  const double height = row * static_cast<double>(labels.size()) + 6;
  std::string svg = Open(aria_label, height, width, "hbars");
  for (size_t i = 0; i < labels.size() && i < values.size(); ++i) {
    double y = 3 + row * i;
    double w = std::max(values[i] > 0 ? 2.0 : 0.0, (width - label_w - value_w) * values[i] / max);
    std::string label = labels[i];
    if (label.size() > 24) {  // cut on a UTF-8 character boundary
      size_t n = 23;
      while (n > 0 && (static_cast<unsigned char>(label[n]) & 0xC0) == 0x80) --n;
      label = label.substr(0, n) + "…";
    }
    svg += "<text class=\"label\" x=\"" + Num(label_w - 8) + "\" y=\"" + Num(y + 19) + "\" text-anchor=\"end\">" +
           HtmlEscape(label) + "</text>";
    svg += "<rect x=\"" + Num(label_w) + "\" y=\"" + Num(y + 4) + "\" width=\"" + Num(w) + "\" height=\"" +
           Num(row - 8) + "\" rx=\"3\" fill=\"" + colors[i % colors.size()] + "\"><title>" +
           HtmlEscape(labels[i] + ": " + FormatNumber(values[i])) + "</title></rect>";
    svg += "<text class=\"value\" x=\"" + Num(label_w + w + 6) + "\" y=\"" + Num(y + 19) + "\">" +
           FormatNumber(values[i]) + "</text>";
  }
  return svg + "</svg>";
}

}  // namespace metl::report
