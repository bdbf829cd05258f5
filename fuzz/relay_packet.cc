// Relay header and every payload decoder.
#include <cstdlib>

#include "wavry/proto/relay_packet.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace wavry::proto;
  std::span<const std::uint8_t> in(data, size);
  auto h = decode_relay_header(in);
  if (!h) return 0;
  auto payload = in.subspan(kRelayHeader);
  if (auto lp = decode_lease_present(payload)) {
    auto again = encode_lease_present(h->session, lp->role, lp->token);
    if (!decode_lease_present(std::span(again).subspan(kRelayHeader))) std::abort();
  }
  decode_lease_ack(payload);
  decode_lease_reject(payload);
  return 0;
}
