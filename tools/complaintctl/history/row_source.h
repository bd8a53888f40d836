#pragma once
// complaintctl import-history: the rows of an export, one at a time — a CSV
// file with a header row, or JSON lines (one object per line, its keys the
// columns) — each as the values of the columns a RowMapper reads.

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/complaintctl/history/csv_reader.h"
#include "tools/complaintctl/history/row_mapper.h"

namespace complaints::ctl {

struct SourceRow {
  size_t row = 0;   // 1-based, the header not counted
  size_t line = 0;  // the line it starts on
  std::vector<std::string> values;
  std::string error;  // set when the row could not be read (the values are then empty)
};

class RowSource {
 public:
  virtual ~RowSource() = default;
  // The next row; false at the end, or after an error that stops the
  // reading (fatal() then says why).
  virtual bool Next(SourceRow* row) = 0;
  virtual const std::string& fatal() const = 0;
  virtual size_t bytes_read() const = 0;
};

// Opens `path` (CSV unless it ends in .jsonl or .ndjson) for the columns
// `columns`. INVALID_ARGUMENT when it cannot be read, or when a CSV's
// header lacks a column the mapping names.
absl::StatusOr<std::unique_ptr<RowSource>> OpenRows(const std::string& path,
                                                    const std::vector<std::string>& columns);

}  // namespace complaints::ctl
