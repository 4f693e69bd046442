#include "log/log.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <ctime>

namespace mcpgw::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::kInfo)};

const char* Name(Level level) {
  switch (level) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarning: return "warning";
    case Level::kError: return "error";
  }
  return "info";
}


}  // namespace

std::string Timestamp() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t secs = std::chrono::system_clock::to_time_t(now);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  // The date and time change once a second: format them once per second and thread.
  thread_local std::time_t formatted_secs = -1;
  thread_local char prefix[32];
  thread_local std::size_t prefix_size = 0;
  if (secs != formatted_secs) {
    std::tm tm{};
    gmtime_r(&secs, &tm);
    prefix_size = std::strftime(prefix, sizeof prefix, "%Y-%m-%dT%H:%M:%S", &tm);
    formatted_secs = secs;
  }
  std::string out(prefix, prefix_size);
  const int ms = static_cast<int>(millis);
  out += '.';
  out += static_cast<char>('0' + ms / 100);
  out += static_cast<char>('0' + ms / 10 % 10);
  out += static_cast<char>('0' + ms % 10);
  out += 'Z';
  return out;
}

void SetLevel(Level level) { g_level.store(static_cast<int>(level)); }

bool Enabled(Level level) { return static_cast<int>(level) >= g_level.load(std::memory_order_relaxed); }

bool ParseLevel(std::string_view text, Level* out) {
  for (Level l : {Level::kDebug, Level::kInfo, Level::kWarning, Level::kError}) {
    if (text == Name(l)) {
      *out = l;
      return true;
    }
  }
  return false;
}

void Write(Level level, std::string_view event, nlohmann::json fields) {
  if (!Enabled(level)) return;
  nlohmann::json line{{"ts", Timestamp()}, {"level", Name(level)}, {"event", event}};
  if (fields.is_object()) line.update(fields);
  // One write(2) per line keeps lines whole when threads log at once.
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text += '\n';
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t n = ::write(STDERR_FILENO, p, left);
    if (n <= 0) return;
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

}  // namespace mcpgw::log
