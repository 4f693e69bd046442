// The SSE streams of one session-era session on this replica: every event a
// stream carries gets an id and is kept (bounded) so that a client which
// lost the connection, or which the server asked to poll (SEP-1699), can
// resume with GET + Last-Event-ID and receive the rest, including the final
// response of its request.
//
// Stream 0 is the standalone GET stream for server-initiated messages.
#pragma once

#include "mcp/session.h"
#include "transport/http/http_server.h"
#include "transport/http/sse.h"

#include <nlohmann/json.hpp>

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace mcpgw::http {

class SessionStreams final : public mcp::ServerChannel {
 public:
  SessionStreams(std::size_t buffer_limit, uint32_t retry_ms, bool priming);

  // Opens a stream for a POST whose answer became SSE, attached to `sink`
  // (which already sent its header). Writes the priming event.
  uint64_t Open(const std::shared_ptr<Exchange>& sink);

  // Appends `message` to `stream`: keeps it for resumption and writes it to
  // the attached connection, if any. `final` marks the request's response,
  // after which the attached connection's stream ends.
  void Append(uint64_t stream, const std::string& data, bool final);

  // Ends the attached connection's stream without ending the logical stream:
  // the client will resume with Last-Event-ID (polling).
  void Detach(uint64_t stream);

  // Attaches a GET to the stream `position` names and replays what came
  // after it. Returns false when that stream is not known here.
  bool Resume(const EventPosition& position, const std::shared_ptr<Exchange>& sink);

  // Attaches a standalone GET (stream 0).
  void AttachStandalone(const std::shared_ptr<Exchange>& sink);

  // mcp::ServerChannel: a server-initiated message on stream 0.
  void Send(const nlohmann::json& message) override;
  // mcp::ServerChannel: ends every attached connection (session deleted, or
  // its route removed by a reload).
  void Close() override;

  bool priming() const { return priming_; }

 private:
  struct Stream {
    uint64_t next_sequence = 1;
    std::deque<std::pair<uint64_t, std::string>> events;  // (sequence, SSE text)
    std::vector<std::shared_ptr<Exchange>> sinks;         // stream 0 may have several
    bool finished = false;
  };
  void Trim();

  const std::size_t buffer_limit_;
  const uint32_t retry_ms_;
  const bool priming_;
  std::mutex mu_;
  std::map<uint64_t, Stream> streams_;
  uint64_t next_stream_ = 1;
};

}  // namespace mcpgw::http
