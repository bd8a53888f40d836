// complaintctl: the staff command line for the complaint platform.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/time/time.h"
#include "libs/core/time_util.h"
#include "libs/eventlog/kafka_config.h"
#include "libs/server/tls.h"
#include "tools/complaintctl/command_help.h"
#include "tools/complaintctl/commands.h"
#include "tools/complaintctl/evidence.h"
#include "tools/complaintctl/format.h"
#include "tools/complaintctl/history/import_history.h"
#include "tools/complaintctl/personal.h"
#include "tools/complaintctl/routing.h"
#include "tools/complaintctl/staff.h"
#include "tools/complaintctl/when.h"

ABSL_FLAG(std::string, intake, "127.0.0.1:50051", "intake service address");
ABSL_FLAG(std::string, dispatch, "127.0.0.1:50052", "dispatch service address");
ABSL_FLAG(std::string, tracking, "127.0.0.1:50053", "tracking service address");
ABSL_FLAG(std::string, analytics, "127.0.0.1:50054", "analytics service address");
ABSL_FLAG(std::string, brokers, "127.0.0.1:9092", "Kafka bootstrap servers (topics command)");
ABSL_FLAG(int, partitions, 6, "partitions of created topics (topics command)");
ABSL_FLAG(std::string, kafka_user, "admin", "topics: the broker's SASL/SCRAM admin user");
ABSL_FLAG(std::string, kafka_password_file, "",
          "topics: file holding that user's password (empty: an anonymous plaintext client)");
ABSL_FLAG(bool, json, false, "print answers as JSON, one object per line");
ABSL_FLAG(int, timeout_seconds, 10, "deadline of each call (wait-ready: of the whole wait)");
// submit
ABSL_FLAG(std::string, key, "", "idempotency key (default: generated)");
ABSL_FLAG(std::string, channel, "phone", "phone | email | letter | walk-in | app");
ABSL_FLAG(std::string, name, "", "complainant name");
ABSL_FLAG(std::string, phone, "", "complainant phone");
ABSL_FLAG(std::string, email, "", "complainant e-mail");
ABSL_FLAG(std::string, content, "", "the matter in one line");
ABSL_FLAG(std::string, description, "", "the concrete description");
ABSL_FLAG(std::string, community, "", "submit: the community; hot: only this community");
ABSL_FLAG(std::string, building, "", "location: building");
ABSL_FLAG(std::string, unit, "", "location: unit");
ABSL_FLAG(std::string, public_area, "", "location: a public area instead of a unit");
// who calls
ABSL_FLAG(std::string, as, "",
          "who you are: an identity with a certificate in --pki_dir (\"li\" is staff/li, or "
          "\"system/call-centre\"); default $COMPLAINTS_AS");
ABSL_FLAG(std::string, pki_dir, "",
          "folder of certificates made by scripts/pki.sh (default $COMPLAINTS_PKI_DIR, else "
          ".run/pki)");
ABSL_FLAG(std::string, cert, "", "your client certificate (PEM), instead of --as");
ABSL_FLAG(std::string, key_file, "", "its private key (PEM)");
ABSL_FLAG(std::string, ca, "", "the platform CA's certificate (default: <pki_dir>/ca.crt)");
ABSL_FLAG(bool, insecure, false,
          "plaintext to services started with --insecure; --as names you without proof");
// dead-letters list
ABSL_FLAG(int, page_size, 0, "dead letters per page (1-500; default 50)");
ABSL_FLAG(std::string, page_token, "", "the page to list, as the previous page printed it");
// show
ABSL_FLAG(std::string, as_of, "",
          "show: the complaint as known at this time (see \"Dates and times\")");
ABSL_FLAG(std::string, out, "", "evidence get: the file to write (default: standard output)");
// staff commands
ABSL_FLAG(std::string, department, "", "assign, transfer, reject, assignments: the department");
ABSL_FLAG(std::string, handler, "", "assign, transfer, assignments: the person");
ABSL_FLAG(bool, include_closed, false, "assignments: also complaints resolved or later");
ABSL_FLAG(std::string, cursor, "", "watch: resume after this change (as --json printed it)");
ABSL_FLAG(int, count, 0, "watch: stop after this many changes (0: when interrupted)");
ABSL_FLAG(std::string, category, "", "reclassify: the new category; list: only this category");
ABSL_FLAG(std::string, status, "", "list: open | resolved | communicated | closed | archived");
ABSL_FLAG(std::string, incident, "", "list: only this incident's complaints");
ABSL_FLAG(bool, overdue, false, "list: only open complaints past their resolve-by time");
ABSL_FLAG(bool, breached, false, "list: only complaints with a recorded deadline breach");
ABSL_FLAG(std::string, due_before, "",
          "list: only complaints due before this time (see \"Dates and times\")");
ABSL_FLAG(std::string, verdict, "",
          "list: on-time | overdue | no-target (against the resolve-by time)");
ABSL_FLAG(bool, imported, false, "list: only cases imported from the previous system");
ABSL_FLAG(std::string, source_id, "", "list: only the case imported with this source id");
// routing
ABSL_FLAG(std::string, until, "", "routing train: learn from cases opened before this time");
ABSL_FLAG(bool, activate, false, "routing train: make the new model the active one");
ABSL_FLAG(std::string, train_until, "", "routing backtest: train on cases opened before this");
ABSL_FLAG(std::string, test_from, "", "routing backtest: test on cases opened from this on");
// import-history
ABSL_FLAG(std::string, mapping, "", "import-history: the mapping (HistoryMapping textproto)");
ABSL_FLAG(bool, strict, false, "import-history: stop at the first bad row");
ABSL_FLAG(bool, dry_run, false, "import-history: read and check every row, send nothing");
ABSL_FLAG(int, concurrency, 16, "import-history: cases on their way at once (1-256)");
ABSL_FLAG(bool, progress, false,
          "import-history: draw a progress bar on stderr (default: when stderr is a terminal)");
ABSL_FLAG(std::string, priority, "", "reclassify: the new priority, P1..P4");
ABSL_FLAG(bool, unanswered, false, "verify: nobody answered this call-back attempt");
ABSL_FLAG(std::string, text, "", "note, feedback: the text");
ABSL_FLAG(std::string, reason, "", "pause, extend, link-duplicate, unlink-duplicate: why");
ABSL_FLAG(std::string, primary, "", "link-duplicate: the complaint it is a duplicate of");
ABSL_FLAG(std::string, outcome, "",
          "resolve: the outcome; verify: confirmed | unverifiable | already-solved | withdrew");
ABSL_FLAG(std::string, solution, "", "resolve: what was done");
ABSL_FLAG(std::string, prevention, "", "resolve: how a recurrence is avoided");
ABSL_FLAG(std::string, comments, "", "communicate, follow-up: what the complainant said");
ABSL_FLAG(std::string, note, "", "decide-extension, long-term-check: the reasoning or finding");
ABSL_FLAG(std::string, message, "", "decide-extension: what the complainant is told");
ABSL_FLAG(std::string, kind, "", "feedback: opinion | suggestion");
ABSL_FLAG(std::string, target, "resolve", "extend: respond | resolve | communicate | follow-up");
ABSL_FLAG(int64_t, minutes, 0, "extend: extra minutes");
ABSL_FLAG(int, satisfaction, 0, "follow-up: 1 (very unhappy) to 5 (very happy)");
ABSL_FLAG(bool, recurred, false, "long-term-check: the problem came back");
ABSL_FLAG(bool, reject, false, "decide-extension: refuse the extension");
// counts, figures
ABSL_FLAG(std::string, from, "", "first day, YYYY-MM-DD");
ABSL_FLAG(std::string, by, "",
          "figures: group by, comma-separated: day, week, month, category, community, channel, "
          "department, handler");
ABSL_FLAG(std::string, to, "", "last day, YYYY-MM-DD");
// report
ABSL_FLAG(std::string, format, "markdown", "report: markdown | html");
// projection
ABSL_FLAG(bool, weekly, false, "projection: ISO weeks instead of days");
ABSL_FLAG(bool, open, false, "incidents: only those with a complaint still open");
ABSL_FLAG(int, horizon, 0,
          "projection: periods ahead (1-92 days, 1-26 weeks; 0: 28 days, 13 weeks)");
ABSL_FLAG(std::string, origin, "",
          "projection: forecast from this day, YYYY-MM-DD (default today)");

namespace {

constexpr char kUsage[] = R"(complaintctl [flags] COMMAND [ARGS]

Commands:
  submit --name N (--phone P | --email E) --content C --community X [--building B --unit U]
         [--channel phone|email|letter|walk-in|app] [--description D] [--key K]
                     record a complaint; prints its id, category and priority
  import FILE.jsonl  submit one JSON SubmitComplaintRequest per line
  routing train [--until T] [--activate] | models | activate VERSION | off
  routing backtest --train_until T [--test_from T]
                     dispatch's learned routing models: train on closed cases, list,
                     activate (or roll back), turn off, and backtest against the rules
  import-history --mapping M FILE [--strict] [--dry_run] [--concurrency N] [--progress]
                     the previous system's cases (CSV with a header, or .jsonl) with
                     their history; bad rows reported as row, column and reason
  list [--department D] [--handler H] [--community C] [--category C] [--priority P1..P4]
       [--status S] [--overdue] [--breached] [--due_before T] [--incident INCIDENT]
       [--verdict on-time|overdue|no-target] [--imported] [--source_id ID]
                     the work queue, most urgent deadline first (default: in hand)
  assignments --department D [--handler H] [--include_closed]
                     a department's (or person's) current assignments
  watch --department D [--handler H] [--cursor C] [--count N]
                     follow its assignment changes as they happen (from C, or all)
  show ID [--as_of T]
                     a complaint's state and full timeline (as known at time T)
  counts [--from D] [--to D]
                     complaint counts by day, category, priority and department
  figures [--from D] [--to D] [--by department,handler]
                     §5.1/§5.3 volumes, response and resolution times, SLA compliance,
                     escalations, satisfaction, reopen and recurrence rates
  report [ID] [--format markdown|html]
                     §5.2 the weekly and monthly reports for residents (no ID: list them)
  incidents [--community C] [--open]
                     §3.1/§5.1 bursts of one matter at one place in the last 7 days
                     (--open: only those with a complaint still open)
  hot [--community C] [--to D]
                     §5.1 categories and terms rising in the 7 days to D (default today)
                     against the 4 weeks before, significance-tested, per community
  projection [SERIES] [--weekly] [--horizon N] [--origin D]
                     §5.1 forecast with 80 %/95 % intervals and the backtest behind it;
                     SERIES: all (default), category=C, department=D, community=C, channel=C
  wait-ready         wait until all four services serve
  topics             create the platform's Kafka topics that are missing
  status [SERVICE]   what is stuck: outbox, relay, consumer, parked records, dead letters
Staff commands (all take [--key K]):
  verify ID --outcome confirmed|unverifiable|already-solved|withdrew --note N | --unanswered [--note N]
                                           §2.4 the call-back: any outcome but confirmed ends it
  reclassify ID [--category C] [--priority P1..P4] --reason R
                                           §2.3 change the classification, with the reason
  evidence add ID FILE [--description D]   §2.2 upload a file (type read from its content)
  evidence get ID SHA256 [--out FILE]      §2.2 fetch an attached file back
  personal ID --reason R                   §4.2 the complainant's data, unsealed (recorded)
  audit ID                                 §4.2 staff commands and personal-data reads, chain checked
  login [--minutes N]                      a sign-in token for the HTTP pages (1–60 min, default 15)
  export ID --reason R --out FILE          PIPL art. 45: everything held about the complainant
  request-erasure ID --reason R            §4.2 the complainant asks for their data erased
  withdraw ID --reason R                   §2.1 the complainant withdraws it; tracking closes it
  assign ID [--department D] [--handler H --reason R]
                                           §3.1 route it, or give it to a department or person
  transfer ID --department D [--handler H] --reason R
                                           §3.1 move it, with the reason
  reject ID --department D --reason R      §3.1 the holding department refuses it: re-routed
  accept ID                                §3.1 take it on (you are the receiver)
  note ID --text T                         §3.3 an investigation note
  pause ID --reason R                      §3.2 stop the deadline clock
  resume ID                                §3.2 restart it
  extend ID --target resolve --minutes N --reason R
                                           §3.2 ask for more time, before the deadline
  decide-extension ID --note N --message M [--reject]
                                           §3.2 a supervisor approves (or refuses) it
  resolve ID --outcome O --solution S --prevention P
                                           §3.4 the result
  resolve-incident INCIDENT --outcome O --solution S --prevention P
                                           §3.1 resolve every complaint of an incident in hand
  link-duplicate ID --primary P --reason R §3.1 ID is the same matter as P, resolved with it
  unlink-duplicate ID --reason R           §3.1 take a mistaken duplicate link back
  communicate ID [--channel phone] [--comments C]
                                           §3.4 the result was told to the complainant
  follow-up ID --satisfaction 1-5 [--comments C]
                                           §4.1 satisfied closes it, unsatisfied reopens it
  long-term-check ID --note N [--recurred] §4.1 did the problem come back?
  feedback ID --kind opinion|suggestion --text T
                                           §5.2 the complainant's opinion or suggestion
  dead-letters list SERVICE [--page_size N] [--page_token T]
  dead-letters show SERVICE ID
  dead-letters retry SERVICE ID
                     records a service could not apply or publish, and their re-drive
  backup SERVICE|all   a backup of the service's store now (operator; --backup_dir)
  backups SERVICE      the backups the service keeps

Who you are comes from your client certificate: --as NAME picks
<pki_dir>/staff/NAME.crt (or the identity given in full, e.g. ops/oncall),
or give --cert, --key_file and --ca. What you may do follows from your roles
(config/access.textproto); a refusal names the permission missing.

Add --json for machine-readable output. complaintctl COMMAND --help shows that
command's flags and an example; --helpfull lists every flag.)";

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

// The caller's credentials from --cert/--key_file/--ca, else from --as in
// the PKI folder; plaintext with --insecure.
absl::Status ResolveCaller(complaints::ctl::CtlOptions& options) {
  std::string identity = absl::GetFlag(FLAGS_as);
  if (identity.empty()) identity = EnvOr("COMPLAINTS_AS", "");
  if (!identity.empty() && identity.find('/') == std::string::npos) identity = "staff/" + identity;
  if (absl::GetFlag(FLAGS_insecure)) {
    if (identity.empty()) return absl::InvalidArgumentError("--as: required (who you are)");
    options.insecure_identity = identity;
    options.credentials = grpc::InsecureChannelCredentials();
    return absl::OkStatus();
  }
  const std::string pki = absl::GetFlag(FLAGS_pki_dir).empty()
                              ? EnvOr("COMPLAINTS_PKI_DIR", ".run/pki")
                              : absl::GetFlag(FLAGS_pki_dir);
  complaints::TlsFiles files;
  if (!absl::GetFlag(FLAGS_cert).empty()) {
    files = {absl::GetFlag(FLAGS_ca).empty() ? pki + "/ca.crt" : absl::GetFlag(FLAGS_ca),
             absl::GetFlag(FLAGS_cert), absl::GetFlag(FLAGS_key_file)};
  } else if (!identity.empty()) {
    files = complaints::PkiFiles(pki, identity);
    if (!absl::GetFlag(FLAGS_ca).empty()) files.ca = absl::GetFlag(FLAGS_ca);
  } else {
    return absl::InvalidArgumentError(
        "who are you? --as NAME (a certificate in --pki_dir) or --cert and --key_file");
  }
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      complaints::ChannelCredentialsFor({.files = files});
  if (!credentials.ok()) return credentials.status();
  options.credentials = *std::move(credentials);
  return absl::OkStatus();
}

complaints::v1::SubmitComplaintRequest RequestFromFlags() {
  complaints::v1::SubmitComplaintRequest request;
  std::string key = absl::GetFlag(FLAGS_key);
  if (key.empty()) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "complaintctl:%lx:%d", static_cast<long>(time(nullptr)),
                  static_cast<int>(getpid()));
    key = buffer;
  }
  request.set_idempotency_key(key);
  request.set_channel(complaints::ctl::ParseChannel(absl::GetFlag(FLAGS_channel)));
  request.mutable_complainant()->set_name(absl::GetFlag(FLAGS_name));
  request.mutable_complainant()->set_phone(absl::GetFlag(FLAGS_phone));
  request.mutable_complainant()->set_email(absl::GetFlag(FLAGS_email));
  request.set_content(absl::GetFlag(FLAGS_content));
  request.set_description(absl::GetFlag(FLAGS_description));
  request.mutable_location()->set_community(absl::GetFlag(FLAGS_community));
  request.mutable_location()->set_building(absl::GetFlag(FLAGS_building));
  request.mutable_location()->set_unit(absl::GetFlag(FLAGS_unit));
  request.mutable_location()->set_public_area(absl::GetFlag(FLAGS_public_area));
  return request;
}

}  // namespace

// Takes --help (-h, -help) out of the arguments, so that it asks for the
// help of the command it comes with rather than absl's list of every flag.
bool TakeHelpFlag(int& argc, char** argv) {
  bool asked = false;
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") {
      for (; i < argc; ++i) argv[kept++] = argv[i];
      break;
    }
    if (arg == "--help" || arg == "-help" || arg == "-h") {
      asked = true;
      continue;
    }
    argv[kept++] = argv[i];
  }
  argc = kept;
  return asked;
}

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(kUsage);
  const bool help = TakeHelpFlag(argc, argv);
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  const bool help_word = args.size() > 1 && std::string(args[1]) == "help";
  if (help || help_word) {
    const size_t at = help_word ? 2 : 1;  // the command asked about
    if (args.size() <= at) {
      std::fputs(kUsage, stdout);
      std::fputs("\n", stdout);
      return 0;
    }
    absl::StatusOr<std::string> text = complaints::ctl::CommandHelpText(args[at]);
    if (!text.ok()) {
      std::fprintf(stderr, "error: %s\n", std::string(text.status().message()).c_str());
      return 2;
    }
    std::fputs(text->c_str(), stdout);
    std::fflush(stdout);  // before anything the exit handlers print
    return 0;
  }
  complaints::ctl::CtlOptions options;
  options.intake = absl::GetFlag(FLAGS_intake);
  options.dispatch = absl::GetFlag(FLAGS_dispatch);
  options.tracking = absl::GetFlag(FLAGS_tracking);
  options.analytics = absl::GetFlag(FLAGS_analytics);
  options.brokers = absl::GetFlag(FLAGS_brokers);
  options.partitions = absl::GetFlag(FLAGS_partitions);
  options.json = absl::GetFlag(FLAGS_json);
  options.timeout = absl::Seconds(absl::GetFlag(FLAGS_timeout_seconds));
  options.page_size = absl::GetFlag(FLAGS_page_size);
  options.page_token = absl::GetFlag(FLAGS_page_token);

  const std::string command = args.size() > 1 ? args[1] : "";
  const std::string argument = args.size() > 2 ? args[2] : "";
  if (command == "topics" && !absl::GetFlag(FLAGS_kafka_password_file).empty()) {
    absl::StatusOr<std::string> password =
        complaints::ReadPasswordFile(absl::GetFlag(FLAGS_kafka_password_file));
    if (!password.ok()) {
      std::fprintf(stderr, "error: --kafka_password_file %s\n",
                   std::string(password.status().message()).c_str());
      return 2;
    }
    options.kafka_user = absl::GetFlag(FLAGS_kafka_user);
    options.kafka_password = *std::move(password);
  }
  if (command != "topics" && !command.empty()) {
    if (absl::Status caller = ResolveCaller(options); !caller.ok()) {
      std::fprintf(stderr, "error: %s\n", std::string(caller.message()).c_str());
      return 2;
    }
  }
  if (command == "submit") return complaints::ctl::Submit(options, RequestFromFlags());
  if (command == "import" && !argument.empty()) return complaints::ctl::Import(options, argument);
  if (command == "routing") {
    complaints::ctl::RoutingArgs routing;
    routing.verb = argument;
    routing.version = args.size() > 3 ? args[3] : "";
    routing.until = absl::GetFlag(FLAGS_until);
    routing.activate = absl::GetFlag(FLAGS_activate);
    if (argument == "backtest") {
      routing.until = absl::GetFlag(FLAGS_train_until);
      routing.from = absl::GetFlag(FLAGS_test_from);
    }
    return complaints::ctl::Routing(options, routing);
  }
  if (command == "import-history" && !argument.empty()) {
    complaints::ctl::ImportHistoryOptions import;
    import.mapping_path = absl::GetFlag(FLAGS_mapping);
    import.file = argument;
    import.strict = absl::GetFlag(FLAGS_strict);
    import.dry_run = absl::GetFlag(FLAGS_dry_run);
    import.concurrency = absl::GetFlag(FLAGS_concurrency);
    import.progress = absl::GetFlag(FLAGS_progress) || isatty(fileno(stderr));
    if (import.mapping_path.empty()) {
      std::fprintf(stderr, "error: import-history: --mapping is required\n");
      return 2;
    }
    return complaints::ctl::ImportHistory(options, import);
  }
  if (command == "show" && !argument.empty())
    return complaints::ctl::Show(options, argument, absl::GetFlag(FLAGS_as_of));
  // Day flags are the centre's days: a time or a date elsewhere becomes the
  // centre's day it falls on (when.h).
  std::string from = absl::GetFlag(FLAGS_from), to = absl::GetFlag(FLAGS_to),
              origin = absl::GetFlag(FLAGS_origin);
  const complaints::ctl::ZoneSource centre =
      complaints::ctl::CentreZoneOf(options, options.analytics);
  for (auto [flag, value] : {std::pair{"--from", &from}, {"--to", &to}, {"--origin", &origin}}) {
    if (value->empty()) continue;
    absl::StatusOr<std::string> day = complaints::ctl::ParseDay(flag, *value, centre);
    if (!day.ok()) {
      std::fprintf(stderr, "error: %s\n", std::string(day.status().message()).c_str());
      return 2;
    }
    *value = *day;
  }
  if (command == "figures") {
    return complaints::ctl::Figures(options, from, to, absl::GetFlag(FLAGS_by));
  }
  if (command == "report") {
    return complaints::ctl::Reports(options, argument, absl::GetFlag(FLAGS_format));
  }
  if (command == "incidents") {
    return complaints::ctl::Incidents(options, absl::GetFlag(FLAGS_community),
                                      absl::GetFlag(FLAGS_open));
  }
  if (command == "hot") {
    return complaints::ctl::HotIssues(options, absl::GetFlag(FLAGS_community), to);
  }
  if (command == "projection") {
    return complaints::ctl::Projection(options, argument, absl::GetFlag(FLAGS_weekly),
                                       absl::GetFlag(FLAGS_horizon), origin);
  }
  if (command == "counts") {
    return complaints::ctl::Counts(options, from, to);
  }
  if (command == "watch") {
    return complaints::ctl::Watch(options, absl::GetFlag(FLAGS_department),
                                  absl::GetFlag(FLAGS_handler), absl::GetFlag(FLAGS_cursor),
                                  absl::GetFlag(FLAGS_count));
  }
  if (command == "evidence" && args.size() == 5) {
    if (argument == "add") {
      return complaints::ctl::AddEvidence(options, absl::GetFlag(FLAGS_key), args[3], args[4],
                                          absl::GetFlag(FLAGS_description));
    }
    if (argument == "get") {
      return complaints::ctl::GetEvidence(options, args[3], args[4], absl::GetFlag(FLAGS_out));
    }
  }
  if (command == "audit" && !argument.empty()) return complaints::ctl::Audit(options, argument);
  if (command == "login") {
    return complaints::ctl::Login(options, static_cast<int>(absl::GetFlag(FLAGS_minutes)));
  }
  if (command == "personal" && !argument.empty()) {
    return complaints::ctl::ShowPersonalData(options, argument, absl::GetFlag(FLAGS_reason));
  }
  if (command == "export" && !argument.empty()) {
    return complaints::ctl::ExportPersonalData(options, argument, absl::GetFlag(FLAGS_reason),
                                               absl::GetFlag(FLAGS_out));
  }
  if (complaints::ctl::IsStaffCommand(command) && !argument.empty()) {
    complaints::ctl::StaffArgs staff;
    staff.key = absl::GetFlag(FLAGS_key);
    staff.text = absl::GetFlag(FLAGS_text);
    staff.reason = absl::GetFlag(FLAGS_reason);
    staff.primary = absl::GetFlag(FLAGS_primary);
    staff.outcome = absl::GetFlag(FLAGS_outcome);
    staff.solution = absl::GetFlag(FLAGS_solution);
    staff.prevention = absl::GetFlag(FLAGS_prevention);
    staff.comments = absl::GetFlag(FLAGS_comments);
    staff.note = absl::GetFlag(FLAGS_note);
    staff.message = absl::GetFlag(FLAGS_message);
    staff.kind = absl::GetFlag(FLAGS_kind);
    staff.channel = absl::GetFlag(FLAGS_channel);
    staff.target = absl::GetFlag(FLAGS_target);
    staff.minutes = absl::GetFlag(FLAGS_minutes);
    staff.satisfaction = absl::GetFlag(FLAGS_satisfaction);
    staff.recurred = absl::GetFlag(FLAGS_recurred);
    staff.reject = absl::GetFlag(FLAGS_reject);
    staff.department = absl::GetFlag(FLAGS_department);
    staff.category = absl::GetFlag(FLAGS_category);
    staff.priority = absl::GetFlag(FLAGS_priority);
    staff.unanswered = absl::GetFlag(FLAGS_unanswered);
    staff.handler = absl::GetFlag(FLAGS_handler);
    return complaints::ctl::Staff(options, command, argument, staff);
  }
  if (command == "list") {
    complaints::v1::ListComplaintsRequest request;
    request.set_department(absl::GetFlag(FLAGS_department));
    request.set_handler(absl::GetFlag(FLAGS_handler));
    request.set_community(absl::GetFlag(FLAGS_community));
    request.set_category(absl::GetFlag(FLAGS_category));
    request.set_incident_id(absl::GetFlag(FLAGS_incident));
    request.set_overdue(absl::GetFlag(FLAGS_overdue));
    request.set_breached(absl::GetFlag(FLAGS_breached));
    request.set_imported(absl::GetFlag(FLAGS_imported));
    request.set_source_id(absl::GetFlag(FLAGS_source_id));
    const std::string verdict = absl::GetFlag(FLAGS_verdict);
    if (verdict == "on-time") {
      request.set_verdict(complaints::v1::SLA_VERDICT_ON_TIME);
    } else if (verdict == "overdue") {
      request.set_verdict(complaints::v1::SLA_VERDICT_OVERDUE);
    } else if (verdict == "no-target") {
      request.set_verdict(complaints::v1::SLA_VERDICT_NO_TARGET);
    } else if (!verdict.empty()) {
      std::fprintf(stderr, "error: --verdict: on-time, overdue or no-target\n");
      return 2;
    }
    const std::string priority = absl::GetFlag(FLAGS_priority);
    if (!priority.empty()) {
      complaints::v1::Priority parsed;
      if (!complaints::v1::Priority_Parse("PRIORITY_" + priority, &parsed)) {
        std::fprintf(stderr, "error: --priority: P1, P2, P3 or P4\n");
        return 2;
      }
      request.set_priority(parsed);
    }
    const std::string status = absl::GetFlag(FLAGS_status);
    if (!status.empty()) {
      complaints::v1::HandlingStatus parsed;
      if (!complaints::v1::HandlingStatus_Parse("HANDLING_STATUS_" + absl::AsciiStrToUpper(status),
                                                &parsed)) {
        std::fprintf(stderr, "error: --status: open, resolved, communicated, closed or archived\n");
        return 2;
      }
      request.add_statuses(parsed);
    }
    const std::string due_before = absl::GetFlag(FLAGS_due_before);
    if (!due_before.empty()) {
      absl::StatusOr<absl::Time> time = complaints::ctl::ParseWhen(
          "--due_before", due_before, complaints::ctl::CentreZoneOf(options, options.tracking));
      if (!time.ok()) {
        std::fprintf(stderr, "error: %s\n", std::string(time.status().message()).c_str());
        return 2;
      }
      *request.mutable_due_before() = complaints::ToProto(*time);
    }
    return complaints::ctl::ListQueue(options, request);
  }
  if (command == "assignments") {
    return complaints::ctl::Assignments(options, absl::GetFlag(FLAGS_department),
                                        absl::GetFlag(FLAGS_handler),
                                        absl::GetFlag(FLAGS_include_closed));
  }
  if (command == "wait-ready") return complaints::ctl::WaitReady(options);
  if (command == "topics") return complaints::ctl::EnsureTopicsCommand(options);
  if (command == "status") return complaints::ctl::Status(options, argument);
  if (command == "backup") return complaints::ctl::Backup(options, argument);
  if (command == "backups") return complaints::ctl::Backups(options, argument);
  if (command == "dead-letters") {
    return complaints::ctl::DeadLetters(options,
                                        std::vector<std::string>(args.begin() + 2, args.end()));
  }
  std::fprintf(stderr, "%s\n", kUsage);
  return 2;
}
