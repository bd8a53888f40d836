#pragma once
// complaintctl import-history: one row of a previous system's export, as an
// ImportCaseRequest, by the mapping (config.proto HistoryMapping). The
// mapper names the columns it reads once; a reader hands it each row's
// values in that order (a CSV by header position, JSON lines by key). A row
// it cannot map is a RowError naming the column and the reason. Pure.

#include <map>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "complaints/v1/config.pb.h"
#include "complaints/v1/intake.pb.h"

namespace complaints::ctl {

struct RowError {
  std::string column;
  std::string reason;
};

// A mapped row; whether a text was cut to the platform's limit (500
// characters of title, 5000 of description or closure); whether its closed
// time, seconds before its opening, was moved to the opening (the source's
// kept in history.source_closed_at).
struct MappedRow {
  v1::ImportCaseRequest request;
  bool shortened = false;
  bool closed_time_moved = false;
};

// The mapping's text fields that take fallback columns (HistoryMapping.fallbacks).
inline constexpr const char* kFallbackFields[] = {
    "title",   "description",      "category",          "department",       "team",
    "handler", "community",        "address",           "status",           "closure",
    "channel", "complainant_name", "complainant_phone", "complainant_email"};

// HistoryMapping.closed_before_opened_tolerance when the mapping leaves it out.
inline constexpr absl::Duration kDefaultClosedBeforeOpenedTolerance = absl::Minutes(5);

class RowMapper {
 public:
  // INVALID_ARGUMENT naming the mapping's field: source_system, source_id,
  // opened_at and a title column are required, a time zone must be known,
  // a channel needs its column or a default, fallbacks name known fields,
  // the tolerance is between 0 and 24 hours.
  static absl::StatusOr<RowMapper> Create(v1::HistoryMapping mapping);

  // Every column the mapping names, each once, in the order Map reads them.
  const std::vector<std::string>& columns() const { return columns_; }

  // `values[i]` is the row's value of columns()[i] ("" when absent).
  std::variant<MappedRow, RowError> Map(const std::vector<std::string>& values) const;

  // The column(s) a field of ImportCaseRequest comes from ("history.opened_at"
  // -> the opened-at column), for errors the service reports; the field
  // itself when no column maps to it.
  std::string ColumnOf(const std::string& field) const;

  const v1::HistoryMapping& mapping() const { return mapping_; }

 private:
  explicit RowMapper(v1::HistoryMapping mapping) : mapping_(std::move(mapping)) {}
  int Index(const std::string& column);  // adds a column to columns_ once
  std::variant<absl::Time, RowError> Time(const std::vector<std::string>& values, int index,
                                          bool* present) const;
  // `primary` (a field's own value) unless empty; else the first non-empty
  // of the field's fallback columns.
  std::string Text(const std::vector<std::string>& values, const std::string& field,
                   std::string primary) const;

  v1::HistoryMapping mapping_;
  absl::TimeZone zone_;
  std::vector<std::string> columns_;
  std::vector<std::string> closed_statuses_;     // lower-cased
  std::map<std::string, v1::Channel> channels_;  // lower-cased keys
  // Indexes into columns_; -1 for a field the mapping leaves out.
  int source_id_ = -1, opened_ = -1, target_ = -1, closed_ = -1, channel_ = -1, category_ = -1,
      department_ = -1, team_ = -1, handler_ = -1, community_ = -1, status_ = -1, closure_ = -1,
      satisfaction_ = -1, name_ = -1, phone_ = -1, email_ = -1;
  std::vector<int> title_, description_, address_;
  std::map<std::string, std::vector<int>> fallbacks_;  // by field name
  absl::Duration closed_before_opened_tolerance_ = kDefaultClosedBeforeOpenedTolerance;
};

}  // namespace complaints::ctl
