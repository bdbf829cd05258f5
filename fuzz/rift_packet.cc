// RIFT physical header decoding: never crash, and a decoded header re-encodes
// to the same bytes.
#include <cstdlib>

#include "wavry/proto/rift_packet.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto p = wavry::proto::decode_rift(std::span(data, size));
  if (!p) return 0;
  wavry::Bytes again;
  if (p->handshake)
    wavry::proto::encode_rift_handshake_header(again, p->packet_id);
  else
    wavry::proto::encode_rift_transport_header(again, p->session_alias, p->packet_id);
  bool sid_zero = true;
  for (auto b : p->session_id) sid_zero = sid_zero && b == 0;
  if (sid_zero && !std::equal(again.begin(), again.end(), p->header.begin(), p->header.end())) std::abort();
  return 0;
}
