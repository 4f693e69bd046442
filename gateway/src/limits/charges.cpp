#include "limits/charges.h"

#include "auth/scope_policy.h"
#include "crypto/hmac.h"

namespace mcpgw::limits {
namespace {

constexpr std::size_t kMaxPart = 64;

bool Plain(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '@' || c == '-';
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

std::string_view ValueOf(config::LimitDimension d, const RequestFacts& f) {
  switch (d) {
    case config::LimitDimension::kSubject: return f.subject;
    case config::LimitDimension::kClient: return f.client;
    case config::LimitDimension::kTenant: return f.tenant;
    case config::LimitDimension::kRoute: return f.route;
    case config::LimitDimension::kTool: return f.tool;
    case config::LimitDimension::kSource: return f.source;
  }
  return {};
}

}  // namespace

bool Applies(const config::LimitPolicy& policy, const RequestFacts& facts) {
  const config::LimitMatch& m = policy.match;
  if (!m.route.empty() && m.route != facts.route) return false;
  if (!m.method.empty() && m.method != facts.method) return false;
  if (!m.tool.empty() && (facts.method != "tools/call" || !auth::GlobMatch(m.tool, facts.tool))) return false;
  return true;
}

std::string KeyPart(std::string_view value) {
  if (value.empty()) return "-";
  if (value == "-") return "%2D";  // a literal "-" must not share the key of a missing value
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  for (unsigned char c : value) {
    if (Plain(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kDigits[c >> 4];
      out += kDigits[c & 15];
    }
    if (out.size() > kMaxPart) {
      // Built in place: GCC 12's -Wrestrict misfires on `"#" + std::string` at -O3.
      std::string hashed(1, '#');
      hashed += Hex(crypto::Sha256(value).substr(0, 16));
      return hashed;
    }
  }
  return out;
}

std::string KeyFor(const config::LimitPolicy& policy, const RequestFacts& facts) {
  std::string key = policy.name;
  if (policy.by.empty()) return key + ":*";
  for (config::LimitDimension d : policy.by) {
    key += ':';
    key += KeyPart(ValueOf(d, facts));
  }
  return key;
}

std::vector<Charge> ChargesFor(const std::vector<config::LimitPolicy>& policies, const RequestFacts& facts) {
  std::vector<Charge> charges;
  for (const config::LimitPolicy& p : policies) {
    if (Applies(p, facts)) charges.push_back(Charge{&p, KeyFor(p, facts)});
  }
  return charges;
}

}  // namespace mcpgw::limits
