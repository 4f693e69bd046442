// The gateway's outgoing HTTP client against a real server on a random
// loopback port: answers as they are (no redirect followed), a body cap that
// refuses, one deadline for the whole request, TLS verified against the
// configured CA with the host's name, and errors that name the origin but
// never the path, the query or a credential.
#include "net/http_client.h"

#include "support/origin_server.h"
#include "support/test_files.h"

#include <boost/asio/io_context.hpp>

#include <gtest/gtest.h>

#include <optional>

namespace mcpgw::net {
namespace {

using testing::OriginReply;
using testing::OriginRequest;
using testing::OriginServer;
using namespace std::chrono_literals;

HttpRequest Get(const std::string& url) {
  HttpRequest request;
  request.url = std::get<Url>(ParseUrl(url));
  return request;
}

// Sends one request on an io_context run by this thread until it is answered.
HttpOutcome Send(HttpRequest request, const HttpClientOptions& options = {}) {
  boost::asio::io_context io;
  auto client = HttpClient::Create(io.get_executor(), options);
  if (const auto* error = std::get_if<std::string>(&client)) return "client not created: " + *error;
  std::optional<HttpOutcome> outcome;
  std::get<HttpClient>(client).Send(std::move(request), [&](HttpOutcome o) { outcome = std::move(o); });
  EXPECT_FALSE(outcome.has_value()) << "answered before Send returned";
  io.run();
  return outcome ? *std::move(outcome) : HttpOutcome(std::string("never answered"));
}

std::string ErrorOf(const HttpOutcome& outcome) {
  if (const auto* error = std::get_if<std::string>(&outcome)) return *error;
  ADD_FAILURE() << "expected an error, got status " << std::get<HttpResponse>(outcome).status;
  return "";
}

const HttpResponse& ResponseOf(const HttpOutcome& outcome) {
  static const HttpResponse kNone;
  if (const auto* response = std::get_if<HttpResponse>(&outcome)) return *response;
  ADD_FAILURE() << "expected a response, got: " << std::get<std::string>(outcome);
  return kNone;
}

TEST(HttpClient, ReturnsTheStatusTheCacheControlHeaderAndTheBody) {
  OriginServer origin([](const OriginRequest&) { return OriginReply{201, R"({"ok":true})", "max-age=60", "", 0ms}; });
  const HttpOutcome outcome = Send(Get(origin.Url("/jwks?x=1")));
  const HttpResponse& response = ResponseOf(outcome);
  EXPECT_EQ(response.status, 201u);
  EXPECT_EQ(response.cache_control, "max-age=60");
  EXPECT_EQ(response.body, R"({"ok":true})");
  ASSERT_EQ(origin.request_count(), 1u);
  EXPECT_EQ(origin.requests()[0].method, "GET");
  EXPECT_EQ(origin.requests()[0].target, "/jwks?x=1");
}

TEST(HttpClient, PostsAFormBodyWithItsAuthorizationHeader) {
  OriginServer origin([](const OriginRequest&) { return OriginReply{200, "{}", "", "", 0ms}; });
  HttpRequest request = Get(origin.Url("/introspect"));
  request.method = boost::beast::http::verb::post;
  request.content_type = "application/x-www-form-urlencoded";
  request.body = "token=abc&token_type_hint=access_token";
  request.authorization = "Basic Y2xpZW50OnNlY3JldA==";
  EXPECT_EQ(ResponseOf(Send(request)).status, 200u);
  ASSERT_EQ(origin.request_count(), 1u);
  const OriginRequest seen = origin.requests()[0];
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.content_type, "application/x-www-form-urlencoded");
  EXPECT_EQ(seen.authorization, "Basic Y2xpZW50OnNlY3JldA==");
  EXPECT_EQ(seen.body, "token=abc&token_type_hint=access_token");
}

TEST(HttpClient, ReturnsARedirectAsItIsWithoutFollowingIt) {
  OriginServer origin([](const OriginRequest& r) {
    return r.target == "/moved" ? OriginReply{302, "", "", "/elsewhere", 0ms} : OriginReply{200, "{}", "", "", 0ms};
  });
  EXPECT_EQ(ResponseOf(Send(Get(origin.Url("/moved")))).status, 302u);
  EXPECT_EQ(origin.request_count(), 1u);
}

TEST(HttpClient, RefusesABodyLargerThanTheLimitRatherThanTruncatingIt) {
  OriginServer origin([](const OriginRequest& r) {
    return OriginReply{200, std::string(r.target == "/big" ? 1025 : 1024, 'x'), "", "", 0ms};
  });
  HttpClientOptions options;
  options.max_body_bytes = 1024;
  EXPECT_EQ(ResponseOf(Send(Get(origin.Url("/fits")), options)).body.size(), 1024u);
  const std::string error = ErrorOf(Send(Get(origin.Url("/big")), options));
  EXPECT_NE(error.find("larger than 1024 bytes"), std::string::npos) << error;
}

TEST(HttpClient, GivesUpWhenTheWholeRequestTakesLongerThanTheTimeout) {
  OriginServer origin([](const OriginRequest&) { return OriginReply{200, "{}", "", "", 10s}; });
  HttpClientOptions options;
  options.timeout = 200ms;
  const auto start = std::chrono::steady_clock::now();
  const std::string error = ErrorOf(Send(Get(origin.Url("/slow")), options));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  EXPECT_NE(error.find("no complete answer within 200 ms"), std::string::npos) << error;
}

TEST(HttpClient, RefusesPlainHttpToAHostThatIsNotLoopbackWithoutConnecting) {
  const std::string error = ErrorOf(Send(Get("http://192.0.2.10:8080/jwks")));
  EXPECT_EQ(error, "http://192.0.2.10:8080: plain http only to a loopback host");
}

TEST(HttpClient, ErrorsNameTheOriginButNeverThePathTheQueryOrTheAuthorization) {
  OriginServer origin([](const OriginRequest&) { return OriginReply{}; });
  const std::string url = origin.Url("/path-secret?key=query-secret");
  origin.Close();
  HttpRequest request = Get(url);
  request.authorization = "Bearer header-secret";
  const std::string error = ErrorOf(Send(request));
  EXPECT_EQ(error.rfind("http://127.0.0.1:" + std::to_string(origin.port()) + ": cannot connect", 0), 0u) << error;
  EXPECT_EQ(error.find("secret"), std::string::npos) << error;
}

// A CA made for the test; the client trusts it only through ca_file.
class HttpsClient : public ::testing::Test {
 protected:
  HttpClientOptions Trusting() const {
    HttpClientOptions options;
    options.ca_file = ca_.cert_file();
    return options;
  }
  testing::TestCa ca_{testing::TestDir("net"), "net"};
};

OriginReply Ok(const OriginRequest&) { return OriginReply{200, "{}", "", "", 0ms}; }

TEST_F(HttpsClient, VerifiesTheServerAgainstTheConfiguredCaAndItsAddress) {
  const auto files = ca_.Issue("ip", "origin", 2, testing::CertificateUse::kServer, "IP:127.0.0.1");
  OriginServer origin(Ok, &files);
  EXPECT_EQ(ResponseOf(Send(Get(origin.Url("/jwks")), Trusting())).status, 200u);
}

TEST_F(HttpsClient, VerifiesTheServerByNameAndSendsTheNameAsSni) {
  const auto files = ca_.Issue("name", "origin", 3, testing::CertificateUse::kServer, "DNS:localhost");
  OriginServer origin(Ok, &files);
  const std::string url = "https://localhost:" + std::to_string(origin.port()) + "/jwks";
  EXPECT_EQ(ResponseOf(Send(Get(url), Trusting())).status, 200u);
}

TEST_F(HttpsClient, RefusesACertificateThatNamesAnotherHost) {
  // Named for the address only: reached by name, it does not match.
  const auto by_ip = ca_.Issue("other-name", "origin", 4, testing::CertificateUse::kServer, "IP:127.0.0.1");
  OriginServer named(Ok, &by_ip);
  const std::string error =
      ErrorOf(Send(Get("https://localhost:" + std::to_string(named.port()) + "/jwks"), Trusting()));
  EXPECT_NE(error.find("TLS handshake failed"), std::string::npos) << error;
  // Named for another address than the one reached.
  const auto other_ip = ca_.Issue("other-ip", "origin", 5, testing::CertificateUse::kServer, "IP:127.0.0.1");
  OriginServer addressed(Ok, &other_ip, "127.0.0.2");
  const std::string mismatch = ErrorOf(Send(Get(addressed.Url("/jwks")), Trusting()));
  EXPECT_NE(mismatch.find("TLS handshake failed"), std::string::npos) << mismatch;
  EXPECT_EQ(named.request_count() + addressed.request_count(), 0u);
}

TEST_F(HttpsClient, RefusesAServerTheSystemStoreDoesNotTrust) {
  const auto files = ca_.Issue("untrusted", "origin", 6, testing::CertificateUse::kServer);
  OriginServer origin(Ok, &files);
  const std::string error = ErrorOf(Send(Get(origin.Url("/jwks"))));
  EXPECT_NE(error.find("https://127.0.0.1:" + std::to_string(origin.port()) + ": TLS handshake failed"),
            std::string::npos)
      << error;
  EXPECT_NE(error.find("certificate verify failed"), std::string::npos) << error;
  EXPECT_EQ(origin.request_count(), 0u);
}

TEST(HttpClient, RefusesToStartWithAMissingOrUnusableCaFile) {
  boost::asio::io_context io;
  HttpClientOptions options;
  options.ca_file = "/nonexistent/ca.pem";
  auto missing = HttpClient::Create(io.get_executor(), options);
  ASSERT_TRUE(std::holds_alternative<std::string>(missing));
  EXPECT_NE(std::get<std::string>(missing).find("/nonexistent/ca.pem"), std::string::npos);
  options.ca_file = testing::WriteTestFile("net", "not-a-ca.pem", "not a certificate\n");
  auto garbage = HttpClient::Create(io.get_executor(), options);
  ASSERT_TRUE(std::holds_alternative<std::string>(garbage));
  EXPECT_NE(std::get<std::string>(garbage).find("no usable PEM CA certificate"), std::string::npos);
}

}  // namespace
}  // namespace mcpgw::net
