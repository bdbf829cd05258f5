#include "wavry/runtime/runtime.h"

#include <sodium.h>

#include <boost/asio/signal_set.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <mutex>

namespace wavry::runtime {

Instant now() {
  return Instant::from_nanos(
      duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count());
}

UnixTime wall_now() {
  return UnixTime::from_nanos(
      duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

WallClock wall_clock() { return WallClock(now(), wall_now()); }

void OsRandom::fill(std::span<std::uint8_t> out) {
  static const bool ready = sodium_init() >= 0;
  if (!ready) std::abort();  // no randomness, no keys: nothing safe to do
  randombytes_buf(out.data(), out.size());
}

namespace {
LogLevel g_level = LogLevel::info;
std::mutex g_log_mutex;
}  // namespace

void set_log_level(LogLevel l) { g_level = l; }

bool parse_log_level(std::string_view s, LogLevel& out) {
  if (s == "error") out = LogLevel::error;
  else if (s == "warn" || s == "warning") out = LogLevel::warn;
  else if (s == "info") out = LogLevel::info;
  else if (s == "debug" || s == "trace") out = LogLevel::debug;
  else return false;
  return true;
}

void log(LogLevel l, const std::string& component, const std::string& message) {
  if (l > g_level) return;
  static const char* names[] = {"ERROR", "WARN", "INFO", "DEBUG"};
  std::string ts = format_rfc3339(wall_now());
  std::lock_guard lock(g_log_mutex);
  std::cerr << ts << " " << names[static_cast<int>(l)] << " " << component << ": " << message << std::endl;
}

bool env_flag(const char* name) {
  const char* v = std::getenv(name);
  if (!v) return false;
  std::string s(v);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.erase(s.begin());
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s == "1" || s == "true" || s == "yes" || s == "on";
}

std::optional<std::string> env_string(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) return std::nullopt;
  return std::string(v);
}

Status check_bind_allowed(const Endpoint& ep, const char* gate_var, const char* what) {
  if (ep.ip.is_loopback() || env_flag(gate_var)) return Ok{};
  return make_error(Errc::forbidden, std::string("refusing to bind ") + what + " to non-loopback address " +
                                         ep.to_string() + "; set " + gate_var + "=1 to allow it");
}

void exit_config_error(const std::string& message) {
  std::cerr << "error: " << message << std::endl;
  std::exit(2);
}

void init_logging(const std::string& level) {
  LogLevel l;
  if (!parse_log_level(level, l)) exit_config_error("--log-level must be error, warn, info or debug, got '" + level + "'");
  set_log_level(l);
}

Endpoint listen_address(const std::string& text, const char* flag, const char* gate_var) {
  auto ep = Endpoint::parse(text);
  if (!ep) exit_config_error(std::string(flag) + " must be ip:port, got '" + text + "'");
  if (auto gate = check_bind_allowed(*ep, gate_var, flag); !gate) exit_config_error(gate.error().message);
  return *ep;
}

void announce_listening(const char* kind, const Endpoint& ep) {
  std::printf("listening %s %s\n", kind, ep.to_string().c_str());
  std::fflush(stdout);
}

asio::ip::address to_asio(const IpAddress& ip) {
  if (ip.is_v4()) return asio::ip::address_v4(ip.v4_host_order());
  asio::ip::address_v6::bytes_type b;
  std::copy(ip.bytes().begin(), ip.bytes().end(), b.begin());
  return asio::ip::address_v6(b);
}

IpAddress from_asio(const asio::ip::address& a) {
  if (a.is_v4()) return IpAddress::v4(a.to_v4().to_uint());
  auto v6 = a.to_v6();
  if (v6.is_v4_mapped()) return IpAddress::v4(asio::ip::make_address_v4(asio::ip::v4_mapped, v6).to_uint());
  std::array<std::uint8_t, 16> b;
  auto bytes = v6.to_bytes();
  std::copy(bytes.begin(), bytes.end(), b.begin());
  return IpAddress::v6(b);
}

CoreTimer::CoreTimer(asio::io_context& io, std::function<std::optional<Instant>()> next,
                     std::function<void(Instant)> fire)
    : timer_(io), next_(std::move(next)), fire_(std::move(fire)) {}

void CoreTimer::rearm() {
  auto deadline = next_();
  if (deadline == armed_) return;
  armed_ = deadline;
  timer_.cancel();
  if (!deadline) return;
  auto wait = std::max<Duration>(*deadline - now(), Duration(0));
  timer_.expires_after(wait);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;  // cancelled: a newer deadline was armed
    armed_.reset();
    fire_(now());
    rearm();
  });
}

void on_termination_signal(asio::io_context& io, std::function<void(int)> on_stop) {
  auto signals = std::make_shared<asio::signal_set>(io, SIGINT, SIGTERM);
  signals->async_wait([signals, on_stop = std::move(on_stop)](const boost::system::error_code& ec, int sig) {
    if (!ec) on_stop(sig);
  });
}

std::unique_ptr<asio::steady_timer> stop_after(asio::io_context& io, double seconds, std::function<void()> finish) {
  auto timer = std::make_unique<asio::steady_timer>(io);
  if (seconds > 0) {
    timer->expires_after(std::chrono::milliseconds(static_cast<long>(seconds * 1000)));
    timer->async_wait([finish](const boost::system::error_code& ec) {
      if (!ec) finish();
    });
  }
  on_termination_signal(io, [finish](int) { finish(); });
  return timer;
}

}  // namespace wavry::runtime
