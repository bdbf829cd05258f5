// Our side of the STUN interoperability test (interop_stun.js, which uses the
// independent `stun` npm package):
//   stun_peer build PASSWORD    prints the hex of a Binding success response
//                               we encode (XOR-MAPPED-ADDRESS v4 and v6 peer,
//                               MAPPED-ADDRESS, USERNAME, SOFTWARE, ERROR-CODE,
//                               MESSAGE-INTEGRITY with the short-term key,
//                               FINGERPRINT)
//   stun_peer check HEX PASSWORD
//                               decodes a message, prints one "name value"
//                               line per field we understand, and
//                               "integrity ok|bad", "fingerprint ok|bad"
#include <iostream>

#include "wavry/core/bytes.h"
#include "wavry/proto/stun.h"

using namespace wavry;
using namespace wavry::proto::stun;

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 2 && args[0] == "build") {
    TransactionId tid{0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae};
    Builder b(method::binding, Class::success, tid);
    b.add_address(attr::xor_mapped_address, *Endpoint::parse("192.0.2.1:32853"))
        .add_address(attr::mapped_address, *Endpoint::parse("203.0.113.5:3478"))
        .add_text(attr::username, "evtj:h6vY")
        .add_text(attr::software, "wavry stun codec")
        .add_message_integrity(short_term_key(args[1]))
        .add_fingerprint();
    std::cout << to_hex(b.bytes()) << "\n";
    return 0;
  }
  if (args.size() == 3 && args[0] == "check") {
    Bytes raw;
    if (!from_hex(args[1], raw)) {
      std::cerr << "stun_peer: bad hex\n";
      return 1;
    }
    DecodeError why{};
    auto m = decode(raw, &why);
    if (!m) {
      std::cerr << "stun_peer: not decodable: " << to_string(why) << "\n";
      return 1;
    }
    std::cout << "method " << m->method << "\nclass " << static_cast<int>(m->cls) << "\n";
    for (std::uint16_t t : {attr::xor_mapped_address, attr::mapped_address})
      if (auto a = m->address(t)) std::cout << (t == attr::mapped_address ? "mapped " : "xor-mapped ") << a->to_string() << "\n";
    if (auto u = m->text(attr::username)) std::cout << "username " << *u << "\n";
    if (auto s = m->text(attr::software)) std::cout << "software " << *s << "\n";
    if (auto e = m->error_code()) std::cout << "error " << e->code << " " << e->reason << "\n";
    std::cout << "integrity " << (verify_integrity(*m, short_term_key(args[2])) ? "ok" : "bad") << "\n";
    std::cout << "fingerprint " << (verify_fingerprint(*m) ? "ok" : "bad") << "\n";
    return 0;
  }
  std::cerr << "usage: stun_peer build PASSWORD | check HEX PASSWORD\n";
  return 2;
}
