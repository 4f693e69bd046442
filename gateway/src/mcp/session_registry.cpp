#include "mcp/session_registry.h"

#include "metrics/metrics.h"

namespace mcpgw::mcp {

SessionRegistry::SessionRegistry(std::shared_ptr<const session::SessionIdCodec> codec, std::string audience,
                                 metrics::Metrics* metrics)
    : codec_(std::move(codec)), audience_(std::move(audience)), metrics_(metrics), lifetime_(codec_->lifetime()) {}

std::shared_ptr<Session> SessionRegistry::Create(const std::string& protocol_version, uint8_t client_capabilities,
                                                 const Principal& principal) {
  session::SessionClaims claims{protocol_version, client_capabilities,
                                std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now())};
  auto session = std::make_shared<Session>(codec_->Mint(claims, audience_, principal), claims);
  session->set_owner(principal);
  std::lock_guard lock(mu_);
  sessions_[session->id()] = session;
  if (metrics_ != nullptr) metrics_->sessions_open().Increment();
  return session;
}

SessionRegistry::Lookup SessionRegistry::Find(std::string_view id, const Principal& principal) {
  Lookup out;
  {
    std::lock_guard lock(mu_);
    auto it = sessions_.find(std::string(id));
    if (it != sessions_.end() && it->second->OwnedBy(principal) &&
        std::chrono::system_clock::now() < it->second->claims().issued_at + lifetime_) {
      it->second->Touch();
      out.check = session::SessionIdCheck::kValid;
      out.session = it->second;
      return out;
    }
  }
  session::SessionClaims claims;
  out.check = codec_->Verify(id, audience_, principal, &claims);
  if (out.check != session::SessionIdCheck::kValid) return out;
  const std::string key(id);
  std::lock_guard lock(mu_);
  if (ended_.count(key) > 0) {
    out.ended = true;
    return out;
  }
  auto& slot = sessions_[key];
  if (!slot) {
    // Minted by another replica, or evicted here: rebuild from the claims.
    slot = std::make_shared<Session>(key, claims);
    slot->set_owner(principal);
    if (metrics_ != nullptr) metrics_->sessions_open().Increment();
  }
  slot->Touch();
  out.session = slot;
  return out;
}

bool SessionRegistry::End(std::string_view id, const Principal& principal) {
  Lookup found = Find(id, principal);
  if (!found.session) return false;
  std::lock_guard lock(mu_);
  const std::string key(id);
  ended_[key] = found.session->claims().issued_at + lifetime_;
  if (sessions_.erase(key) > 0 && metrics_ != nullptr) metrics_->sessions_open().Decrement();
  return true;
}

std::vector<std::shared_ptr<Session>> SessionRegistry::All() const {
  std::lock_guard lock(mu_);
  std::vector<std::shared_ptr<Session>> out;
  out.reserve(sessions_.size());
  for (const auto& [id, s] : sessions_) out.push_back(s);
  return out;
}

std::vector<std::shared_ptr<Session>> SessionRegistry::EndAll(SessionRegistry* successor) {
  std::vector<std::shared_ptr<Session>> ended;
  std::unordered_map<std::string, std::chrono::system_clock::time_point> ids;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, s] : sessions_) {
      ended_[id] = s->claims().issued_at + lifetime_;
      ended.push_back(s);
      if (metrics_ != nullptr) metrics_->sessions_open().Decrement();
    }
    sessions_.clear();
    if (successor != nullptr) ids = ended_;
  }
  if (successor != nullptr && successor != this) {
    std::lock_guard lock(successor->mu_);
    for (auto& [id, expires] : ids) {
      if (successor->sessions_.erase(id) > 0 && successor->metrics_ != nullptr) {
        successor->metrics_->sessions_open().Decrement();
      }
      successor->ended_.insert_or_assign(id, expires);
    }
  }
  return ended;
}

void SessionRegistry::Sweep(std::chrono::steady_clock::duration idle) {
  const auto now = std::chrono::steady_clock::now();
  const auto wall = std::chrono::system_clock::now();
  std::lock_guard lock(mu_);
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (now - it->second->last_used() > idle) {
      it = sessions_.erase(it);
      if (metrics_ != nullptr) metrics_->sessions_open().Decrement();
    } else {
      ++it;
    }
  }
  std::erase_if(ended_, [&](const auto& kv) { return kv.second <= wall; });
}

std::size_t SessionRegistry::size() const {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

}  // namespace mcpgw::mcp
