// docs/schema.md, generated from the declaration (schema.cc); `matomo-etl schema --markdown`
// prints it and schema_docs_test.cc fails when the committed file is stale.
#pragma once

#include <string>

namespace metl {

std::string SchemaMarkdown();
// Its last section: the raw DWC layer's tables (dwc_raw_schema.h).
std::string DwcRawMarkdown();

}  // namespace metl
