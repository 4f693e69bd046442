#include "auth/scope_policy.h"

#include <algorithm>
#include <set>

namespace mcpgw::auth {
namespace {

std::size_t LiteralCount(const std::string& pattern) {
  return static_cast<std::size_t>(std::count_if(pattern.begin(), pattern.end(), [](char c) { return c != '*'; }));
}

void AppendUnique(std::vector<std::string>* out, const std::vector<std::string>& scopes) {
  for (const std::string& s : scopes) {
    if (std::find(out->begin(), out->end(), s) == out->end()) out->push_back(s);
  }
}

}  // namespace

MethodClass ClassOf(std::string_view method) {
  if (method == "tools/list" || method == "resources/list" || method == "resources/templates/list" ||
      method == "prompts/list") {
    return MethodClass::kList;
  }
  if (method == "resources/read" || method == "resources/subscribe" || method == "resources/unsubscribe" ||
      method == "prompts/get" || method == "completion/complete" || method == "subscriptions/listen") {
    return MethodClass::kRead;
  }
  if (method == "tools/call") return MethodClass::kCall;
  if (method == "logging/setLevel") return MethodClass::kAdmin;
  return MethodClass::kNone;
}

std::string_view MethodClassName(MethodClass c) {
  switch (c) {
    case MethodClass::kList: return "list";
    case MethodClass::kRead: return "read";
    case MethodClass::kCall: return "call";
    case MethodClass::kAdmin: return "admin";
    case MethodClass::kNone: break;
  }
  return "none";
}

ScopePolicy::ScopePolicy(const config::RouteScopes& scopes) : tools_(scopes.tools) {
  classes_[static_cast<int>(MethodClass::kList)] = scopes.list;
  classes_[static_cast<int>(MethodClass::kRead)] = scopes.read;
  classes_[static_cast<int>(MethodClass::kCall)] = scopes.call;
  classes_[static_cast<int>(MethodClass::kAdmin)] = scopes.admin;
  for (const config::ToolScopes& t : scopes.tools) {
    (t.pattern.find('*') == std::string::npos ? exact_ : patterns_).push_back(t);
  }
  std::stable_sort(patterns_.begin(), patterns_.end(), [](const config::ToolScopes& a, const config::ToolScopes& b) {
    return LiteralCount(a.pattern) > LiteralCount(b.pattern);
  });
  std::set<std::string> all;
  for (const auto& c : classes_) {
    if (c) all.insert(c->begin(), c->end());
  }
  for (const config::ToolScopes& t : scopes.tools) all.insert(t.scopes.begin(), t.scopes.end());
  supported_.assign(all.begin(), all.end());
}

const config::ToolScopes* ScopePolicy::FindTool(std::string_view tool) const {
  for (const auto& t : exact_) {
    if (t.pattern == tool) return &t;
  }
  for (const auto& t : patterns_) {
    if (GlobMatch(t.pattern, tool)) return &t;
  }
  return nullptr;
}

Requirement ScopePolicy::Required(std::string_view method, std::string_view tool) const {
  const MethodClass c = ClassOf(method);
  if (c == MethodClass::kNone) return {};
  const auto& class_scopes = classes_[static_cast<int>(c)];
  if (!class_scopes) return {false, nullptr, nullptr};
  Requirement r{true, &*class_scopes, nullptr};
  if (c == MethodClass::kCall) {
    const config::ToolScopes* entry = FindTool(tool);
    if (entry == nullptr) return {false, nullptr, nullptr};
    r.tool_scopes = &entry->scopes;
  }
  return r;
}

bool ScopePolicy::CallsDifferFrom(const config::RouteScopes& other) const {
  return other.call != classes_[static_cast<int>(MethodClass::kCall)] || other.tools != tools_;
}

bool ScopePolicy::MayCall(std::string_view tool, const std::vector<std::string>& granted) const {
  const Requirement r = Required("tools/call", tool);
  return r.mapped && r.SatisfiedBy(granted);
}

bool Requirement::SatisfiedBy(const std::vector<std::string>& granted) const {
  return (class_scopes == nullptr || HasAllScopes(granted, *class_scopes)) &&
         (tool_scopes == nullptr || HasAllScopes(granted, *tool_scopes));
}

std::vector<std::string> Requirement::All() const {
  std::vector<std::string> all;
  if (class_scopes != nullptr) AppendUnique(&all, *class_scopes);
  if (tool_scopes != nullptr) AppendUnique(&all, *tool_scopes);
  return all;
}

bool HasAllScopes(const std::vector<std::string>& granted, const std::vector<std::string>& required) {
  return std::all_of(required.begin(), required.end(), [&](const std::string& s) {
    return std::find(granted.begin(), granted.end(), s) != granted.end();
  });
}

bool GlobMatch(std::string_view pattern, std::string_view text) {
  // Iterative wildcard matching: on a mismatch, let the last `*` absorb one
  // more character. Linear in practice, never exponential.
  std::size_t p = 0, t = 0, star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace mcpgw::auth
