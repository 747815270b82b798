// Invalid UTF-8 from a source (issue 7): never dropped silently, never fatal. Each byte that does not
// start a valid sequence (bad lead byte, truncated or overlong sequence, surrogate, above U+10FFFF)
// becomes U+FFFD, visible in every engine, and the replacements are counted so the caller can say so.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace metl {

// Length of the valid UTF-8 sequence at s[0] (1..4), or 0 when s[0] does not start one.
int Utf8SequenceLength(std::string_view s);

// `text` with invalid bytes replaced by U+FFFD; `replaced` gets the number of replacements, and
// `offsets` (when given) the offset of each U+FFFD inserted in the result, ascending.
std::string ReplaceInvalidUtf8(std::string_view text, int64_t& replaced, std::vector<size_t>* offsets = nullptr);

}  // namespace metl
