// Errors as values for the memory plugin's request path.
//
// A Result<T, E> holds either the value of a successful operation or the
// error that stopped it; Result<void, E> holds only the error, if any. g++ 12
// has no std::expected, and exceptions are kept for the plugin ABI boundary.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace mcpgw::memory {

// How the plugin must answer a failed operation.
enum class FailureKind {
  kRejected,     // the request breaks a rule (unknown entity, a limit): a tool error the model reads
  kUnavailable,  // storage failed (ENOSPC, EIO, a lock held elsewhere): try again later
  kInternal,     // corrupt data or a broken invariant: an operator has to look
};

struct Failure {
  FailureKind kind;
  std::string message;  // reaches the client: never a host path or a secret
};

template <typename T, typename E = Failure>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(E error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const E& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, E> state_;
};

template <typename E>
class [[nodiscard]] Result<void, E> {
 public:
  Result() = default;
  Result(E error) : error_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const E& error() const { return *error_; }

 private:
  std::optional<E> error_;
};

using Status = Result<void>;

}  // namespace mcpgw::memory
