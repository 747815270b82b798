// Error classification of a Matomo HTTP response (DESIGN.md "Errors"; MATOMO-API.md "Responses and
// errors"). Transient (retried): 429, 5xx, an HTML or other non-JSON body, an error object whose
// message says the database or the query timed out. Terminal: 401 or an auth message, an unknown
// site, bad parameters, any other error object; reported with Matomo's own message.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"
#include "http/transport.h"

namespace metl::matomo {

// OK when the body looks like a JSON answer (array or non-error object); otherwise the error.
Status ClassifyResponse(const http::HttpResponse& response);

// Whether Matomo's error message describes a passing condition (query timeout, database hiccup).
bool IsTransientMatomoMessage(std::string_view message);
bool IsAuthMatomoMessage(std::string_view message);
// Matomo's "Could not run the query in time": answered by smaller pages.
bool IsQueryTimeoutMessage(std::string_view message);

// Body snippet for error messages: the first line, at most 120 characters, control chars removed.
std::string Snippet(std::string_view body);

}  // namespace metl::matomo
