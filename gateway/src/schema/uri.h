// Just enough of RFC 3986 to resolve "$id" and "$ref" against a base URI.
// Nothing here touches the network.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mcpgw::schema::detail {

// Resolves `reference` against `base` (RFC 3986 section 5.2). An empty base
// stands for the schema document itself, which has no URI.
std::string ResolveUri(std::string_view base, std::string_view reference);

// The URI without its fragment, and the fragment without its "#".
struct SplitUri {
  std::string_view resource;
  std::string_view fragment;
  bool has_fragment = false;
};
SplitUri SplitFragment(std::string_view uri);

// Whether `uri` starts with a scheme ("http:", "urn:", ...).
bool HasScheme(std::string_view uri);

// Decodes %XX escapes; nullopt for a malformed escape.
std::optional<std::string> PercentDecode(std::string_view text);

}  // namespace mcpgw::schema::detail
