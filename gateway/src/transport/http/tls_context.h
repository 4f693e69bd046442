// The server side of TLS: builds the OpenSSL context an HTTPS listener hands
// to new connections from the `server.tls` configuration, and reads what a
// finished handshake verified about the client.
//
// Decides the protocol policy once: TLS 1.2 minimum (1.3 preferred), AEAD
// suites with forward secrecy, no compression, no renegotiation, ALPN
// http/1.1 only. Never puts key material in an error message.
#pragma once

#include "config/config.h"

#include <boost/asio/ssl/context.hpp>

#include <openssl/ssl.h>

#include <memory>
#include <string>
#include <variant>

namespace mcpgw::http {

using TlsContext = boost::asio::ssl::context;

// Reads the certificate chain, key and client CAs named by `tls`. Any problem
// (unreadable file, bad PEM, a key that does not match the certificate) is an
// error naming the configuration key and the file.
std::variant<std::shared_ptr<TlsContext>, std::string> MakeTlsContext(const config::Tls& tls);

// The subject (RFC 2253) of the certificate the client presented and the
// handshake verified; empty when it presented none.
std::string VerifiedClientSubject(SSL* ssl);

}  // namespace mcpgw::http
