#include "support/redis_server.h"

#include "support/exec_argv.h"
#include "support/test_ca.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>
#include <thread>

namespace mcpgw::testing {
namespace {

using Clock = std::chrono::steady_clock;

// A port nobody listens on right now (the kernel's pick for port 0).
uint16_t FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  uint16_t port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

// Sends PING on a fresh plain connection; true when Redis answers it (PONG,
// or NOAUTH when a password is required) rather than LOADING or nothing.
bool AnswersPing(uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  bool ok = false;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::send(fd, "PING\r\n", 6, MSG_NOSIGNAL) == 6) {
    pollfd p{fd, POLLIN, 0};
    char buf[128];
    if (::poll(&p, 1, 500) == 1) {
      const ssize_t n = ::recv(fd, buf, sizeof buf - 1, 0);
      if (n > 0) {
        const std::string reply(buf, static_cast<std::size_t>(n));
        ok = reply.starts_with("+PONG") || reply.starts_with("-NOAUTH");
      }
    }
  }
  ::close(fd);
  return ok;
}

pid_t Spawn(std::vector<std::string> args, int stdout_fd, int stderr_fd) {
  std::vector<char*> argv = ExecArgv(args);
  const pid_t pid = ::fork();
  if (pid == 0) {
    // The server must not outlive a test binary that crashes.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    const int devnull = ::open("/dev/null", O_RDWR);
    ::dup2(devnull, STDIN_FILENO);
    ::dup2(stdout_fd >= 0 ? stdout_fd : devnull, STDOUT_FILENO);
    ::dup2(stderr_fd >= 0 ? stderr_fd : devnull, STDERR_FILENO);
    ::execvp(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

}  // namespace

RedisServer::RedisServer(RedisServerOptions options) : options_(std::move(options)) {
  log_path_ = dir_.path() + "/redis.log";
  if (options_.unix_socket) unix_path_ = dir_.path() + "/redis.sock";
  if (options_.tls) {
    ca_ = std::make_unique<TestCa>(dir_.path(), "redis-test-ca");
    ca_file_ = ca_->cert_file();
    const auto server = ca_->Issue("redis-server", "localhost", 2, CertificateUse::kServer);
    server_cert_file_ = server.cert_file;
    server_key_file_ = server.key_file;
    const auto client = ca_->Issue("redis-client", "gateway", 3, CertificateUse::kClient);
    client_cert_file_ = client.cert_file;
    client_key_file_ = client.key_file;
  }
}

RedisServer::~RedisServer() { Kill(); }

bool RedisServer::Start(std::chrono::milliseconds timeout) {
  // Another test may take the port between our probe and Redis's bind: try
  // again with fresh ports.
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = FreePort();
    tls_port_ = options_.tls ? FreePort() : 0;
    // The bus is at port + 10000 unless named: a random port may be too high.
    cluster_port_ = options_.cluster ? FreePort() : 0;
    if (port_ == 0 || (options_.tls && (tls_port_ == 0 || tls_port_ == port_))) continue;
    if (options_.cluster && (cluster_port_ == 0 || cluster_port_ == port_ || cluster_port_ == tls_port_)) continue;
    if (Launch(timeout)) return true;
    if (Log().find("Address already in use") == std::string::npos) return false;
  }
  return false;
}

bool RedisServer::Restart(std::chrono::milliseconds timeout) {
  if (running()) Stop();
  return Launch(timeout);
}

bool RedisServer::Launch(std::chrono::milliseconds timeout) {
  std::vector<std::string> args{"redis-server", "--port", std::to_string(port_), "--bind", "127.0.0.1",
                                "--save", "", "--dir", dir_.path(), "--logfile", log_path_,
                                "--daemonize", "no", "--protected-mode", "no"};
  args.insert(args.end(), {"--appendonly", options_.appendonly ? "yes" : "no"});
  if (options_.appendonly) args.insert(args.end(), {"--appendfsync", "always"});
  if (!options_.password.empty()) args.insert(args.end(), {"--requirepass", options_.password});
  if (!options_.acl_user.empty()) {
    // One argument per ACL rule: Redis joins the words that follow --user.
    args.insert(args.end(), {"--user", options_.acl_user, "on", ">" + options_.acl_password, "~*", "&*", "+@all"});
    if (options_.default_user_off) args.insert(args.end(), {"--user", "default", "off"});
  }
  if (options_.unix_socket) args.insert(args.end(), {"--unixsocket", unix_path_, "--unixsocketperm", "700"});
  if (options_.tls) {
    args.insert(args.end(), {"--tls-port", std::to_string(tls_port_), "--tls-cert-file", server_cert_file_,
                             "--tls-key-file", server_key_file_, "--tls-ca-cert-file", ca_file_,
                             "--tls-auth-clients", options_.tls_client_certs ? "yes" : "no"});
  }
  if (options_.cluster) {
    args.insert(args.end(), {"--cluster-enabled", "yes", "--cluster-port", std::to_string(cluster_port_),
                             "--cluster-config-file", dir_.path() + "/nodes.conf"});
  }
  args.insert(args.end(), options_.extra_args.begin(), options_.extra_args.end());

  // Start-up errors (a bad option) go to stderr before the log file is open.
  const int log_fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  pid_ = Spawn(std::move(args), log_fd, log_fd);
  if (log_fd >= 0) ::close(log_fd);
  if (pid_ <= 0) return false;
  if (WaitReady(timeout)) return true;
  Kill();
  return false;
}

bool RedisServer::WaitReady(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (AnswersPing(port_)) return true;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

void RedisServer::Reap() {
  if (pid_ <= 0) return;
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
}

void RedisServer::Stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGCONT);  // a paused server cannot shut down
  ::kill(pid_, SIGTERM);
  Reap();
}

void RedisServer::Kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  Reap();
}

void RedisServer::Pause() {
  if (pid_ > 0) ::kill(pid_, SIGSTOP);
}

void RedisServer::Resume() {
  if (pid_ > 0) ::kill(pid_, SIGCONT);
}

std::string RedisServer::url(int db) const {
  return "redis://127.0.0.1:" + std::to_string(port_) + "/" + std::to_string(db);
}

std::string RedisServer::tls_url(int db) const {
  return "rediss://localhost:" + std::to_string(tls_port_) + "/" + std::to_string(db);
}

std::string RedisServer::unix_url(int db) const { return "unix://" + unix_path_ + "?db=" + std::to_string(db); }

std::string RedisServer::Cli(const std::vector<std::string>& args) const {
  std::vector<std::string> argv{"redis-cli", "-h", "127.0.0.1", "-p", std::to_string(port_), "--no-auth-warning"};
  if (!options_.acl_user.empty()) {
    argv.insert(argv.end(), {"--user", options_.acl_user, "--pass", options_.acl_password});
  } else if (!options_.password.empty()) {
    argv.insert(argv.end(), {"-a", options_.password});
  }
  argv.insert(argv.end(), args.begin(), args.end());
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return "";
  const pid_t pid = Spawn(std::move(argv), out[1], -1);
  ::close(out[1]);
  std::string text;
  char buf[4096];
  for (ssize_t n; (n = ::read(out[0], buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  ::close(out[0]);
  int status = 0;
  while (pid > 0 && ::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

std::string RedisServer::Log() const {
  std::ifstream in(log_path_);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace mcpgw::testing
