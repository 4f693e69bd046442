// Server-Sent Events framing (WHATWG HTML, "Server-sent events").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mcpgw::http {

// One `message` event; `data` must not contain a newline (compact JSON
// never does). An empty `id` omits the id line.
std::string SseEvent(std::string_view id, std::string_view data);

// A priming event: an id and a retry hint with empty data, so a client that
// loses the stream can resume after it (SEP-1699).
std::string SsePriming(std::string_view id, uint32_t retry_ms);

// A comment line that keeps intermediaries from timing the stream out.
std::string SseKeepAlive();

// Event ids of session-era streams: "<stream>-<sequence>".
std::string EventId(uint64_t stream, uint64_t sequence);
struct EventPosition {
  uint64_t stream;
  uint64_t sequence;
};
std::optional<EventPosition> ParseEventId(std::string_view id);

}  // namespace mcpgw::http
