#include "tools/complaintctl/history/row_source.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace complaints::ctl {
namespace {

// A JSON line longer than this is refused rather than read into memory.
constexpr size_t kMaxLineBytes = 4 << 20;

class CsvRows : public RowSource {
 public:
  CsvRows(std::unique_ptr<std::ifstream> in, std::vector<int> positions)
      : in_(std::move(in)), reader_(*in_), positions_(std::move(positions)) {}

  static absl::StatusOr<std::unique_ptr<RowSource>> Open(std::unique_ptr<std::ifstream> in,
                                                         const std::vector<std::string>& columns) {
    CsvReader header_reader(*in);
    std::vector<std::string> header;
    if (!header_reader.Next(&header)) {
      return absl::InvalidArgumentError(header_reader.error().empty()
                                            ? std::string("the file is empty: no header row")
                                            : header_reader.error());
    }
    // A UTF-8 byte order mark is not part of the first column's name.
    if (!header.empty() && absl::StartsWith(header[0], "\xEF\xBB\xBF")) header[0].erase(0, 3);
    std::vector<int> positions;
    std::vector<std::string> missing;
    for (const std::string& column : columns) {
      auto it = std::find(header.begin(), header.end(), column);
      if (it == header.end()) missing.push_back(absl::StrCat("\"", column, "\""));
      positions.push_back(static_cast<int>(it - header.begin()));
    }
    if (!missing.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "the header has no column ", absl::StrJoin(missing, ", "), " that the mapping names"));
    }
    auto rows = std::make_unique<CsvRows>(std::move(in), std::move(positions));
    rows->header_bytes_ = header_reader.bytes_read();
    rows->header_lines_ = header_reader.record_line();
    return rows;
  }

  bool Next(SourceRow* row) override {
    if (!reader_.Next(&fields_)) {
      fatal_ = reader_.error();
      return false;
    }
    row->row = ++rows_;
    row->line = reader_.record_line() + header_lines_;
    row->values.clear();
    row->error.clear();
    for (int position : positions_) {
      row->values.push_back(static_cast<size_t>(position) < fields_.size() ? fields_[position]
                                                                           : std::string());
    }
    return true;
  }
  const std::string& fatal() const override { return fatal_; }
  size_t bytes_read() const override { return header_bytes_ + reader_.bytes_read(); }

 private:
  std::unique_ptr<std::ifstream> in_;
  CsvReader reader_;
  std::vector<int> positions_;
  std::vector<std::string> fields_;
  std::string fatal_;
  size_t rows_ = 0;
  size_t header_bytes_ = 0;
  size_t header_lines_ = 0;
};

std::string Text(const google::protobuf::Value& value) {
  switch (value.kind_case()) {
    case google::protobuf::Value::kStringValue:
      return value.string_value();
    case google::protobuf::Value::kNumberValue: {
      const double number = value.number_value();
      if (std::floor(number) == number && std::abs(number) < 1e15) {
        return absl::StrCat(static_cast<int64_t>(number));
      }
      return absl::StrCat(number);
    }
    case google::protobuf::Value::kBoolValue:
      return value.bool_value() ? "true" : "false";
    default:
      return "";
  }
}

class JsonRows : public RowSource {
 public:
  JsonRows(std::unique_ptr<std::ifstream> in, std::vector<std::string> columns)
      : in_(std::move(in)), columns_(std::move(columns)) {}

  bool Next(SourceRow* row) override {
    std::string line;
    while (true) {
      line.clear();
      if (!ReadLine(&line)) return false;
      ++lines_;
      if (!absl::StripAsciiWhitespace(line).empty()) break;
    }
    row->row = ++rows_;
    row->line = lines_;
    row->values.clear();
    row->error.clear();
    if (line.size() > kMaxLineBytes) {
      row->error = absl::StrCat("longer than ", kMaxLineBytes, " bytes");
      return true;
    }
    google::protobuf::Struct object;
    if (!google::protobuf::util::JsonStringToMessage(line, &object).ok()) {
      row->error = "not a JSON object";
      return true;
    }
    for (const std::string& column : columns_) {
      auto it = object.fields().find(column);
      row->values.push_back(it == object.fields().end() ? std::string() : Text(it->second));
    }
    return true;
  }
  const std::string& fatal() const override { return fatal_; }
  size_t bytes_read() const override { return bytes_; }

 private:
  // Reads a line, keeping at most kMaxLineBytes + 1 of it.
  bool ReadLine(std::string* line) {
    int c;
    bool any = false;
    while ((c = in_->get()) != std::char_traits<char>::eof()) {
      any = true;
      ++bytes_;
      if (c == '\n') return true;
      if (line->size() <= kMaxLineBytes) line->push_back(static_cast<char>(c));
    }
    return any;
  }

  std::unique_ptr<std::ifstream> in_;
  std::vector<std::string> columns_;
  std::string fatal_;
  size_t rows_ = 0, lines_ = 0, bytes_ = 0;
};

}  // namespace

absl::StatusOr<std::unique_ptr<RowSource>> OpenRows(const std::string& path,
                                                    const std::vector<std::string>& columns) {
  auto in = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*in) return absl::InvalidArgumentError(absl::StrCat(path, ": cannot be read"));
  if (absl::EndsWith(path, ".jsonl") || absl::EndsWith(path, ".ndjson")) {
    return std::make_unique<JsonRows>(std::move(in), columns);
  }
  return CsvRows::Open(std::move(in), columns);
}

}  // namespace complaints::ctl
