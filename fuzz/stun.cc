// STUN/TURN messages: strict decoding, every typed reader, and the integrity
// and fingerprint checks. A decoded message re-encodes (attribute by
// attribute) to the same bytes when its padding is zero.
#include <cstdlib>

#include "wavry/proto/stun.h"

using namespace wavry;
using namespace wavry::proto::stun;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::span<const std::uint8_t> in(data, size);
  auto m = decode(in);
  if (!m) return 0;
  for (std::uint16_t t : {attr::xor_mapped_address, attr::mapped_address, attr::xor_peer_address,
                          attr::xor_relayed_address})
    m->address(t);
  for (std::uint16_t t : {attr::username, attr::realm, attr::nonce, attr::software}) m->text(t);
  m->u32(attr::lifetime);
  m->error_code();
  m->unknown_attributes();
  m->requested_transport();
  m->channel_number();
  m->data();
  m->unknown_required();
  static const Bytes key = long_term_key("user", "wavry", "pass");
  verify_integrity(*m, key);
  verify_integrity_sha256(*m, key);
  verify_fingerprint(*m);
  Builder b(m->method, m->cls, m->transaction_id);
  for (const auto& a : m->attributes) b.add(a.type, a.value);
  auto again = decode(b.bytes());
  if (!again || again->attributes.size() != m->attributes.size()) std::abort();
  return 0;
}
