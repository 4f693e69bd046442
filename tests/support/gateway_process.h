// Runs the real mcp-gateway binary for a test: writes its config to a fresh
// temporary directory, starts it on random loopback ports, waits until it
// logs that it listens, and captures its log for assertions.
#pragma once

#include "support/temp_dir.h"

#include <nlohmann/json.hpp>

#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace mcpgw::testing {

struct ProcessResult {
  int exit_code = -1;  // -1: killed by a signal or still running
  int signal = 0;
  std::string stderr_text;
  std::string stdout_text;
};

class GatewayProcess {
 public:
  // `config_yaml` may use ${DATA_DIR} and ${PLUGIN_DIR}; listen addresses
  // default to 127.0.0.1:0 (random) unless the YAML sets them.
  explicit GatewayProcess(std::string config_yaml, std::vector<std::string> extra_args = {});
  ~GatewayProcess();
  GatewayProcess(const GatewayProcess&) = delete;
  GatewayProcess& operator=(const GatewayProcess&) = delete;

  // What Start waits for: the "listening" log line only, or also /readyz
  // answering 200 (when the metrics listener is on).
  enum class WaitFor { kListening, kReady };

  // Starts and waits for `wait_for`. Returns false (and the log stays
  // readable) if the process exits or does not get there in time.
  bool Start(std::chrono::milliseconds timeout = std::chrono::seconds(20), WaitFor wait_for = WaitFor::kReady);
  // Polls /readyz until it answers 200 or `timeout` passes.
  bool WaitUntilReady(std::chrono::milliseconds timeout) const;

  // Sends `signo` and waits for the exit.
  ProcessResult Stop(int signo = SIGTERM, std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // Waits for the process to exit on its own.
  ProcessResult Wait(std::chrono::milliseconds timeout);

  uint16_t port() const { return port_; }
  uint16_t metrics_port() const { return metrics_port_; }
  uint16_t admin_port() const { return admin_port_; }  // 0 when the admin API is off
  pid_t pid() const { return pid_; }
  const std::string& data_dir() const { return data_dir_; }
  const std::string& config_path() const { return config_path_; }

  // Everything the process wrote to stderr so far.
  std::string Log() const;
  // The log as parsed JSON lines (lines that are not JSON are skipped).
  std::vector<nlohmann::json> LogEvents() const;
  // Waits until a log line contains `needle`.
  bool WaitForLog(const std::string& needle, std::chrono::milliseconds timeout) const;

 private:
  void ReadStderr(int fd);

  TempDir dir_;
  std::string data_dir_, config_path_;
  std::vector<std::string> extra_args_;
  pid_t pid_ = -1;
  uint16_t port_ = 0, metrics_port_ = 0, admin_port_ = 0;
  mutable std::mutex mu_;
  std::string log_;
  std::thread reader_;
  bool exited_ = false;
  ProcessResult result_;
};

// Where the build put the gateway binary and the plugins.
std::string GatewayBinary();
std::string PluginDir();

// Runs the binary with `args` to completion (for CLI and start-up checks).
ProcessResult RunGateway(const std::vector<std::string>& args, const std::string& stdin_text = "",
                         std::chrono::milliseconds timeout = std::chrono::seconds(30));
// Runs `argv` (argv[0] an absolute path) the same way.
ProcessResult RunProgram(const std::vector<std::string>& argv, const std::string& stdin_text = "",
                         std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace mcpgw::testing
