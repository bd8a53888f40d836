#pragma once
// §3.1 what learned routing reads of a complaint: the matter's words —
// Chinese (and any script without spaces) segmented by ICU's word break
// rules, every word lower-cased, punctuation and spaces dropped — and the
// category, community, the place's city and ZIP (the last two parts of the
// public area or address) and the channel as tokens of their own. One line of
// space-separated tokens, as fastText reads it. Pure; thread-safe.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "complaints/v1/common.pb.h"
#include "complaints/v1/state.pb.h"

namespace complaints::dispatch {

struct RouteCase {
  std::string content;  // the matter, redacted (§4.2)
  std::string category;
  std::string community;
  v1::Channel channel = v1::CHANNEL_UNSPECIFIED;
  std::string area = {};  // the public area or address, "street, city, ZIP" (never the unit)
};

RouteCase RouteCaseOf(const v1::ComplaintView& view);

// The words of `text` by ICU's word break rules, lower-cased.
std::vector<std::string> Words(absl::string_view text);

// "<words> cat=<category> community=<community> place=<city> place=<zip>
// channel=<channel>", each value's own spaces as '_', places lower-cased.
std::string FeatureLine(const RouteCase& route_case);

}  // namespace complaints::dispatch
