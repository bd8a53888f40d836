#include "tools/complaintctl/command_help.h"

#include "absl/flags/commandlineflag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace complaints::ctl {
namespace {

// Read by every command that calls a service.
const std::vector<std::string>& CallerFlags() {
  static const auto* flags = new std::vector<std::string>{
      "as", "pki_dir", "cert", "key_file", "ca", "insecure", "json", "timeout_seconds"};
  return *flags;
}

std::vector<CommandHelp> Table() {
  const std::string staff = "a staff command; --key makes a retry safe";
  return {
      {"submit",
       "submit --name N (--phone P | --email E) --content C --community X [--building B --unit U]",
       "§2.1 record a complaint; prints its id, category and priority",
       {"name", "phone", "email", "content", "description", "community", "building", "unit",
        "public_area", "channel", "key", "intake"},
       "complaintctl submit --as li --name 'Wang Fang' --phone 13800138000 \\\n"
       "    --content 'water leaking from the ceiling' --community 'Riverside Gardens' \\\n"
       "    --building 3 --unit 1202"},
      {"import",
       "import FILE.jsonl",
       "§2.1 submit one JSON SubmitComplaintRequest per line",
       {"intake"},
       "complaintctl import --as system/call-centre complaints.jsonl"},
      {"routing",
       "routing train|models|activate VERSION|off|backtest",
       "§3.1 dispatch's learned routing models: train on closed cases, list, activate (or roll "
       "back), turn off, and backtest against the rules",
       {"until", "activate", "train_until", "test_from", "dispatch"},
       "complaintctl routing backtest --as ops/oncall --train_until 2026-09-01T00:00:00+08:00"},
      {"import-history",
       "import-history --mapping M FILE",
       "the previous system's cases (CSV with a header, or .jsonl) with their history; bad rows "
       "are reported as row, column and reason",
       {"mapping", "strict", "dry_run", "concurrency", "progress", "intake"},
       "complaintctl import-history --as ops/oncall \\\n"
       "    --mapping tools/complaintctl/mappings/nyc311.textproto 311.csv --dry_run"},
      {"list",
       "list [filters]",
       "§3.2 the work queue, most urgent deadline first (default: in hand)",
       {"department", "handler", "community", "category", "priority", "status", "overdue",
        "breached", "due_before", "incident", "verdict", "imported", "source_id", "tracking"},
       "complaintctl list --as li --department engineering --overdue"},
      {"assignments",
       "assignments --department D [--handler H]",
       "§3.1 a department's (or person's) current assignments",
       {"department", "handler", "include_closed", "dispatch"},
       "complaintctl assignments --as li --department engineering"},
      {"watch",
       "watch --department D [--handler H]",
       "§3.1 follow a department's assignment changes as they happen",
       {"department", "handler", "cursor", "count", "dispatch"},
       "complaintctl watch --as li --department engineering --count 10"},
      {"show",
       "show ID",
       "a complaint's state and full timeline",
       {"as_of", "tracking"},
       "complaintctl show --as li C20261126-00000000000000AB"},
      {"counts",
       "counts [--from D] [--to D]",
       "§5.1 complaint counts by day, category, priority and department",
       {"from", "to", "analytics"},
       "complaintctl counts --as he --from 2026-11-01 --to 2026-11-30"},
      {"figures",
       "figures [--from D] [--to D] [--by G]",
       "§5.1/§5.3 volumes, response and resolution times, SLA compliance, escalations, "
       "satisfaction, reopen and recurrence rates",
       {"from", "to", "by", "analytics"},
       "complaintctl figures --as he --from 2026-11-01 --by department"},
      {"report",
       "report [ID]",
       "§5.2 the weekly and monthly reports for residents (no ID: list them)",
       {"format", "analytics"},
       "complaintctl report --as he"},
      {"incidents",
       "incidents",
       "§3.1/§5.1 bursts of one matter at one place in the last 7 days",
       {"community", "open", "analytics"},
       "complaintctl incidents --as li --open"},
      {"hot",
       "hot",
       "§5.1 categories and terms rising in the 7 days to --to against the 4 weeks "
       "before, per community",
       {"community", "to", "analytics"},
       "complaintctl hot --as he --community 'Riverside Gardens'"},
      {"projection",
       "projection [SERIES]",
       "§5.1 forecast with 80 %/95 % intervals and the backtest behind it; SERIES: all, "
       "category=C, department=D, community=C, channel=C",
       {"weekly", "horizon", "origin", "analytics"},
       "complaintctl projection --as he department=engineering --horizon 28"},
      {"wait-ready",
       "wait-ready",
       "wait until all four services serve",
       {"intake", "dispatch", "tracking", "analytics"},
       "complaintctl wait-ready --as ops/oncall --timeout_seconds 120"},
      {"topics",
       "topics",
       "create the platform's Kafka topics that are missing",
       {"brokers", "partitions", "kafka_user", "kafka_password_file"},
       "complaintctl topics --brokers 127.0.0.1:9092",
       /*calls_services=*/false},
      {"status",
       "status [SERVICE]",
       "what is stuck: outbox, relay, consumer, parked records, dead letters",
       {"intake", "dispatch", "tracking", "analytics"},
       "complaintctl status --as ops/oncall intake"},
      {"verify",
       "verify ID --outcome O --note N | --unanswered",
       "§2.4 the call-back: any outcome but confirmed ends it; " + staff,
       {"outcome", "note", "unanswered", "key"},
       "complaintctl verify --as li C20261126-00000000000000AB --outcome confirmed \\\n"
       "    --note 'leak seen from the flat below'"},
      {"reclassify",
       "reclassify ID --reason R",
       "§2.3 change the classification, with the reason; " + staff,
       {"category", "priority", "reason", "key"},
       "complaintctl reclassify --as li C20261126-00000000000000AB --priority P1 \\\n"
       "    --reason 'water near the switchboard'"},
      {"evidence",
       "evidence add ID FILE | evidence get ID SHA256",
       "§2.2 upload a file (its type read from its content), or fetch one back",
       {"description", "out", "key", "intake"},
       "complaintctl evidence add --as li C20261126-00000000000000AB ceiling.jpg"},
      {"personal",
       "personal ID --reason R",
       "§4.2 the complainant's data, unsealed; the read is recorded",
       {"reason", "intake"},
       "complaintctl personal --as li C20261126-00000000000000AB --reason 'call-back'"},
      {"audit",
       "audit ID",
       "§4.2 staff commands and personal-data reads, chains checked",
       {"intake"},
       "complaintctl audit --as luo C20261126-00000000000000AB"},
      {"login",
       "login",
       "a sign-in token for the HTTP pages",
       {"minutes", "intake"},
       "complaintctl login --as he --minutes 30"},
      {"export",
       "export ID --reason R --out FILE",
       "PIPL art. 45: everything held about the complainant, readable by you alone",
       {"reason", "out", "intake"},
       "complaintctl export --as li C20261126-00000000000000AB --reason 'their request' "
       "--out data.json"},
      {"request-erasure",
       "request-erasure ID --reason R",
       "§4.2 the complainant asks for their data erased; " + staff,
       {"reason", "key"},
       "complaintctl request-erasure --as li C20261126-00000000000000AB --reason 'asked by phone'"},
      {"withdraw",
       "withdraw ID --reason R",
       "§2.1 the complainant withdraws it; tracking closes it; " + staff,
       {"reason", "key"},
       "complaintctl withdraw --as li C20261126-00000000000000AB --reason 'fixed themselves'"},
      {"assign",
       "assign ID [--department D] [--handler H --reason R]",
       "§3.1 route it, or give it to a department or person; " + staff,
       {"department", "handler", "reason", "key"},
       "complaintctl assign --as li C20261126-00000000000000AB --department engineering"},
      {"transfer",
       "transfer ID --department D --reason R",
       "§3.1 move it, with the reason; " + staff,
       {"department", "handler", "reason", "key"},
       "complaintctl transfer --as li C20261126-00000000000000AB --department security \\\n"
       "    --reason 'a break-in, not a door fault'"},
      {"reject",
       "reject ID --department D --reason R",
       "§3.1 the holding department refuses it and it is routed again; " + staff,
       {"department", "reason", "key"},
       "complaintctl reject --as li C20261126-00000000000000AB --department cleaning \\\n"
       "    --reason 'a pipe, not a spill'"},
      {"accept",
       "accept ID",
       "§3.1 take it on (you are the receiver); " + staff,
       {"key"},
       "complaintctl accept --as li C20261126-00000000000000AB"},
      {"note",
       "note ID --text T",
       "§3.3 an investigation note; " + staff,
       {"text", "key"},
       "complaintctl note --as li C20261126-00000000000000AB --text 'valve replaced'"},
      {"pause",
       "pause ID --reason R",
       "§3.2 stop the deadline clock; " + staff,
       {"reason", "key"},
       "complaintctl pause --as li C20261126-00000000000000AB --reason 'waiting for the owner'"},
      {"resume",
       "resume ID",
       "§3.2 restart the deadline clock; " + staff,
       {"key"},
       "complaintctl resume --as li C20261126-00000000000000AB"},
      {"extend",
       "extend ID --target T --minutes N --reason R",
       "§3.2 ask for more time, before the deadline; " + staff,
       {"target", "minutes", "reason", "key"},
       "complaintctl extend --as li C20261126-00000000000000AB --target resolve --minutes 1440 "
       "\\\n    --reason 'the part arrives tomorrow'"},
      {"decide-extension",
       "decide-extension ID --note N --message M [--reject]",
       "§3.2 a supervisor approves (or refuses) an extension; " + staff,
       {"note", "message", "reject", "key"},
       "complaintctl decide-extension --as zhao C20261126-00000000000000AB \\\n"
       "    --note 'part on order' --message 'we will finish tomorrow'"},
      {"resolve",
       "resolve ID --outcome O --solution S --prevention P",
       "§3.4 the result; " + staff,
       {"outcome", "solution", "prevention", "key"},
       "complaintctl resolve --as li C20261126-00000000000000AB --outcome fixed \\\n"
       "    --solution 'pipe joint replaced' --prevention 'joints checked yearly'"},
      {"resolve-incident",
       "resolve-incident INCIDENT --outcome O --solution S --prevention P",
       "§3.1 resolve every complaint of an incident in hand; " + staff,
       {"outcome", "solution", "prevention", "key"},
       "complaintctl resolve-incident --as li I20261126-0001 --outcome fixed \\\n"
       "    --solution 'main valve replaced' --prevention 'valves checked monthly'"},
      {"link-duplicate",
       "link-duplicate ID --primary P --reason R",
       "§3.1 one matter, many calls: ID is the same matter as P; resolved with it; " + staff,
       {"primary", "reason", "key"},
       "complaintctl link-duplicate --as li C20261126-00000000000000AC \\\n"
       "    --primary C20261126-00000000000000AB --reason 'same burst riser, second caller'"},
      {"unlink-duplicate",
       "unlink-duplicate ID --reason R",
       "§3.1 take a mistaken duplicate link back; " + staff,
       {"reason", "key"},
       "complaintctl unlink-duplicate --as li C20261126-00000000000000AC --reason 'other flat'"},
      {"communicate",
       "communicate ID",
       "§3.4 the result was told to the complainant; " + staff,
       {"channel", "comments", "key"},
       "complaintctl communicate --as li C20261126-00000000000000AB --channel phone"},
      {"follow-up",
       "follow-up ID --satisfaction 1-5",
       "§4.1 satisfied closes it, unsatisfied reopens it; " + staff,
       {"satisfaction", "comments", "key"},
       "complaintctl follow-up --as li C20261126-00000000000000AB --satisfaction 5"},
      {"long-term-check",
       "long-term-check ID --note N [--recurred]",
       "§4.1 did the problem come back?; " + staff,
       {"note", "recurred", "key"},
       "complaintctl long-term-check --as li C20261126-00000000000000AB --note 'dry since'"},
      {"feedback",
       "feedback ID --kind opinion|suggestion --text T",
       "§5.2 the complainant's opinion or suggestion; " + staff,
       {"kind", "text", "key"},
       "complaintctl feedback --as li C20261126-00000000000000AB --kind suggestion \\\n"
       "    --text 'send a text when the plumber is on the way'"},
      {"dead-letters",
       "dead-letters list|show|retry SERVICE [ID]",
       "records a service could not apply or publish, and their re-drive",
       {"page_size", "page_token"},
       "complaintctl dead-letters list --as ops/oncall dispatch --page_size 20"},
      {"backup",
       "backup SERVICE|all",
       "a backup of the service's store now (operator)",
       {"intake", "dispatch", "tracking", "analytics"},
       "complaintctl backup --as ops/oncall all"},
      {"backups",
       "backups SERVICE",
       "the backups the service keeps",
       {"intake", "dispatch", "tracking", "analytics"},
       "complaintctl backups --as ops/oncall tracking"},
  };
}

absl::StatusOr<std::string> FlagLines(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) {
    const absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    if (flag == nullptr)
      return absl::InternalError(absl::StrCat("help names --", name, ", which is not a flag"));
    std::string line = absl::StrFormat("  --%-20s %s", name, flag->Help());
    // A help text that explains its own default keeps it; the rest get the flag's.
    if (!absl::StrContains(flag->Help(), "default")) {
      const std::string value = flag->DefaultValue();
      absl::StrAppend(&line, " (default ", value.empty() ? "\"\"" : value, ")");
    }
    absl::StrAppend(&out, line, "\n");
  }
  return out;
}

}  // namespace

const std::vector<CommandHelp>& CommandHelps() {
  static const auto* table = new std::vector<CommandHelp>(Table());
  return *table;
}

absl::StatusOr<std::string> CommandHelpText(const std::string& command) {
  for (const CommandHelp& help : CommandHelps()) {
    if (help.name != command) continue;
    std::string out = absl::StrCat("usage: complaintctl ", help.synopsis, " [flags]\n\n",
                                   help.summary, "\n\nflags:\n");
    absl::StatusOr<std::string> own = FlagLines(help.flags);
    if (!own.ok()) return own.status();
    out += *own;
    if (help.calls_services) {
      absl::StatusOr<std::string> caller = FlagLines(CallerFlags());
      if (!caller.ok()) return caller.status();
      absl::StrAppend(&out, "\nwho you are, and how answers print:\n", *caller);
    }
    absl::StrAppend(&out, "\nexample:\n  ", help.example, "\n");
    return out;
  }
  return absl::NotFoundError(
      absl::StrCat("no command \"", command, "\"; complaintctl --help lists them"));
}

}  // namespace complaints::ctl
