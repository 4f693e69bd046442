#include "tool_definitions.h"

#include <string>

namespace mcpgw::git {
namespace {

using nlohmann::json;

json String(const char* title, const char* description = nullptr) {
  json s{{"title", title}, {"type", "string"}};
  if (description != nullptr) s["description"] = description;
  return s;
}

// pydantic's `Optional[str] = None`.
json OptionalString(const char* title, const char* description = nullptr) {
  json s{{"anyOf", json::array({{{"type", "string"}}, {{"type", "null"}}})}, {"default", nullptr}, {"title", title}};
  if (description != nullptr) s["description"] = description;
  return s;
}

json Count(const char* title, int default_value) {
  return json{{"default", default_value}, {"minimum", 0}, {"title", title}, {"type", "integer"}};
}

json RepoPath(const char* description = nullptr) { return String("Repo Path", description); }

// A pydantic model's schema: `properties` plus the required keys.
json Model(const char* title, json properties, json required) {
  return json{{"properties", std::move(properties)}, {"required", std::move(required)}, {"title", title}, {"type", "object"}};
}

struct Hints {
  bool read_only, destructive, idempotent;
};

constexpr Hints kReads{true, false, true};

json Tool(const char* name, const char* title, const char* description, json input, Hints hints) {
  return json{{"name", name},
              {"title", title},
              {"description", description},
              {"inputSchema", std::move(input)},
              {"annotations",
               {{"readOnlyHint", hints.read_only},
                {"destructiveHint", hints.destructive},
                {"idempotentHint", hints.idempotent},
                {"openWorldHint", false}}}};
}

constexpr const char* kTimestampHelp =
    "Accepts: ISO 8601 format (e.g., '2024-01-15T14:30:25'), relative dates (e.g., '2 weeks ago', 'yesterday'), "
    "or absolute dates (e.g., '2024-01-15', 'Jan 15 2024')";

}  // namespace

json GitToolDefinitions() {
  const json repo_only = Model("GitStatus", {{"repo_path", RepoPath()}}, {"repo_path"});
  const auto with_context = [](const char* title) {
    return Model(title, {{"repo_path", RepoPath()}, {"context_lines", Count("Context Lines", 3)}}, {"repo_path"});
  };
  const std::string start_help = std::string("Start timestamp for filtering commits. ") + kTimestampHelp;
  const std::string end_help = std::string("End timestamp for filtering commits. ") + kTimestampHelp;

  json tools = json::array();
  tools.push_back(Tool("git_status", "Git Status", "Shows the working tree status", repo_only, kReads));
  tools.push_back(Tool("git_diff_unstaged", "Git Diff Unstaged",
                       "Shows changes in the working directory that are not yet staged",
                       with_context("GitDiffUnstaged"), kReads));
  tools.push_back(Tool("git_diff_staged", "Git Diff Staged", "Shows changes that are staged for commit",
                       with_context("GitDiffStaged"), kReads));
  tools.push_back(Tool("git_diff", "Git Diff", "Shows differences between branches or commits",
                       Model("GitDiff",
                             {{"repo_path", RepoPath()},
                              {"target", String("Target")},
                              {"context_lines", Count("Context Lines", 3)}},
                             {"repo_path", "target"}),
                       kReads));
  tools.push_back(Tool("git_commit", "Git Commit", "Records changes to the repository",
                       Model("GitCommit", {{"repo_path", RepoPath()}, {"message", String("Message")}},
                             {"repo_path", "message"}),
                       Hints{false, false, false}));
  tools.push_back(Tool("git_add", "Git Add", "Adds file contents to the staging area",
                       Model("GitAdd",
                             {{"repo_path", RepoPath()},
                              {"files", {{"items", {{"type", "string"}}}, {"title", "Files"}, {"type", "array"}}}},
                             {"repo_path", "files"}),
                       Hints{false, false, true}));
  tools.push_back(Tool("git_reset", "Git Reset", "Unstages all staged changes",
                       Model("GitReset", {{"repo_path", RepoPath()}}, {"repo_path"}), Hints{false, true, true}));
  tools.push_back(Tool("git_log", "Git Log", "Shows the commit logs",
                       Model("GitLog",
                             {{"repo_path", RepoPath()},
                              {"max_count", Count("Max Count", 10)},
                              {"start_timestamp", OptionalString("Start Timestamp", start_help.c_str())},
                              {"end_timestamp", OptionalString("End Timestamp", end_help.c_str())}},
                             {"repo_path"}),
                       kReads));
  tools.push_back(Tool("git_create_branch", "Git Create Branch", "Creates a new branch from an optional base branch",
                       Model("GitCreateBranch",
                             {{"repo_path", RepoPath()},
                              {"branch_name", String("Branch Name")},
                              {"base_branch", OptionalString("Base Branch")}},
                             {"repo_path", "branch_name"}),
                       Hints{false, false, false}));
  tools.push_back(Tool("git_checkout", "Git Checkout", "Switches branches",
                       Model("GitCheckout", {{"repo_path", RepoPath()}, {"branch_name", String("Branch Name")}},
                             {"repo_path", "branch_name"}),
                       Hints{false, false, false}));
  tools.push_back(Tool("git_show", "Git Show", "Shows the contents of a commit",
                       Model("GitShow", {{"repo_path", RepoPath()}, {"revision", String("Revision")}},
                             {"repo_path", "revision"}),
                       kReads));
  tools.push_back(Tool(
      "git_branch", "Git Branch", "List Git branches",
      Model("GitBranch",
            {{"repo_path", RepoPath("The path to the Git repository.")},
             {"branch_type",
              String("Branch Type",
                     "Whether to list local branches ('local'), remote branches ('remote') or all branches('all').")},
             {"contains", OptionalString("Contains", "The commit sha that branch should contain. Do not pass anything "
                                                     "to this param if no commit sha is specified")},
             {"not_contains",
              OptionalString("Not Contains", "The commit sha that branch should NOT contain. Do not pass anything to "
                                             "this param if no commit sha is specified")}},
            {"repo_path", "branch_type"}),
      kReads));
  return tools;
}

}  // namespace mcpgw::git
