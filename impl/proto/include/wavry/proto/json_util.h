// Strict JSON field access for untrusted input: parse without exceptions and
// read typed fields with explicit presence checks. Nothing here throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace wavry::proto {

using Json = nlohmann::json;

// nullopt when the text is not a JSON object or is larger than max_bytes.
std::optional<Json> parse_json_object(std::string_view text, std::size_t max_bytes);
std::optional<std::string> get_string(const Json& j, const char* key, std::size_t max_len = 4096);
std::optional<std::uint64_t> get_uint(const Json& j, const char* key);
std::optional<double> get_number(const Json& j, const char* key);

// Serialises without throwing. Strings that reach JSON output can carry
// bytes from the network (an HTTP target echoed in an error, a truncated
// upstream body); bytes that are not UTF-8 become U+FFFD instead of
// nlohmann's exception (found by fuzz_gateway_http).
inline std::string dump_json(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

}  // namespace wavry::proto
