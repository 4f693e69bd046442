#include "audit/audit.h"

#include "log/log.h"
#include "os/unique_fd.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <thread>

namespace mcpgw::audit {
namespace {

constexpr auto kFlushEvery = std::chrono::milliseconds(100);
constexpr std::size_t kFlushAt = 64 * 1024;


void WriteAll(int fd, const std::string& text) {
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

class Sink {
 public:
  Sink() : flusher_([this] { Run(); }) {}
  ~Sink() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    wake_.notify_one();
    flusher_.join();
    Flush();
  }

  std::string Open(const std::string& file) {
    int fd = STDERR_FILENO;
    os::UniqueFd opened;
    if (!file.empty()) {
      opened.Reset(::open(file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600));
      if (!opened.valid()) return "cannot open the audit log " + file + ": " + std::strerror(errno);
      fd = opened.get();
    }
    Flush();
    std::lock_guard lock(write_mu_);
    file_ = std::move(opened);
    fd_ = fd;
    return "";
  }

  void Append(std::string line) {
    bool full;
    {
      std::lock_guard lock(mu_);
      pending_ += line;
      full = pending_.size() >= kFlushAt;
    }
    if (full) wake_.notify_one();
  }

  void Flush() {
    std::string out;
    {
      std::lock_guard lock(mu_);
      out.swap(pending_);
    }
    if (out.empty()) return;
    std::lock_guard lock(write_mu_);  // keeps batches in order
    WriteAll(fd_, out);
  }

 private:
  void Run() {
    std::unique_lock lock(mu_);
    while (!stopping_) {
      wake_.wait_for(lock, kFlushEvery);
      lock.unlock();
      Flush();
      lock.lock();
    }
  }

  std::mutex mu_;
  std::condition_variable wake_;
  std::string pending_;
  bool stopping_ = false;
  std::mutex write_mu_;
  os::UniqueFd file_;
  int fd_ = STDERR_FILENO;
  std::thread flusher_;
};

Sink& TheSink() {
  static Sink sink;
  return sink;
}

}  // namespace

std::string Open(const std::string& file) { return TheSink().Open(file); }

void Record(std::string_view event, nlohmann::json fields) {
  nlohmann::json line{{"ts", log::Timestamp()}, {"log", "audit"}, {"event", event}};
  if (fields.is_object()) line.update(fields);
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text += '\n';
  TheSink().Append(std::move(text));
}

namespace {

// Appends `text` as a JSON string. The fields written this way are already
// valid UTF-8 (configuration, plugin tool lists, verified token claims); only
// quotes, backslashes and control characters need escaping.
void AppendJsonString(std::string* out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(c);
    } else if (u < 0x20) {
      out->append("\\u00");
      out->push_back(kHex[u >> 4]);
      out->push_back(kHex[u & 15]);
    } else {
      out->push_back(c);
    }
  }
  out->push_back('"');
}

void AppendField(std::string* out, std::string_view key, std::string_view value) {
  out->append(",\"");
  out->append(key);
  out->append("\":");
  AppendJsonString(out, value);
}

}  // namespace

void ToolCall(std::string_view route, std::string_view tool, std::string_view subject, std::string_view tenant,
              std::string_view credential_id, std::string_view outcome, double duration_ms) {
  std::string line;
  line.reserve(256);
  line.append("{\"ts\":\"");
  line.append(log::Timestamp());
  line.append("\",\"log\":\"audit\",\"event\":\"tool_call\"");
  AppendField(&line, "route", route);
  AppendField(&line, "tool", tool);
  AppendField(&line, "subject", subject);
  AppendField(&line, "tenant", tenant);
  AppendField(&line, "credential_id", credential_id);
  AppendField(&line, "outcome", outcome);
  char duration[32];  // as %.3f prints it, without printf's locale and parsing
  const auto written = std::to_chars(duration, duration + sizeof duration, duration_ms, std::chars_format::fixed, 3);
  line.append(",\"duration_ms\":");
  if (written.ec == std::errc()) {
    line.append(duration, written.ptr);
  } else {
    line.append("null");  // longer than any duration this process can measure
  }
  line.append("}\n");
  TheSink().Append(std::move(line));
}

void Flush() { TheSink().Flush(); }

}  // namespace mcpgw::audit
