// HTTPS at the MCP front door, with the real binary and certificates made at
// test time: TLS 1.2 minimum, HSTS on every HTTPS answer and never on plain
// HTTP, client certificates (require and optional), the certificate reloaded
// on SIGHUP for new connections only, and start-up refusals that name the
// key and the file without showing key material.
#include "config/config.h"
#include "integration/example_gateway.h"
#include "support/test_ca.h"
#include "transport/http/http_server.h"
#include "transport/http/tls_context.h"
#include "transport/io_pool.h"

#include <openssl/ssl.h>

#include <fstream>
#include <thread>

namespace mcpgw::testing {
namespace {

constexpr long kFirstSerial = 1001;
constexpr long kSecondSerial = 1002;
constexpr char kHsts[] = "max-age=31536000";  // the default hsts_max_age_s

std::string TlsConfig(const CertificateFiles& server, const std::string& tls_extra) {
  return ExampleConfig("  limits:\n    max_body_bytes: 2048\n  tls:\n    cert_file: " + server.cert_file +
                       "\n    key_file: " + server.key_file + "\n" + tls_extra);
}

TlsClientOptions Trusting(const TestCa& ca, const CertificateFiles& client = {}) {
  TlsClientOptions options;
  options.ca_file = ca.cert_file();
  options.cert_file = client.cert_file;
  options.key_file = client.key_file;
  return options;
}

TlsClientOptions Only(TlsClientOptions options, int version) {
  options.min_version = version;
  options.max_version = version;
  return options;
}

class TlsGatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ca_ = std::make_unique<TestCa>(certs_.path(), "Test CA");
    server_cert_ = ca_->Issue("server", "127.0.0.1", kFirstSerial, CertificateUse::kServer);
    gateway_ = std::make_unique<GatewayProcess>(TlsConfig(server_cert_, TlsExtra()));
    ASSERT_TRUE(gateway_->Start()) << gateway_->Log();
  }
  virtual std::string TlsExtra() const { return ""; }

  uint16_t port() const { return gateway_->port(); }
  TlsClientOptions Trusted(const CertificateFiles& client = {}) const { return Trusting(*ca_, client); }

  HttpResponse Initialize(HttpsConnection& connection) {
    return connection.Request("POST", "/mcp/example", InitializeBody(), McpHeaders());
  }
  HttpResponse Initialize(const TlsClientOptions& tls) {
    return HttpsRequest(port(), tls, "POST", "/mcp/example", InitializeBody(), McpHeaders());
  }

  void Reload() { ASSERT_EQ(::kill(gateway_->pid(), SIGHUP), 0); }

  std::string Metrics() const { return Request(gateway_->metrics_port(), "GET", "/metrics", "", {}).body; }
  // Polls the metrics until they contain `line`, for up to ten seconds.
  bool WaitForMetric(const std::string& line) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      if (Metrics().find(line) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  TempDir certs_;
  std::unique_ptr<TestCa> ca_;
  CertificateFiles server_cert_;
  std::unique_ptr<GatewayProcess> gateway_;
};

TEST_F(TlsGatewayTest, ServesInitializeOverHttpsWithTheExactHstsHeaderOnEveryAnswer) {
  HttpsConnection connection(port(), Trusted());
  ASSERT_EQ(connection.handshake_error(), "");
  EXPECT_EQ(connection.alpn(), "http/1.1");  // the client offered h2 first
  const HttpResponse first = Initialize(connection);
  EXPECT_EQ(first.status, 200) << first.body << first.error;
  EXPECT_EQ(first.Json()["result"]["protocolVersion"], "2025-11-25");
  EXPECT_EQ(first.Header("strict-transport-security"), kHsts);
  // Keep-alive as over plain HTTP: the same connection serves the next one.
  const HttpResponse second = Initialize(connection);
  EXPECT_EQ(second.status, 200) << second.error;
  EXPECT_EQ(second.Header("strict-transport-security"), kHsts);
}

TEST_F(TlsGatewayTest, KeepsTheRequestLimitsAndMarksRefusalsWithHsts) {
  const std::string big = R"({"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":")" + std::string(4096, 'x') + "\"}}";
  const HttpResponse r = HttpsRequest(port(), Trusted(), "POST", "/mcp/example", big, McpHeaders());
  EXPECT_EQ(r.status, 413) << r.error;
  EXPECT_EQ(r.Header("strict-transport-security"), kHsts);
}

TEST_F(TlsGatewayTest, ABodyFarOverTheLimitGetsIts413NotAConnectionReset) {
  const std::string big = R"({"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":")" + std::string(4 << 20, 'x') + "\"}}";
  for (int i = 0; i < 5; ++i) {
    const HttpResponse r = HttpsRequest(port(), Trusted(), "POST", "/mcp/example", big, McpHeaders());
    ASSERT_EQ(r.status, 413) << "attempt " << i << ": " << r.error;
  }
}

TEST_F(TlsGatewayTest, KeepsTheMetricsListenerOnPlainHttpWithoutHsts) {
  const HttpResponse r = Request(gateway_->metrics_port(), "GET", "/healthz", "", {});
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.headers.count("strict-transport-security") == 0);
}

TEST_F(TlsGatewayTest, RefusesPlainHttpOnTheTlsPortAndStaysUp) {
  const HttpResponse plain = Request(port(), "POST", "/mcp/example", InitializeBody(), McpHeaders());
  EXPECT_EQ(plain.status, 0);
  EXPECT_EQ(Initialize(Trusted()).status, 200);
}

TEST_F(TlsGatewayTest, RefusesTls10And11HandshakesAndAcceptsTls12And13) {
  for (const int version : {TLS1_VERSION, TLS1_1_VERSION}) {
    HttpsConnection connection(port(), Only(Trusted(), version));
    // The server's alert, not a client that could not offer the version.
    EXPECT_NE(connection.handshake_error().find("alert protocol version"), std::string::npos)
        << version << ": " << connection.handshake_error();
  }
  for (const auto& [version, name] : {std::pair{TLS1_2_VERSION, "TLSv1.2"}, std::pair{TLS1_3_VERSION, "TLSv1.3"}}) {
    HttpsConnection connection(port(), Only(Trusted(), version));
    ASSERT_EQ(connection.handshake_error(), "") << name;
    EXPECT_EQ(connection.version(), name);
    EXPECT_EQ(Initialize(connection).status, 200) << name;
  }
}

TEST_F(TlsGatewayTest, RotatesTheCertificateOnSighupForNewConnectionsOnly) {
  HttpsConnection before(port(), Trusted());
  ASSERT_EQ(before.server_serial(), kFirstSerial);
  ca_->Issue("server", "127.0.0.1", kSecondSerial, CertificateUse::kServer);  // same files, new key
  Reload();
  ASSERT_TRUE(gateway_->WaitForLog("\"reloaded\"", std::chrono::seconds(10))) << gateway_->Log();

  HttpsConnection after(port(), Trusted());
  ASSERT_EQ(after.handshake_error(), "");
  EXPECT_EQ(after.server_serial(), kSecondSerial);
  EXPECT_EQ(Initialize(after).status, 200);
  // The connection opened before goes on with the certificate it began with.
  EXPECT_EQ(Initialize(before).status, 200);
  EXPECT_EQ(before.server_serial(), kFirstSerial);
}

TEST_F(TlsGatewayTest, KeepsTheOldCertificateWhenTheNewOneIsBadAndLogsReloadFailed) {
  std::ofstream(server_cert_.cert_file) << "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n";
  Reload();
  ASSERT_TRUE(gateway_->WaitForLog("\"reload_failed\"", std::chrono::seconds(10))) << gateway_->Log();
  std::string reason;
  for (const auto& event : gateway_->LogEvents()) {
    if (event.value("event", "") == "reload_failed") reason = event.value("reason", "");
  }
  EXPECT_EQ(reason.rfind("server.tls.cert_file: " + server_cert_.cert_file + ": ", 0), 0u) << reason;
  // The other steps (the configuration file, limits, ...) reload; TLS does not.
  for (const auto& event : gateway_->LogEvents()) {
    EXPECT_FALSE(event.value("event", "") == "reloaded" && event.value("what", "") == "tls") << event;
  }
  EXPECT_NE(gateway_->Log().find(R"("what":"tls")"), std::string::npos);

  HttpsConnection connection(port(), Trusted());
  ASSERT_EQ(connection.handshake_error(), "");
  EXPECT_EQ(connection.server_serial(), kFirstSerial);
  EXPECT_EQ(Initialize(connection).status, 200);
}

TEST_F(TlsGatewayTest, NoticesAClientThatSaysCloseNotifyDuringAStream) {
  // TLS 1.3 hides a close_notify inside an application-data record.
  HttpsConnection setup(port(), Only(Trusted(), TLS1_3_VERSION));
  const std::string sid = Initialize(setup).Header("mcp-session-id");
  ASSERT_FALSE(sid.empty());
  ASSERT_EQ(setup.Request("POST", "/mcp/example", R"({"jsonrpc":"2.0","method":"notifications/initialized"})",
                          McpHeaders(sid, "2025-11-25"))
                .status,
            202);
  HttpsConnection stream(port(), Only(Trusted(), TLS1_3_VERSION));
  ASSERT_EQ(stream.Send("GET", "/mcp/example", "", McpHeaders(sid, "2025-11-25")), "");
  ASSERT_TRUE(WaitForMetric("mcpgw_sse_streams_open 1\n")) << Metrics();
  stream.SendCloseNotify();  // the TCP connection stays open
  EXPECT_TRUE(WaitForMetric("mcpgw_sse_streams_open 0\n")) << Metrics();
}

class RequiredClientCertificateTest : public TlsGatewayTest {
 protected:
  std::string TlsExtra() const override {
    return "    client_ca_file: " + ca_->cert_file() + "\n    client_certificates: require\n";
  }
};

// Under TLS 1.2 the server refuses within the handshake; under TLS 1.3 the
// client has finished its side first and meets the refusal on its request.
void ExpectRefused(uint16_t port, const TlsClientOptions& tls) {
  HttpsConnection tls12(port, Only(tls, TLS1_2_VERSION));
  EXPECT_NE(tls12.handshake_error().find("alert"), std::string::npos) << tls12.handshake_error();
  const HttpResponse r = HttpsRequest(port, tls, "POST", "/mcp/example", InitializeBody(), McpHeaders());
  EXPECT_EQ(r.status, 0);
  EXPECT_FALSE(r.error.empty());
}

TEST_F(RequiredClientCertificateTest, RefusesAClientWithoutACertificate) { ExpectRefused(port(), Trusted()); }

TEST_F(RequiredClientCertificateTest, RefusesACertificateFromAnotherCa) {
  const TestCa other(certs_.path(), "Other CA");
  ExpectRefused(port(), Trusted(other.Issue("mallory", "mallory", 7, CertificateUse::kClient)));
}

TEST_F(RequiredClientCertificateTest, AcceptsACertificateFromTheConfiguredCa) {
  const TlsClientOptions alice = Trusted(ca_->Issue("alice", "alice", 2001, CertificateUse::kClient));
  EXPECT_EQ(Initialize(alice).status, 200);
  EXPECT_EQ(Initialize(Only(alice, TLS1_2_VERSION)).status, 200);
}

class OptionalClientCertificateTest : public TlsGatewayTest {
 protected:
  std::string TlsExtra() const override {
    return "    client_ca_file: " + ca_->cert_file() + "\n    client_certificates: optional\n";
  }
};

TEST_F(OptionalClientCertificateTest, AcceptsNoCertificateAndVerifiesOneThatIsPresented) {
  EXPECT_EQ(Initialize(Trusted()).status, 200);
  EXPECT_EQ(Initialize(Trusted(ca_->Issue("alice", "alice", 2001, CertificateUse::kClient))).status, 200);
  const TestCa other(certs_.path(), "Other CA");
  ExpectRefused(port(), Trusted(other.Issue("mallory", "mallory", 7, CertificateUse::kClient)));
}

class Tls13OnlyTest : public TlsGatewayTest {
 protected:
  std::string TlsExtra() const override { return "    min_version: \"1.3\"\n"; }
};

TEST_F(Tls13OnlyTest, RefusesTls12) {
  HttpsConnection tls12(port(), Only(Trusted(), TLS1_2_VERSION));
  EXPECT_NE(tls12.handshake_error().find("alert protocol version"), std::string::npos) << tls12.handshake_error();
  EXPECT_EQ(Initialize(Only(Trusted(), TLS1_3_VERSION)).status, 200);
}

// Start-up refusals: exit code 1 and a message naming the key and the file.
ProcessResult StartWith(const CertificateFiles& server) {
  GatewayProcess gateway(TlsConfig(server, ""));
  EXPECT_FALSE(gateway.Start());
  return gateway.Wait(std::chrono::seconds(10));
}

TEST(TlsStartup, RefusesToStartWithoutItsKeyFile) {
  TempDir certs;
  const TestCa ca(certs.path(), "Test CA");
  const CertificateFiles missing{ca.Issue("server", "127.0.0.1", 1, CertificateUse::kServer).cert_file,
                                 certs.path() + "/missing.key"};
  const ProcessResult r = StartWith(missing);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.stderr_text.find("server.tls.key_file: cannot read " + missing.key_file), std::string::npos)
      << r.stderr_text;
}

TEST(TlsStartup, RefusesToStartWithAKeyThatDoesNotMatchTheCertificate) {
  TempDir certs;
  const TestCa ca(certs.path(), "Test CA");
  const CertificateFiles a = ca.Issue("a", "127.0.0.1", 1, CertificateUse::kServer);
  const CertificateFiles b = ca.Issue("b", "127.0.0.1", 2, CertificateUse::kServer);
  const ProcessResult r = StartWith({a.cert_file, b.key_file});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.stderr_text.find("server.tls.key_file: " + b.key_file + " is not the private key of the certificate " +
                               "in server.tls.cert_file (" + a.cert_file + ")"),
            std::string::npos)
      << r.stderr_text;
  EXPECT_EQ(r.stderr_text.find("PRIVATE KEY"), std::string::npos);
}

// In process: the verified client certificate's subject reaches the request
// (nothing in the gateway uses it yet, so the binary cannot show it).
TEST(HttpsServer, HandsTheVerifiedClientSubjectToTheExchange) {
  TempDir certs;
  const TestCa ca(certs.path(), "Test CA");
  const CertificateFiles server = ca.Issue("server", "127.0.0.1", 1, CertificateUse::kServer);
  config::Tls tls;
  tls.configured = true;
  tls.cert_file = server.cert_file;
  tls.key_file = server.key_file;
  tls.client_ca_file = ca.cert_file();
  tls.client_certificates = config::ClientCertificates::kOptional;
  auto context = http::MakeTlsContext(tls);
  ASSERT_TRUE(std::holds_alternative<std::shared_ptr<http::TlsContext>>(context)) << std::get<std::string>(context);

  transport::IoPool pool(1);
  http::Server https(pool, http::ServerOptions{}, [](std::shared_ptr<http::Exchange> exchange) {
    http::Response res{http::bhttp::status::ok, 11};
    res.body() = exchange->client_certificate_subject();
    exchange->Respond(std::move(res));
  }, nullptr);
  ASSERT_EQ(https.Listen(), "");
  https.UseTls(std::get<std::shared_ptr<http::TlsContext>>(context));
  https.Start();
  std::thread io([&pool] { pool.Run(); });
  const HttpResponse alice =
      HttpsRequest(https.port(), Trusting(ca, ca.Issue("alice", "alice", 2, CertificateUse::kClient)), "GET", "/", "", {});
  const HttpResponse anonymous = HttpsRequest(https.port(), Trusting(ca), "GET", "/", "", {});
  // Let the server see both clients leave before its loop stops: a
  // connection still open when the loop stops is never freed.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (https.open_connections() > 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  EXPECT_EQ(https.open_connections(), 0u);
  pool.Stop();
  io.join();

  EXPECT_EQ(alice.status, 200) << alice.error;
  EXPECT_EQ(alice.body, "CN=alice,O=mcp-gateway tests");
  EXPECT_EQ(anonymous.status, 200) << anonymous.error;
  EXPECT_EQ(anonymous.body, "");
}

}  // namespace
}  // namespace mcpgw::testing
