#pragma once
// Streaming CSV (RFC 4180): fields separated by commas, a field in double
// quotes may hold commas, line breaks and doubled quotes; CRLF or LF ends a
// record. One record in memory at a time, each field and record bounded, so
// a file of any length — or a hostile one — reads in flat memory.

#include <istream>
#include <string>
#include <vector>

namespace complaints::ctl {

struct CsvLimits {
  size_t max_field_bytes = 1 << 20;
  size_t max_fields = 1000;
};

class CsvReader {
 public:
  explicit CsvReader(std::istream& in, CsvLimits limits = {}) : in_(in), limits_(limits) {}

  // The next record's fields; false at the end of the input or on an error
  // (then error() says why; reading further is not possible). A blank line
  // is a record of one empty field.
  bool Next(std::vector<std::string>* fields);

  const std::string& error() const { return error_; }
  // The line the last record started on (1-based) and the bytes read so far.
  size_t record_line() const { return record_line_; }
  size_t bytes_read() const { return bytes_; }

 private:
  int Get();
  // Adds `c` to `field`; false (with error_ set) past the field limit.
  bool Append(std::string& field, int c);

  std::istream& in_;
  CsvLimits limits_;
  std::string error_;
  size_t line_ = 1;
  size_t record_line_ = 0;
  size_t bytes_ = 0;
};

}  // namespace complaints::ctl
