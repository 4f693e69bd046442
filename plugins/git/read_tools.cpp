// The read-only tools: status, the three diffs, log, show and branch.
// None of them writes anything (not even git's opportunistic index refresh).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <ctime>
#include <optional>

#include "branch_text.h"
#include "commit_text.h"
#include "date_filter.h"
#include "diff_text.h"
#include "status_text.h"
#include "tool_handlers.h"

namespace mcpgw::git {
namespace {

using nlohmann::json;

// An optional argument: absent and null both mean "not given", as in the reference.
std::optional<std::string> OptionalString(const json& args, const char* key) {
  const auto it = args.find(key);
  if (it == args.end() || it->is_null()) return std::nullopt;
  return it->get<std::string>();
}

// An optional integer argument in [0, max]. A JSON integer, or a float
// with no fractional part (JSON Schema's "integer" takes 5.0, and Python
// clients send it); a fractional float, a string or a value out of range is
// refused. A float's range is checked as a double before it is converted
// (2^63, beyond int64_t, is the first double refused for INT64_MAX).
int64_t IntegerOr(const json& args, const char* key, int64_t fallback, int64_t max) {
  const auto it = args.find(key);
  if (it == args.end() || it->is_null()) return fallback;
  const auto refuse = [&] {
    return GitRefusal(std::string(key) + " must be an integer between 0 and " + std::to_string(max));
  };
  if (it->is_number_float()) {
    const double d = it->get<double>();
    if (!(d >= 0 && d < 9223372036854775808.0 && std::floor(d) == d)) throw refuse();
    const auto whole = static_cast<int64_t>(d);
    if (whole > max) throw refuse();
    return whole;
  }
  const bool in_range = it->is_number_unsigned() ? it->get<uint64_t>() <= static_cast<uint64_t>(max)
                        : it->is_number_integer() && it->get<int64_t>() >= 0 && it->get<int64_t>() <= max;
  if (!in_range) throw refuse();
  return it->get<int64_t>();
}

uint64_t BlobLimit(const ToolContext& context) {
  return std::min<uint64_t>(context.options.max_output_bytes, UINT64_MAX / 16) * 16;
}

DiffSettings Settings(const json& args, const ToolContext& context) {
  const int64_t lines = IntegerOr(args, "context_lines", 3, 100000);
  return DiffSettings{static_cast<uint32_t>(lines), BlobLimit(context)};
}

std::string Bounded(const std::string& prefix, const ToolContext& context, void (*print)(git_diff*, BoundedText&),
                    git_diff* diff) {
  // The final newline stripped is the diff's own (GitPython strips git's), never the prefix's.
  BoundedText out(context.options.max_output_bytes > prefix.size() ? context.options.max_output_bytes - prefix.size() : 0);
  print(diff, out);
  return ValidUtf8(prefix) + std::move(out).Finish(true);
}

std::optional<int64_t> TimeFilter(const json& args, const char* key) {
  const std::optional<std::string> text = OptionalString(args, key);
  if (!text || text->empty()) return std::nullopt;  // the reference treats "" as absent
  if ((*text)[0] == '-') throw GitRefusal("Invalid " + std::string(key) + ": '" + *text + "' - cannot start with '-'");
  const std::optional<int64_t> when = ParseGitDate(*text, std::time(nullptr));
  if (!when) {
    throw GitRefusal("Cannot understand " + std::string(key) + " '" + *text +
                     "': use ISO 8601 (2024-01-15 or 2024-01-15T14:30:25), a relative date ('2 weeks ago', "
                     "'yesterday') or an absolute date ('Jan 15 2024')");
  }
  return when;
}

}  // namespace

std::string GitStatusTool(const ConfinedRepository& repo, const json&, const ToolContext& context) {
  repo.RequireWorkdir("git_status");
  BoundedText out(context.options.max_output_bytes);
  out.Append("Repository status:\n" + StatusText(repo.get()));
  return std::move(out).Finish();
}

std::string GitDiffUnstagedTool(const ConfinedRepository& repo, const json& args, const ToolContext& context) {
  repo.RequireWorkdir("git_diff_unstaged");
  const Diff diff = UnstagedDiff(repo.get(), Settings(args, context));
  return Bounded("Unstaged changes:\n", context, &PrintPatch, diff.get());
}

std::string GitDiffStagedTool(const ConfinedRepository& repo, const json& args, const ToolContext& context) {
  const Diff diff = StagedDiff(repo.get(), Settings(args, context));
  return Bounded("Staged changes:\n", context, &PrintPatch, diff.get());
}

std::string GitDiffTool(const ConfinedRepository& repo, const json& args, const ToolContext& context) {
  repo.RequireWorkdir("git_diff");
  const std::string target = args.at("target").get<std::string>();
  const DiffSettings settings = Settings(args, context);
  const Commit commit = ResolveCommit(repo.get(), target, "target");
  const Diff diff = TargetDiff(repo.get(), commit.get(), settings);
  return Bounded("Diff with " + target + ":\n", context, &PrintPatch, diff.get());
}

std::string GitLogTool(const ConfinedRepository& repo, const json& args, const ToolContext& context) {
  const int64_t requested = IntegerOr(args, "max_count", 10, INT64_MAX);
  const uint64_t max_count = std::min<uint64_t>(static_cast<uint64_t>(requested), context.options.max_log_count);
  const std::optional<int64_t> since = TimeFilter(args, "start_timestamp");
  const std::optional<int64_t> until = TimeFilter(args, "end_timestamp");
  const bool filtered = since || until;

  if (!HeadCommitOrNull(repo.get())) throw GitRefusal("The current branch has no commits yet");
  git_revwalk* raw = nullptr;
  Check(git_revwalk_new(&raw, repo.get()), "Cannot walk the history");
  const RevWalk walk(raw);
  Check(git_revwalk_sorting(walk.get(), GIT_SORT_TIME), "Cannot walk the history");
  Check(git_revwalk_push_head(walk.get()), "Cannot walk the history");

  BoundedText out(context.options.max_output_bytes);
  out.Append("Commit history:\n");
  uint64_t listed = 0;
  git_oid id;
  while (listed < max_count && !out.full() && git_revwalk_next(&id, walk.get()) == 0) {
    if (context.cancelled()) throw GitCancelled();
    git_commit* found = nullptr;
    Check(git_commit_lookup(&found, repo.get(), &id), "Cannot read a commit");
    const Commit commit(found);
    const int64_t committed = git_commit_time(commit.get());  // --since/--until compare the committer date
    if ((since && committed < *since) || (until && committed > *until)) continue;
    if (listed++ > 0) out.Append("\n");
    out.Append(filtered ? PlainCommitEntry(commit.get()) : ReprCommitEntry(commit.get()));
  }
  return std::move(out).Finish();
}

std::string GitShowTool(const ConfinedRepository& repo, const json& args, const ToolContext& context) {
  const Commit commit = ResolveCommit(repo.get(), args.at("revision").get<std::string>(), "revision");
  BoundedText out(context.options.max_output_bytes);
  out.Append(ReprCommitEntry(commit.get()));
  const Diff diff = CommitDiff(repo.get(), commit.get(), DiffSettings{3, BlobLimit(context)});
  PrintShowPatches(diff.get(), out);
  return std::move(out).Finish();
}

std::string GitBranchTool(const ConfinedRepository& repo, const json& args, const ToolContext& context) {
  const std::string type = args.at("branch_type").get<std::string>();
  BranchKind kind;
  if (type == "local") {
    kind = BranchKind::kLocal;
  } else if (type == "remote") {
    kind = BranchKind::kRemote;
  } else if (type == "all") {
    kind = BranchKind::kAll;
  } else {
    throw GitRefusal("Invalid branch type: " + type);
  }
  const std::optional<std::string> contains = OptionalString(args, "contains");
  const std::optional<std::string> not_contains = OptionalString(args, "not_contains");
  const Commit contained = contains ? ResolveCommit(repo.get(), *contains, "contains value") : nullptr;
  const Commit excluded = not_contains ? ResolveCommit(repo.get(), *not_contains, "not_contains value") : nullptr;
  BoundedText out(context.options.max_output_bytes);
  out.Append(BranchText(repo.get(), kind, contained.get(), excluded.get()));
  return std::move(out).Finish();
}

}  // namespace mcpgw::git
