// A small error type and Result<T>. Cores never throw on network input: a bad
// datagram is counted and dropped; a bad request gets a typed error.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace wavry {

enum class Errc {
  invalid_argument,  // malformed input: caller should drop it / answer 400
  unauthorized,      // missing or wrong credential: answer 401 / reject
  forbidden,         // credential fine, action not allowed (safety gate, role)
  not_found,
  expired,
  unavailable,       // a dependency (master, relay) is not reachable or ready
  limit_exceeded,    // a bound was hit: rate limit, table full
  crypto,            // signature or AEAD failure
  io,                // only drivers produce this
};

const char* to_string(Errc c);

struct Error {
  Errc code;
  std::string message;
};

template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Error e) : v_(std::move(e)) {}      // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

struct Ok {};
using Status = Result<Ok>;

inline Error make_error(Errc c, std::string msg) { return Error{c, std::move(msg)}; }

}  // namespace wavry
