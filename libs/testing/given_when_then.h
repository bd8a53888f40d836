#pragma once
// Decider tests as sentences:
//   Given(decider, {events...}).When(command).Then({events...});
//   Given(decider, {}).When(command).ThenError(absl::StatusCode::kInvalidArgument, "field");
// A decider is any type with
//   absl::StatusOr<std::vector<v1::Envelope>> Decide(const Command&,
//                                                   const v1::ComplaintView&) const;
// deciding over the one complaint view, folded from the history by the same
// Evolve the runner uses (libs/complaint/view.h).

#include <algorithm>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "complaints/v1/events.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "libs/complaint/view.h"

namespace complaints::testing {

template <typename Decider, typename Command>
class Scenario {
 public:
  using State = v1::ComplaintView;
  using Events = typename decltype(std::declval<Decider>().Decide(
      std::declval<Command>(), std::declval<State>()))::value_type;
  using Event = typename Events::value_type;

  Scenario(const Decider& decider, State state, Command command)
      : result_(decider.Decide(command, state)) {}

  // The decided events must equal `expected` field for field, in order.
  void Then(const Events& expected) const {
    ASSERT_TRUE(result_.ok()) << result_.status();
    ASSERT_EQ(result_->size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
      std::string diff;
      google::protobuf::util::MessageDifferencer differencer;
      differencer.ReportDifferencesToString(&diff);
      EXPECT_TRUE(differencer.Compare(expected[i], (*result_)[i])) << "event " << i << ": " << diff;
    }
  }

  // The command must be refused with `code`, and the message must mention `text`.
  void ThenError(absl::StatusCode code, absl::string_view text = "") const {
    ASSERT_FALSE(result_.ok()) << "expected an error, got " << result_->size() << " events";
    EXPECT_EQ(result_.status().code(), code) << result_.status();
    EXPECT_THAT(std::string(result_.status().message()), ::testing::HasSubstr(std::string(text)));
  }

  // The decided events, for a test that checks some of their fields; a
  // failed expectation (and no events) when the command was refused.
  Events ThenEvents() const {
    EXPECT_TRUE(result_.ok()) << result_.status();
    return result_.ok() ? *result_ : Events{};
  }

  const absl::StatusOr<Events>& result() const { return result_; }

 private:
  absl::StatusOr<Events> result_;
};

// Every decider here folds and decides complaints.v1.Envelope events.
template <typename Decider>
class Given {
 public:
  Given(const Decider& decider, const std::vector<v1::Envelope>& history) : decider_(decider) {
    for (const v1::Envelope& event : history) state_ = Evolve(std::move(state_), event);
  }

  template <typename Command>
  Scenario<Decider, Command> When(const Command& command) const {
    return Scenario<Decider, Command>(decider_, state_, command);
  }

 private:
  const Decider& decider_;
  v1::ComplaintView state_;
};

// A complaint's history built step by step, for tests that walk a decider
// through several commands: Do() decides against the folded history, expects
// success, and appends the events numbered as the runner would number them.
template <typename Decider>
class Story {
 public:
  Story(const Decider& decider, v1::Writer writer, std::vector<v1::Envelope> history)
      : decider_(decider), writer_(writer), history_(std::move(history)) {}

  v1::ComplaintView View() const {
    v1::ComplaintView view;
    for (const v1::Envelope& event : history_) view = Evolve(std::move(view), event);
    return view;
  }

  // The events `command` decides now; a failed expectation when it is refused.
  template <typename Command>
  std::vector<v1::Envelope> Try(const Command& command) const {
    auto events = decider_.Decide(command, View());
    EXPECT_TRUE(events.ok()) << events.status();
    return events.ok() ? *events : std::vector<v1::Envelope>{};
  }

  // What `command` decides now, refused or not: for tests that walk a
  // decider through commands of which some may be refused.
  template <typename Command>
  Scenario<Decider, Command> When(const Command& command) const {
    return Scenario<Decider, Command>(decider_, View(), command);
  }

  // Try, then append what was decided.
  template <typename Command>
  std::vector<v1::Envelope> Do(const Command& command) {
    std::vector<v1::Envelope> events = Try(command);
    Append(events);
    return events;
  }

  void Append(const std::vector<v1::Envelope>& events) {
    int64_t sequence = 0;
    std::string complaint_id;
    for (const v1::Envelope& event : history_) {
      if (event.writer() == writer_) sequence = std::max(sequence, event.sequence());
      if (complaint_id.empty()) complaint_id = event.complaint_id();
    }
    for (v1::Envelope event : events) {
      event.set_complaint_id(complaint_id);
      event.set_writer(writer_);
      event.set_sequence(++sequence);
      history_.push_back(std::move(event));
    }
  }

  const std::vector<v1::Envelope>& history() const { return history_; }

 private:
  const Decider& decider_;
  v1::Writer writer_;
  std::vector<v1::Envelope> history_;
};

}  // namespace complaints::testing
