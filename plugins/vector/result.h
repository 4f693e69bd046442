// Errors as values inside the vector plugin.
//
// A Result<T> holds the value of a successful operation or the Failure that
// stopped it. g++ 12 has no std::expected; exceptions are kept for the ABI
// boundary (plugin.hpp turns them into statuses).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace mcpgw::vector {

// How a failed operation must be answered.
enum class FailureKind {
  kRejected,     // the request breaks a rule (unknown collection, a limit, a bad vector): a tool error
  kUnavailable,  // storage or the embedding service failed: try again later
  kInternal,     // corrupt data or a broken invariant: an operator has to look
};

struct Failure {
  FailureKind kind;
  std::string message;  // reaches the client: never a host path or a secret
};

inline Failure Rejected(std::string message) { return Failure{FailureKind::kRejected, std::move(message)}; }

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}        // NOLINT: implicit by design
  Result(Failure error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& operator*() & { return std::get<0>(state_); }
  const T& operator*() const& { return std::get<0>(state_); }
  T* operator->() { return &std::get<0>(state_); }
  const T* operator->() const { return &std::get<0>(state_); }
  const Failure& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Failure> state_;
};

// The outcome of an operation that returns nothing.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Failure error) : error_(std::move(error)) {}  // NOLINT: implicit by design
  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Failure& error() const { return *error_; }

 private:
  std::optional<Failure> error_;
};

}  // namespace mcpgw::vector
