#include "bench/loadgen/complaint_mix.h"

#include <algorithm>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "tools/complaintctl/history/csv_reader.h"

namespace complaints::loadgen {
namespace {

// At most `max_bytes` of `text`, cut at a UTF-8 character boundary.
std::string Clip(const std::string& text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

// Every row of a CSV file as name -> value, through `each`.
template <typename Each>
absl::Status ReadRows(const std::string& path, Each each) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  ctl::CsvReader reader(in);
  std::vector<std::string> header;
  if (!reader.Next(&header)) return absl::InvalidArgumentError(path + ": no header");
  const auto column = [&](const std::string& name) {
    return static_cast<size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  for (std::vector<std::string> row; reader.Next(&row);) {
    if (row.size() != header.size()) continue;
    each([&](const std::string& name) -> const std::string& {
      static const std::string kEmpty;
      const size_t at = column(name);
      return at < row.size() ? row[at] : kEmpty;
    });
  }
  if (!reader.error().empty()) return absl::InvalidArgumentError(path + ": " + reader.error());
  return absl::OkStatus();
}

v1::Channel ChannelOf(size_t n) {
  static constexpr v1::Channel kChannels[] = {v1::CHANNEL_PHONE, v1::CHANNEL_EMAIL,
                                              v1::CHANNEL_LETTER};
  return kChannels[n % 3];
}

// A synthetic complainant for the n-th request: contact fit for its channel.
void Complainant(size_t n, v1::SubmitComplaintRequest& request) {
  v1::Complainant& who = *request.mutable_complainant();
  who.set_name(absl::StrCat("Resident ", n % 9973));
  who.set_phone(absl::StrCat("1380013", 1000 + n % 9000));
  if (request.channel() == v1::CHANNEL_EMAIL) {
    who.set_email(absl::StrCat("resident", n % 9973, "@example.org"));
  }
}

}  // namespace

absl::StatusOr<ComplaintMix> ComplaintMix::Load(const std::string& data_dir) {
  ComplaintMix mix;
  absl::Status nyc = ReadRows(data_dir + "/nyc311-2011-03-sample.csv", [&](const auto& field) {
    const std::string& type = field("Complaint Type");
    if (type.empty()) return;
    v1::SubmitComplaintRequest request;
    request.set_channel(ChannelOf(mix.pool_.size()));
    Complainant(mix.pool_.size(), request);
    request.set_content(Clip(absl::StrCat(type, ": ", field("Descriptor")), 500));
    const std::string& address = field("Incident Address");
    if (!address.empty()) {
      request.mutable_location()->set_community(Clip(field("Borough"), 100));
      request.mutable_location()->set_building(Clip(address, 100));
    } else {
      request.mutable_location()->set_public_area(
          Clip(absl::StrCat(field("Street Name"), " ", field("Borough")), 200));
    }
    mix.pool_.push_back(std::move(request));
  });
  if (!nyc.ok()) return nyc;
  absl::Status cfpb = ReadRows(data_dir + "/cfpb-narratives.csv", [&](const auto& field) {
    const std::string& issue = field("Issue");
    const std::string& narrative = field("Consumer complaint narrative");
    if (issue.empty() || narrative.empty()) return;
    v1::SubmitComplaintRequest request;
    request.set_channel(ChannelOf(mix.pool_.size()));
    Complainant(mix.pool_.size(), request);
    request.set_content(Clip(absl::StrCat(field("Product"), ": ", issue), 500));
    request.set_description(Clip(narrative, 2000));
    request.mutable_location()->set_community(Clip(absl::StrCat("ZIP ", field("ZIP code")), 100));
    request.mutable_location()->set_building(absl::StrCat("Block ", mix.pool_.size() % 40 + 1));
    mix.pool_.push_back(std::move(request));
  });
  if (!cfpb.ok()) return cfpb;
  if (mix.pool_.empty()) return absl::InvalidArgumentError(data_dir + ": no usable rows");
  // Interleave the two sources so any window of the run sees both.
  std::vector<v1::SubmitComplaintRequest> mixed;
  mixed.reserve(mix.pool_.size());
  const size_t half = mix.pool_.size() / 2;
  for (size_t i = 0; i < half; ++i) {
    mixed.push_back(std::move(mix.pool_[i]));
    mixed.push_back(std::move(mix.pool_[mix.pool_.size() - 1 - i]));
  }
  if (mix.pool_.size() % 2 == 1) mixed.push_back(std::move(mix.pool_[half]));
  mix.pool_ = std::move(mixed);
  return mix;
}

double ComplaintMix::MeanBytes() const {
  double total = 0;
  for (const auto& request : pool_) total += static_cast<double>(request.ByteSizeLong());
  return total / static_cast<double>(pool_.size());
}

}  // namespace complaints::loadgen
