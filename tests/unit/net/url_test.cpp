// URLs the gateway sends requests to: absolute http(s) only, never with
// user information or a fragment; plain http only to a loopback host.
#include "net/url.h"

#include <gtest/gtest.h>

namespace mcpgw::net {
namespace {

Url Parsed(std::string_view text) {
  auto url = ParseUrl(text);
  if (const auto* why = std::get_if<std::string>(&url)) {
    ADD_FAILURE() << text << ": " << *why;
    return Url{};
  }
  return std::get<Url>(url);
}

std::string Refusal(std::string_view text) {
  auto url = ParseUrl(text);
  if (std::holds_alternative<Url>(url)) {
    ADD_FAILURE() << text << " was accepted";
    return "";
  }
  return std::get<std::string>(url);
}

TEST(Url, ReadsSchemeHostPortAndTargetWithTheSchemesDefaultPort) {
  const Url a = Parsed("https://IdP.Example.com/.well-known/jwks.json?x=1");
  EXPECT_TRUE(a.tls);
  EXPECT_EQ(a.host, "idp.example.com");
  EXPECT_EQ(a.port, 443);
  EXPECT_EQ(a.target, "/.well-known/jwks.json?x=1");
  EXPECT_EQ(a.Origin(), "https://idp.example.com:443");
  const Url b = Parsed("http://127.0.0.1:8081");
  EXPECT_FALSE(b.tls);
  EXPECT_EQ(b.port, 8081);
  EXPECT_EQ(b.target, "/");
  const Url c = Parsed("http://[::1]:9000?q");
  EXPECT_EQ(c.host, "::1");
  EXPECT_EQ(c.target, "/?q");
  EXPECT_EQ(c.Origin(), "http://[::1]:9000");
}

TEST(Url, AllowsPlainHttpOnlyToALoopbackHost) {
  EXPECT_TRUE(Parsed("http://127.0.0.1/x").IsSafeToUse());
  EXPECT_TRUE(Parsed("http://127.9.8.7/x").IsSafeToUse());
  EXPECT_TRUE(Parsed("http://localhost:80/x").IsSafeToUse());
  EXPECT_TRUE(Parsed("http://[::1]/x").IsSafeToUse());
  EXPECT_TRUE(Parsed("https://idp.example/x").IsSafeToUse());
  EXPECT_FALSE(Parsed("http://idp.example/x").IsSafeToUse());
  EXPECT_FALSE(Parsed("http://10.0.0.1/x").IsSafeToUse());
  EXPECT_FALSE(Parsed("http://128.0.0.1/x").IsSafeToUse());
  EXPECT_FALSE(Parsed("http://localhost.evil.example/x").IsSafeToUse());
  EXPECT_FALSE(Parsed("http://[::2]/x").IsSafeToUse());
}

TEST(Url, RefusesUserInformationFragmentsAndWhatIsNotAnAbsoluteHttpUrl) {
  EXPECT_NE(Refusal("https://user:pw@idp.example/").find("user information"), std::string::npos);
  EXPECT_NE(Refusal("https://idp.example/#frag").find("fragment"), std::string::npos);
  EXPECT_NE(Refusal("ftp://idp.example/").find("http:// or https://"), std::string::npos);
  EXPECT_NE(Refusal("idp.example/jwks").find("http:// or https://"), std::string::npos);
  EXPECT_NE(Refusal("https://idp.example:0/").find("port"), std::string::npos);
  EXPECT_NE(Refusal("https://idp.example:65536/").find("port"), std::string::npos);
  EXPECT_NE(Refusal("https://idp.example:/").find("port"), std::string::npos);
  EXPECT_NE(Refusal("https://[::1/").find("'['"), std::string::npos);
  EXPECT_NE(Refusal("https://[zz]/").find("IPv6"), std::string::npos);
  EXPECT_NE(Refusal("https:///path").find("host"), std::string::npos);
  EXPECT_NE(Refusal("https://idp..example/").find("host"), std::string::npos);
  EXPECT_NE(Refusal("https://idp.example/a b").find("spaces"), std::string::npos);
  EXPECT_NE(Refusal("https://idp.exämple/").find("non-ASCII"), std::string::npos);
}

TEST(Url, FormEncodesLikeHtmlFormsAndRfc6749ClientCredentials) {
  EXPECT_EQ(FormEncode("aZ09*-._"), "aZ09*-._");
  EXPECT_EQ(FormEncode("a b"), "a+b");
  EXPECT_EQ(FormEncode("p:w/+=&%~"), "p%3Aw%2F%2B%3D%26%25%7E");
  EXPECT_EQ(FormEncode("\xc3\xa9"), "%C3%A9");
}

}  // namespace
}  // namespace mcpgw::net
