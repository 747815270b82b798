// Charts as inline SVG, drawn here (no script, no library, nothing fetched when the page opens).
// Each scales to its container (viewBox, width 100%) so that it reads on a phone as on a desktop.
// A chart of nothing is not drawn: the caller shows a "no data" line instead.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace metl::report {

// The colour of a series (channels keep theirs across charts).
std::string SeriesColor(const std::string& name, size_t index);

// Columns per x label, stacked by series: values[x][series].
std::string StackedColumns(const std::vector<std::string>& x_labels, const std::vector<std::string>& series,
                           const std::vector<std::vector<double>>& values, const std::string& aria_label);

// One column per x label.
std::string Columns(const std::vector<std::string>& x_labels, const std::vector<double>& values,
                    const std::string& color, const std::string& aria_label, int decimals = 0);

// Horizontal bars, one per label, longest first as given.
std::string HorizontalBars(const std::vector<std::string>& labels, const std::vector<double>& values,
                           const std::vector<std::string>& colors, const std::string& aria_label);

// "12,345" / "12,345.67".
std::string FormatNumber(double value, int decimals = 0);
std::string HtmlEscape(const std::string& text);

}  // namespace metl::report
