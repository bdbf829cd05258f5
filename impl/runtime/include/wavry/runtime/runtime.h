// Process-level pieces of the real runtime: clocks, OS randomness, logging,
// safety gates and the "listening" lines scripts read to find ports.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <optional>
#include <string>

#include "wavry/core/endpoint.h"
#include "wavry/core/error.h"
#include "wavry/core/random.h"
#include "wavry/core/time.h"

namespace wavry::runtime {

namespace asio = boost::asio;

Instant now();          // steady_clock (CLOCK_MONOTONIC: shared by processes on one machine)
UnixTime wall_now();    // system_clock
WallClock wall_clock(); // a fresh anchor pair

class OsRandom final : public Random {
 public:
  void fill(std::span<std::uint8_t> out) override;
};

enum class LogLevel { error = 0, warn = 1, info = 2, debug = 3 };
void set_log_level(LogLevel l);
bool parse_log_level(std::string_view s, LogLevel& out);
void log(LogLevel l, const std::string& component, const std::string& message);
inline void log_info(const std::string& c, const std::string& m) { log(LogLevel::info, c, m); }
inline void log_warn(const std::string& c, const std::string& m) { log(LogLevel::warn, c, m); }
inline void log_error(const std::string& c, const std::string& m) { log(LogLevel::error, c, m); }
inline void log_debug(const std::string& c, const std::string& m) { log(LogLevel::debug, c, m); }

// Truthy: 1, true, yes, on (case-insensitive, trimmed).
bool env_flag(const char* name);
std::optional<std::string> env_string(const char* name);

// A non-loopback bind needs `gate_var`=1; the error names the variable.
Status check_bind_allowed(const Endpoint& ep, const char* gate_var, const char* what);

// Start-up helpers for bin/: a configuration error prints "error: <message>"
// on stderr and exits with status 2, before anything has been started.
[[noreturn]] void exit_config_error(const std::string& message);
void init_logging(const std::string& level);  // error|warn|info|debug
// Parses `text` given for `flag` as ip:port and applies the bind gate.
Endpoint listen_address(const std::string& text, const char* flag, const char* gate_var);

// Prints "listening <kind> <ip:port>" on stdout and flushes.
void announce_listening(const char* kind, const Endpoint& ep);

asio::ip::address to_asio(const IpAddress& ip);
IpAddress from_asio(const asio::ip::address& a);

// Calls `on_timeout` when the core's next deadline passes; `rearm` after
// every input re-reads the deadline (the driver order in sans_io.h).
class CoreTimer {
 public:
  CoreTimer(asio::io_context& io, std::function<std::optional<Instant>()> next, std::function<void(Instant)> fire);
  void rearm();

 private:
  asio::steady_timer timer_;
  std::function<std::optional<Instant>()> next_;
  std::function<void(Instant)> fire_;
  std::optional<Instant> armed_;
};

// Runs `on_stop` once on SIGINT or SIGTERM.
void on_termination_signal(asio::io_context& io, std::function<void(int)> on_stop);

// Calls `finish` after `seconds` (if > 0) or on SIGINT/SIGTERM, whichever comes first.
// The returned timer must outlive io.run().
std::unique_ptr<asio::steady_timer> stop_after(asio::io_context& io, double seconds, std::function<void()> finish);

}  // namespace wavry::runtime
