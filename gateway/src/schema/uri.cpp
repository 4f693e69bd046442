#include "schema/uri.h"

#include <cctype>

namespace mcpgw::schema::detail {

namespace {

// The five parts of a URI reference (RFC 3986 appendix B).
struct UriParts {
  std::optional<std::string_view> scheme;
  std::optional<std::string_view> authority;
  std::string_view path;
  std::optional<std::string_view> query;
  std::optional<std::string_view> fragment;
};

UriParts Parse(std::string_view uri) {
  UriParts parts;
  if (const auto hash = uri.find('#'); hash != std::string_view::npos) {
    parts.fragment = uri.substr(hash + 1);
    uri = uri.substr(0, hash);
  }
  if (const auto question = uri.find('?'); question != std::string_view::npos) {
    parts.query = uri.substr(question + 1);
    uri = uri.substr(0, question);
  }
  if (HasScheme(uri)) {
    const auto colon = uri.find(':');
    parts.scheme = uri.substr(0, colon);
    uri = uri.substr(colon + 1);
  }
  if (uri.substr(0, 2) == "//") {
    const auto end = uri.find('/', 2);
    parts.authority = uri.substr(2, end == std::string_view::npos ? std::string_view::npos : end - 2);
    uri = end == std::string_view::npos ? std::string_view() : uri.substr(end);
  }
  parts.path = uri;
  return parts;
}

// RFC 3986 section 5.2.4.
std::string RemoveDotSegments(std::string_view input) {
  std::string output;
  while (!input.empty()) {
    if (input.substr(0, 3) == "../") {
      input.remove_prefix(3);
    } else if (input.substr(0, 2) == "./") {
      input.remove_prefix(2);
    } else if (input.substr(0, 3) == "/./") {
      input.remove_prefix(2);
    } else if (input == "/.") {
      input = "/";
    } else if (input.substr(0, 4) == "/../" || input == "/..") {
      input = input.size() == 3 ? std::string_view("/") : input.substr(3);
      const auto slash = output.rfind('/');
      output.erase(slash == std::string::npos ? 0 : slash);
    } else if (input == "." || input == "..") {
      input = {};
    } else {
      const auto next = input.find('/', 1);
      const auto segment = input.substr(0, next);
      output.append(segment);
      input.remove_prefix(segment.size());
    }
  }
  return output;
}

std::string Merge(const UriParts& base, std::string_view reference_path) {
  std::string merged;
  if (base.authority && base.path.empty()) {
    merged = "/";
  } else if (const auto slash = base.path.rfind('/'); slash != std::string_view::npos) {
    merged = base.path.substr(0, slash + 1);
  }
  merged.append(reference_path);  // append, not operator+: GCC 12 -O3 warns wrongly on that
  return merged;
}

std::string Recompose(const UriParts& parts) {
  std::string uri;
  if (parts.scheme) uri.append(*parts.scheme).append(":");
  if (parts.authority) uri.append("//").append(*parts.authority);
  uri.append(parts.path);
  if (parts.query) uri.append("?").append(*parts.query);
  if (parts.fragment) uri.append("#").append(*parts.fragment);
  return uri;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool HasScheme(std::string_view uri) {
  if (uri.empty() || !std::isalpha(static_cast<unsigned char>(uri[0]))) return false;
  for (const char c : uri) {
    if (c == ':') return true;
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return false;
  }
  return false;
}

std::string ResolveUri(std::string_view base, std::string_view reference) {
  const UriParts ref = Parse(reference);
  const UriParts from = Parse(base);
  UriParts target;
  std::string path;  // owns the merged path that target.path views
  if (ref.scheme) {
    target = ref;
    path = RemoveDotSegments(ref.path);
  } else {
    target.scheme = from.scheme;
    if (ref.authority) {
      target.authority = ref.authority;
      target.query = ref.query;
      path = RemoveDotSegments(ref.path);
    } else {
      target.authority = from.authority;
      if (ref.path.empty()) {
        path = std::string(from.path);
        target.query = ref.query ? ref.query : from.query;
      } else {
        path = ref.path.front() == '/' ? RemoveDotSegments(ref.path) : RemoveDotSegments(Merge(from, ref.path));
        target.query = ref.query;
      }
    }
  }
  target.path = path;
  target.fragment = ref.fragment;
  return Recompose(target);
}

SplitUri SplitFragment(std::string_view uri) {
  const auto hash = uri.find('#');
  if (hash == std::string_view::npos) return {uri, {}, false};
  return {uri.substr(0, hash), uri.substr(hash + 1), true};
}

std::optional<std::string> PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = HexValue(text[i + 1]);
    const int low = HexValue(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return out;
}

}  // namespace mcpgw::schema::detail
