#include "session/session_id.h"

#include "crypto/base64.h"
#include "crypto/hmac.h"
#include "crypto/random.h"
#include "mcp/protocol_version.h"
#include "os/unique_fd.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace mcpgw::session {
namespace {

// Layout (all big-endian), then base64url:
//   [0]      format version (1)
//   [1..8]   issued at, unix seconds
//   [9]      protocol version index
//   [10]     client capability bits
//   [11..26] 128 random bits
//   [27..42] binding: SHA-256(audience \0 subject \0 tenant \0 client)[0..16)
//   [43..58] HMAC-SHA-256(key, [0..42])[0..16)
constexpr uint8_t kFormat = 1;
constexpr std::size_t kPayload = 43, kTag = 16, kTotal = kPayload + kTag;

std::string Binding(std::string_view audience, const Principal& p) {
  std::string material(audience);
  material.push_back('\0');
  material += p.subject;
  material.push_back('\0');
  material += p.tenant;
  material.push_back('\0');
  material += p.client_id;
  return crypto::Sha256(material).substr(0, 16);
}

}  // namespace

std::string_view CheckName(SessionIdCheck check) {
  switch (check) {
    case SessionIdCheck::kValid: return "valid";
    case SessionIdCheck::kMalformed: return "malformed";
    case SessionIdCheck::kForged: return "forged";
    case SessionIdCheck::kExpired: return "expired";
    case SessionIdCheck::kOtherPrincipal: return "other_principal";
  }
  return "malformed";
}

SessionIdCodec::SessionIdCodec(std::string key, std::chrono::seconds lifetime)
    : key_(std::move(key)), lifetime_(lifetime) {}

std::string SessionIdCodec::Mint(const SessionClaims& claims, std::string_view audience,
                                 const Principal& principal) const {
  std::string raw;
  raw.reserve(kTotal);
  raw.push_back(static_cast<char>(kFormat));
  const auto secs = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(claims.issued_at.time_since_epoch()).count());
  for (int shift = 56; shift >= 0; shift -= 8) raw.push_back(static_cast<char>((secs >> shift) & 0xFF));
  raw.push_back(static_cast<char>(mcp::ProtocolVersionIndex(claims.protocol_version)));
  raw.push_back(static_cast<char>(claims.client_capabilities));
  raw += crypto::RandomBytes(16);
  raw += Binding(audience, principal);
  raw += crypto::HmacSha256(key_, raw).substr(0, kTag);
  return crypto::Base64UrlEncode(raw);
}

SessionIdCheck SessionIdCodec::Verify(std::string_view id, std::string_view audience, const Principal& principal,
                                      SessionClaims* claims, std::chrono::system_clock::time_point now) const {
  if (id.size() > 128) return SessionIdCheck::kMalformed;
  const std::optional<std::string> raw = crypto::Base64UrlDecode(id);
  if (!raw || raw->size() != kTotal || static_cast<uint8_t>((*raw)[0]) != kFormat) return SessionIdCheck::kMalformed;
  const std::string_view payload(raw->data(), kPayload), tag(raw->data() + kPayload, kTag);
  if (!crypto::ConstantTimeEqual(crypto::HmacSha256(key_, payload).substr(0, kTag), tag)) {
    return SessionIdCheck::kForged;
  }
  uint64_t secs = 0;
  for (int i = 1; i <= 8; ++i) secs = (secs << 8) | static_cast<uint8_t>((*raw)[i]);
  const auto issued = std::chrono::system_clock::time_point(std::chrono::seconds(secs));
  if (now >= issued + lifetime_ || issued > now + std::chrono::minutes(5)) return SessionIdCheck::kExpired;
  const std::optional<std::string> version = mcp::ProtocolVersionAt(static_cast<uint8_t>((*raw)[9]));
  if (!version) return SessionIdCheck::kMalformed;
  if (!crypto::ConstantTimeEqual(payload.substr(27, 16), Binding(audience, principal))) {
    return SessionIdCheck::kOtherPrincipal;
  }
  if (claims != nullptr) {
    claims->protocol_version = *version;
    claims->client_capabilities = static_cast<uint8_t>((*raw)[10]);
    claims->issued_at = issued;
  }
  return SessionIdCheck::kValid;
}

std::optional<std::string> LoadOrCreateKey(const std::string& path, std::string* error) {
  namespace fs = std::filesystem;
  os::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid() && errno == ENOENT) {
    std::error_code ec;
    fs::create_directories(fs::path(path).parent_path(), ec);
    os::UniqueFd created(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (created.valid()) {
      const std::string key = crypto::RandomBytes(32);
      if (::write(created.get(), key.data(), key.size()) != static_cast<ssize_t>(key.size()) ||
          ::fsync(created.get()) != 0) {
        *error = "cannot write the session key " + path + ": " + std::strerror(errno);
        return std::nullopt;
      }
      return key;
    }
    if (errno == EEXIST) fd.Reset(::open(path.c_str(), O_RDONLY | O_CLOEXEC));  // another process won the race
  }
  if (!fd.valid()) {
    *error = "cannot open the session key " + path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  std::string key(256, '\0');
  const ssize_t n = ::read(fd.get(), key.data(), key.size());
  if (n < 32) {
    *error = "the session key " + path + " must hold at least 32 bytes";
    return std::nullopt;
  }
  key.resize(static_cast<std::size_t>(n));
  return key;
}

}  // namespace mcpgw::session
