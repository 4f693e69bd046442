// Reads the parts of `auth:` that say where authentication material comes
// from: each trusted issuer and its key sources, how JWKS URLs are fetched,
// and the token introspection endpoint.
//
// Decides what is well-formed before anything is read or fetched: exactly
// one source per key, an algorithm where the key cannot carry its own, and
// URLs that are https (plain http only to a loopback host). Reads no file
// and no environment variable (auth/trust_loader.h does, at start-up).
#pragma once

#include "config/config.h"
#include "config/yaml_reader.h"

#include <string>

namespace mcpgw::config {

// One entry of auth.issuers at `path` (a map, checked by the caller).
void ReadIssuer(YamlReader& reader, const YAML::Node& node, const std::string& path, Issuer* out);

// auth.jwks (optional).
void ReadJwksFetch(YamlReader& reader, const YAML::Node& node, JwksFetch* out);

// auth.introspection (optional).
void ReadIntrospection(YamlReader& reader, const YAML::Node& node, Introspection* out);

}  // namespace mcpgw::config
