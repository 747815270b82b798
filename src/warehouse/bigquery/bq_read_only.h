// `matomo-etl sql` on BigQuery must not write. BigQuery has no read-only session or transaction, so
// the statement is checked before it is sent: ONE statement (no `;` but a trailing one, outside
// strings, quoted names and comments) whose first word is SELECT or WITH. In GoogleSQL such a
// statement cannot change data (DML, DDL, EXPORT DATA, CALL and scripts all start otherwise, and a
// WITH clause holds only queries), and the query job gets no destination table.
#pragma once

#include <string_view>

#include "core/error.h"

namespace metl::warehouse::bq_engine {

// kConfig with a hint when `sql` is not a single SELECT / WITH query.
Status CheckReadOnlyQuery(std::string_view sql);

}  // namespace metl::warehouse::bq_engine
