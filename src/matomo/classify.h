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
// `first_contact`: no JSON answer came from this server yet. A non-JSON page that is not a PHP or
// Matomo error page then means the URL is not a Matomo API (a website, a CMS answering index.php):
// a kConfig error at once instead of a minute of retries.
Status ClassifyResponse(const http::HttpResponse& response, bool first_contact = false);

// Whether Matomo's error message describes a passing condition (query timeout, database hiccup).
bool IsTransientMatomoMessage(std::string_view message);
bool IsAuthMatomoMessage(std::string_view message);
// Matomo's "Could not run the query in time": answered by smaller pages.
bool IsQueryTimeoutMessage(std::string_view message);

// Body snippet for error messages: the first line, at most 120 characters, control chars removed.
std::string Snippet(std::string_view body);
// What a non-Matomo answer was, for a message, never the page itself: its content type and first
// words with HTML tags removed, e.g. `text/html: "404 Not Found nginx"`.
std::string BodySummary(const http::HttpResponse& response);
// PHP's own error output or a blank page (a passing fault of a real Matomo, retried).
bool LooksLikePhpOrMatomoError(std::string_view body);

}  // namespace metl::matomo
