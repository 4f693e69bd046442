#include "support/gateway_process.h"

#include "support/exec_argv.h"
#include "support/http_client.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace mcpgw::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

void ReplaceAll(std::string& s, const std::string& from, const std::string& to) {
  for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) s.replace(pos, from.size(), to);
}

uint16_t PortOf(const std::string& endpoint) {
  const auto colon = endpoint.rfind(':');
  return colon == std::string::npos ? 0 : static_cast<uint16_t>(std::stoi(endpoint.substr(colon + 1)));
}

// Reaps `pid` within `timeout`; fills *result. False if still running.
bool Reap(pid_t pid, std::chrono::milliseconds timeout, ProcessResult* result) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) {
      if (WIFEXITED(status)) result->exit_code = WEXITSTATUS(status);
      if (WIFSIGNALED(status)) result->signal = WTERMSIG(status);
      return true;
    }
    if (r < 0 || Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace

std::string GatewayBinary() { return MCPGW_TEST_BINARY; }
std::string PluginDir() { return MCPGW_TEST_PLUGIN_DIR; }

GatewayProcess::GatewayProcess(std::string config_yaml, std::vector<std::string> extra_args)
    : extra_args_(std::move(extra_args)) {
  data_dir_ = dir_.path() + "/data";
  config_path_ = dir_.path() + "/gateway.yaml";
  ReplaceAll(config_yaml, "${DATA_DIR}", data_dir_);
  ReplaceAll(config_yaml, "${PLUGIN_DIR}", PluginDir());
  std::ofstream(config_path_) << config_yaml;
}

GatewayProcess::~GatewayProcess() {
  if (pid_ > 0 && !exited_) {
    ::kill(pid_, SIGKILL);
    Reap(pid_, std::chrono::seconds(10), &result_);
  }
  if (reader_.joinable()) reader_.join();
}

bool GatewayProcess::Start(std::chrono::milliseconds timeout, WaitFor wait_for) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return false;
  std::vector<std::string> args{GatewayBinary(), "serve", "-c", config_path_};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  std::vector<char*> argv = ExecArgv(args);
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(pipe_fds[1], STDERR_FILENO);
    const int devnull = ::open("/dev/null", O_RDWR);
    ::dup2(devnull, STDOUT_FILENO);
    ::dup2(devnull, STDIN_FILENO);
    ::execv(argv[0], argv.data());
    _exit(127);
  }
  ::close(pipe_fds[1]);
  reader_ = std::thread([this, fd = pipe_fds[0]] { ReadStderr(fd); });

  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    for (const auto& e : LogEvents()) {
      if (e.value("event", "") == "listening") {
        port_ = PortOf(e.value("mcp", ""));
        metrics_port_ = PortOf(e.value("metrics", ""));
        admin_port_ = PortOf(e.value("admin", ""));
        if (port_ == 0) return false;
        if (wait_for == WaitFor::kListening || metrics_port_ == 0) return true;
        return WaitUntilReady(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
      }
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      exited_ = true;
      result_.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

bool GatewayProcess::WaitUntilReady(std::chrono::milliseconds timeout) const {
  const auto deadline = Clock::now() + timeout;
  do {
    if (Request(metrics_port_, "GET", "/readyz", "", {}, std::chrono::seconds(2)).status == 200) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  } while (Clock::now() < deadline);
  return false;
}

void GatewayProcess::ReadStderr(int fd) {
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    std::lock_guard lock(mu_);
    log_.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
}

ProcessResult GatewayProcess::Wait(std::chrono::milliseconds timeout) {
  if (!exited_ && pid_ > 0 && Reap(pid_, timeout, &result_)) exited_ = true;
  if (exited_ && reader_.joinable()) reader_.join();
  result_.stderr_text = Log();
  return result_;
}

ProcessResult GatewayProcess::Stop(int signo, std::chrono::milliseconds timeout) {
  if (!exited_ && pid_ > 0) ::kill(pid_, signo);
  return Wait(timeout);
}

std::string GatewayProcess::Log() const {
  std::lock_guard lock(mu_);
  return log_;
}

std::vector<nlohmann::json> GatewayProcess::LogEvents() const {
  std::vector<nlohmann::json> events;
  std::istringstream lines(Log());
  std::string line;
  while (std::getline(lines, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_discarded() && j.is_object()) events.push_back(std::move(j));
  }
  return events;
}

bool GatewayProcess::WaitForLog(const std::string& needle, std::chrono::milliseconds timeout) const {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (Log().find(needle) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

ProcessResult RunGateway(const std::vector<std::string>& args, const std::string& stdin_text,
                         std::chrono::milliseconds timeout) {
  std::vector<std::string> argv{GatewayBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProgram(argv, stdin_text, timeout);
}

ProcessResult RunProgram(const std::vector<std::string>& args, const std::string& stdin_text,
                         std::chrono::milliseconds timeout) {
  std::vector<std::string> argv_s = args;  // ExecArgv points into it
  int in[2], err[2], out[2];
  if (::pipe2(in, O_CLOEXEC) || ::pipe2(err, O_CLOEXEC) || ::pipe2(out, O_CLOEXEC)) return {};
  std::vector<char*> argv = ExecArgv(argv_s);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(in[0], STDIN_FILENO);
    ::dup2(out[1], STDOUT_FILENO);
    ::dup2(err[1], STDERR_FILENO);
    ::execv(argv[0], argv.data());
    _exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  std::thread writer([fd = in[1], stdin_text] {
    std::size_t off = 0;
    while (off < stdin_text.size()) {
      const ssize_t n = ::write(fd, stdin_text.data() + off, stdin_text.size() - off);
      if (n <= 0) break;
      off += static_cast<std::size_t>(n);
    }
    ::close(fd);
  });
  ProcessResult result;
  std::string stdout_text;
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  const auto deadline = Clock::now() + timeout;
  int open = 2;
  while (open > 0 && Clock::now() < deadline) {
    if (::poll(fds, 2, 50) <= 0) continue;
    for (auto& p : fds) {
      if (p.fd < 0 || !(p.revents & (POLLIN | POLLHUP))) continue;
      char buf[4096];
      const ssize_t n = ::read(p.fd, buf, sizeof buf);
      if (n <= 0) {
        ::close(p.fd);
        p.fd = -1;
        --open;
      } else {
        (p.fd == fds[0].fd ? stdout_text : result.stderr_text).append(buf, static_cast<std::size_t>(n));
      }
    }
  }
  writer.join();
  if (!Reap(pid, std::chrono::milliseconds(100) + (deadline > Clock::now() ? std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()) : std::chrono::milliseconds(0)), &result)) {
    ::kill(pid, SIGKILL);
    Reap(pid, std::chrono::seconds(5), &result);
  }
  for (auto& p : fds) {
    if (p.fd >= 0) ::close(p.fd);
  }
  result.stdout_text = std::move(stdout_text);
  return result;
}

}  // namespace mcpgw::testing
