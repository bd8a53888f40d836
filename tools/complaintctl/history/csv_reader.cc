#include "tools/complaintctl/history/csv_reader.h"

#include "absl/strings/str_cat.h"

namespace complaints::ctl {

int CsvReader::Get() {
  const int c = in_.get();
  if (c != std::char_traits<char>::eof()) ++bytes_;
  if (c == '\n') ++line_;
  return c;
}

bool CsvReader::Append(std::string& field, int c) {
  if (field.size() == limits_.max_field_bytes) {
    error_ = absl::StrCat("line ", record_line_, ": a field longer than ", limits_.max_field_bytes,
                          " bytes");
    return false;
  }
  field.push_back(static_cast<char>(c));
  return true;
}

bool CsvReader::Next(std::vector<std::string>* fields) {
  fields->clear();
  if (!error_.empty()) return false;
  constexpr int kEof = std::char_traits<char>::eof();
  int c = Get();
  if (c == kEof) return false;
  record_line_ = line_ - (c == '\n' ? 1 : 0);
  std::string field;
  bool quoted = false;
  auto end_field = [&]() -> bool {
    if (fields->size() == limits_.max_fields) {
      error_ = absl::StrCat("line ", record_line_, ": more than ", limits_.max_fields, " fields");
      return false;
    }
    fields->push_back(std::move(field));
    field.clear();
    quoted = false;
    return true;
  };
  while (true) {
    if (c == kEof) return end_field();
    if (c == '"' && field.empty() && !quoted) {
      quoted = true;
      // A quoted field: up to the closing quote; "" is one quote.
      while (true) {
        c = Get();
        if (c == kEof) {
          error_ = absl::StrCat("line ", record_line_, ": a quoted field is not closed");
          return false;
        }
        if (c == '"') {
          if (in_.peek() == '"') {
            Get();
          } else {
            break;
          }
        }
        if (!Append(field, c)) return false;
      }
      c = Get();
      if (c != ',' && c != '\n' && c != '\r' && c != kEof) {
        error_ = absl::StrCat("line ", line_, ": text after a closing quote");
        return false;
      }
      continue;
    }
    if (c == ',') {
      if (!end_field()) return false;
      c = Get();
      continue;
    }
    if (c == '\r' && in_.peek() == '\n') c = Get();
    if (c == '\n' || c == '\r') return end_field();
    if (!Append(field, c)) return false;
    c = Get();
  }
}

}  // namespace complaints::ctl
