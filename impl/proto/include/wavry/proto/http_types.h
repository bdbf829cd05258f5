// HTTP as plain values. Control-plane cores (master, gateway, relay health)
// take an HttpRequest and return an HttpResponse; when they need to call
// another service they emit an OutboundCall and later receive its CallResult.
// Beast (real runtime) or the simulated TCP channel (ns-3) carries the bytes.
#pragma once

#include <cstdint>
#include <string>

namespace wavry::proto {

inline constexpr std::size_t kMaxHttpBody = 64 * 1024;

struct HttpRequest {
  std::string method;         // "GET", "POST"
  std::string target;         // path and query, e.g. "/v1/relays"
  std::string authorization;  // raw Authorization header value, may be empty
  std::string body;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

HttpResponse json_response(int status, std::string body);
HttpResponse error_response(int status, std::string_view code, std::string_view message);

// A request a core wants made to another service (master). `service` names
// the destination in the core's configuration ("master").
struct OutboundCall {
  std::uint64_t id = 0;
  std::string service;
  HttpRequest request;
};

struct CallResult {
  std::uint64_t id = 0;
  int status = 0;  // 0 = transport failure (connection refused, timeout)
  std::string body;
};

// "Bearer <token>" -> token; empty when the header has another form.
std::string bearer_token(std::string_view authorization);

}  // namespace wavry::proto
