#include "transport/http/session_streams.h"

#include "jsonrpc/message.h"

namespace mcpgw::http {
namespace {

constexpr std::size_t kMaxFinishedStreams = 32;

}  // namespace

SessionStreams::SessionStreams(std::size_t buffer_limit, uint32_t retry_ms, bool priming)
    : buffer_limit_(buffer_limit), retry_ms_(retry_ms), priming_(priming) {
  streams_[0];  // the standalone stream always exists
}

uint64_t SessionStreams::Open(const std::shared_ptr<Exchange>& sink) {
  std::lock_guard lock(mu_);
  const uint64_t id = next_stream_++;
  Stream& s = streams_[id];
  s.sinks.push_back(sink);
  if (priming_) sink->Write(SsePriming(EventId(id, 0), retry_ms_));
  Trim();
  return id;
}

void SessionStreams::Append(uint64_t stream, const std::string& data, bool final) {
  std::lock_guard lock(mu_);
  auto it = streams_.find(stream);
  if (it == streams_.end()) return;
  Stream& s = it->second;
  const uint64_t seq = s.next_sequence++;
  std::string event = SseEvent(EventId(stream, seq), data);
  // Stream 0 sends each message on one connection only: the newest live one.
  std::erase_if(s.sinks, [](const auto& sink) { return sink->client_gone(); });
  if (stream == 0) {
    if (!s.sinks.empty()) s.sinks.back()->Write(event);
  } else {
    for (const auto& sink : s.sinks) sink->Write(event);
  }
  s.events.emplace_back(seq, std::move(event));
  while (s.events.size() > buffer_limit_) s.events.pop_front();
  if (final) {
    s.finished = true;
    for (const auto& sink : s.sinks) sink->End();
    s.sinks.clear();
  }
}

void SessionStreams::Detach(uint64_t stream) {
  std::lock_guard lock(mu_);
  auto it = streams_.find(stream);
  if (it == streams_.end()) return;
  for (const auto& sink : it->second.sinks) sink->End();
  it->second.sinks.clear();
}

bool SessionStreams::Resume(const EventPosition& position, const std::shared_ptr<Exchange>& sink) {
  std::lock_guard lock(mu_);
  auto it = streams_.find(position.stream);
  if (it == streams_.end()) return false;
  Stream& s = it->second;
  for (const auto& [seq, event] : s.events) {
    if (seq > position.sequence) sink->Write(event);
  }
  if (s.finished) {
    sink->End();
  } else {
    s.sinks.push_back(sink);
  }
  return true;
}

void SessionStreams::AttachStandalone(const std::shared_ptr<Exchange>& sink) {
  std::lock_guard lock(mu_);
  Stream& s = streams_[0];
  if (priming_) sink->Write(SsePriming(EventId(0, s.next_sequence - 1), retry_ms_));
  s.sinks.push_back(sink);
}

void SessionStreams::Close() {
  std::lock_guard lock(mu_);
  for (auto& [id, s] : streams_) {
    for (const auto& sink : s.sinks) sink->End();
    s.sinks.clear();
  }
}

void SessionStreams::Send(const nlohmann::json& message) { Append(0, jsonrpc::Serialize(message), false); }

void SessionStreams::Trim() {
  std::size_t finished = 0;
  for (const auto& [id, s] : streams_) finished += s.finished ? 1 : 0;
  for (auto it = streams_.begin(); it != streams_.end() && finished > kMaxFinishedStreams;) {
    if (it->first != 0 && it->second.finished) {
      it = streams_.erase(it);
      --finished;
    } else {
      ++it;
    }
  }
}

}  // namespace mcpgw::http
