// Runs a real redis-server for a test: on a free random loopback port, in a
// fresh temporary directory, ready (it answered PING) before Start returns.
// Stop, Kill and Restart on the same port and directory let tests cut Redis
// away under a client and bring it back (with its data when appendonly is
// on); Pause freezes it (SIGSTOP) so commands time out. Cli runs redis-cli
// against it for assertions.
//
// The server dies with the thread that started it (PR_SET_PDEATHSIG), so a
// crashed test leaves no redis-server behind: start it from the test's own
// thread, not from a short-lived helper thread.
#pragma once

#include "support/gateway_process.h"  // TempDir

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mcpgw::testing {

class TestCa;

struct RedisServerOptions {
  std::string password;       // requirepass (the default user's password)
  std::string acl_user;       // an ACL user with every permission...
  std::string acl_password;   // ...and this password
  bool default_user_off = false;  // with acl_user: only the ACL user may log in
  bool unix_socket = false;   // also listen on <dir>/redis.sock
  bool appendonly = false;    // AOF (fsync always) for restart-safety tests
  bool tls = false;           // also a TLS port, certificate from a TestCa in the server's directory
  bool tls_client_certs = false;  // with tls: require a client certificate
  bool cluster = false;       // a Redis Cluster node (owning no slots), its bus on a free port
  std::vector<std::string> extra_args;  // more redis-server options ("--name", "value", ...)
};

class RedisServer {
 public:
  explicit RedisServer(RedisServerOptions options = {});
  ~RedisServer();  // kills the server, removes its directory
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  // Starts on a free port (a fresh one per attempt if it clashes) and waits
  // until it answers PING. False, with Log() telling why, if it does not.
  bool Start(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // SIGTERM and wait for the exit (Redis writes its AOF on the way out).
  void Stop();
  // SIGKILL and reap: no shutdown work at all.
  void Kill();
  // Starts again on the SAME ports and directory (after Stop or Kill).
  bool Restart(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // SIGSTOP / SIGCONT: the server keeps its sockets but answers nothing.
  void Pause();
  void Resume();

  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  uint16_t port() const { return port_; }
  uint16_t tls_port() const { return tls_port_; }
  const std::string& dir() const { return dir_.path(); }
  const std::string& unix_path() const { return unix_path_; }
  // redis://127.0.0.1:<port>/<db>
  std::string url(int db = 0) const;
  // rediss://localhost:<tls_port>/<db> (the certificate names localhost and 127.0.0.1)
  std::string tls_url(int db = 0) const;
  // unix://<dir>/redis.sock?db=<db>
  std::string unix_url(int db = 0) const;

  // TLS material (with options.tls): the CA that signed the server
  // certificate, and a client certificate it issued.
  const std::string& ca_file() const { return ca_file_; }
  const std::string& client_cert_file() const { return client_cert_file_; }
  const std::string& client_key_file() const { return client_key_file_; }

  // Runs `redis-cli -p <port> [auth] args...` on the plain port and returns
  // its standard output without the trailing newline ("" when it fails).
  std::string Cli(const std::vector<std::string>& args) const;
  template <typename... Args>
  std::string Cli(const std::string& first, const Args&... rest) const {
    return Cli(std::vector<std::string>{first, std::string(rest)...});
  }

  // The server's log file so far.
  std::string Log() const;

 private:
  bool Launch(std::chrono::milliseconds timeout);
  bool WaitReady(std::chrono::milliseconds timeout);
  void Reap();

  RedisServerOptions options_;
  TempDir dir_;
  std::unique_ptr<TestCa> ca_;
  std::string unix_path_, log_path_, ca_file_, client_cert_file_, client_key_file_;
  std::string server_cert_file_, server_key_file_;
  pid_t pid_ = -1;
  uint16_t cluster_port_ = 0;
  uint16_t port_ = 0, tls_port_ = 0;
};

}  // namespace mcpgw::testing
