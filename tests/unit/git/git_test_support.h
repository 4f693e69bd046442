// Fixtures for the git plugin's tests: fresh temporary directories, the git
// command line (to build repositories and to check what the plugin did, the
// way a person would), and the tools bound to a root.
#pragma once

#include "support/temp_dir.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "git_tools.h"

extern char** environ;

namespace mcpgw::git::testing {

using nlohmann::json;

using TempDirectory = mcpgw::testing::TempDir;

struct Output {
  int status;
  std::string out;
};

// Runs `git -C dir args...` with a fixed identity and no user or system
// config, returning its exit status and standard output.
inline Output RunGit(const std::string& dir, const std::vector<std::string>& args,
                     const std::vector<std::string>& extra_env = {}) {
  std::vector<std::string> argv{"git", "-C", dir, "-c", "user.name=Fixture", "-c", "user.email=fixture@example.com"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<std::string> env{"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "HOME=/nonexistent",
                               "LC_ALL=C", "PATH=/usr/bin:/bin", "TZ=UTC"};
  env.insert(env.end(), extra_env.begin(), extra_env.end());
  std::vector<char*> cargv, cenv;
  for (std::string& a : argv) cargv.push_back(a.data());
  for (std::string& e : env) cenv.push_back(e.data());
  cargv.push_back(nullptr);
  cenv.push_back(nullptr);
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
  pid_t pid = 0;
  const int rc = ::posix_spawnp(&pid, "git", &actions, nullptr, cargv.data(), cenv.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  if (rc != 0) throw std::runtime_error("cannot run git");
  std::string out;
  char buffer[4096];
  for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;) out.append(buffer, static_cast<size_t>(n));
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return Output{WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// git's output, failing the test's setup when git fails.
inline std::string Git(const std::string& dir, const std::vector<std::string>& args,
                       const std::vector<std::string>& extra_env = {}) {
  Output result = RunGit(dir, args, extra_env);
  if (result.status != 0) {
    std::string command;
    for (const std::string& a : args) command += " " + a;
    throw std::runtime_error("git" + command + " failed in " + dir);
  }
  return result.out;
}

// git's output without its final newline, as GitPython returns it.
inline std::string GitText(const std::string& dir, const std::vector<std::string>& args) {
  std::string out = Git(dir, args);
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

inline void WriteFile(const std::string& path, const std::string& content) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A root directory holding `repo` (a repository with branch main), and the
// tools confined to that root.
class RepoFixture {
 public:
  explicit RepoFixture(GitOptions options = {}) : repo(root.path() + "/repo") {
    std::filesystem::create_directories(repo);
    Git(repo, {"init", "-q", "-b", "main"});
    if (options.roots.empty()) options.roots = {root.path()};
    tools = std::make_unique<GitTools>(std::move(options));
  }

  // Writes, stages and commits `file` with `content` at a fixed date.
  void Commit(const std::string& file, const std::string& content, const std::string& message,
              const std::string& date = "2024-01-15T14:30:25+02:00") {
    WriteFile(repo + "/" + file, content);
    Git(repo, {"add", "--", file});
    Git(repo, {"commit", "-q", "-m", message}, {"GIT_AUTHOR_DATE=" + date, "GIT_COMMITTER_DATE=" + date});
  }

  json Call(const std::string& tool, json arguments, const Caller& caller = {"alice", "tenant-a"}) const {
    if (!arguments.contains("repo_path")) arguments["repo_path"] = repo;
    return *tools->Call(tool, caller, arguments);
  }

  // The text of a successful call (an error result fails the expectation by returning its text marked).
  std::string Text(const std::string& tool, json arguments = json::object()) const {
    const json result = Call(tool, std::move(arguments));
    const std::string text = result.at("content").at(0).at("text");
    return result.value("isError", false) ? "ERROR: " + text : text;
  }

  // The text of a refused call ("NOT REFUSED: ..." when it succeeded).
  std::string Refusal(const std::string& tool, json arguments) const {
    const json result = Call(tool, std::move(arguments));
    const std::string text = result.at("content").at(0).at("text");
    return result.value("isError", false) ? text : "NOT REFUSED: " + text;
  }

  TempDirectory root;
  std::string repo;
  std::unique_ptr<GitTools> tools;
};

}  // namespace mcpgw::git::testing
