#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "wavry/core/bytes.h"
#include "wavry/proto/stun.h"

using namespace wavry;
using namespace wavry::proto::stun;
using nlohmann::json;

namespace {

json rfc5769() {
  std::ifstream f(std::string(WAVRY_SHARED_DIR) + "/vectors/stun/rfc5769.json");
  // A missing vector file fails the test; it never skips.
  EXPECT_TRUE(f.good()) << "missing vectors/stun/rfc5769.json under " << WAVRY_SHARED_DIR;
  return json::parse(f);
}

Bytes hex(const std::string& s) {
  Bytes b;
  EXPECT_TRUE(from_hex(s, b));
  return b;
}

// Rebuilds a decoded message attribute by attribute through the Builder
// (typed encoders for the address attributes), then signs it again.
Bytes reencode(const Message& m, std::span<const std::uint8_t> key, std::uint8_t pad) {
  Builder b(m.method, m.cls, m.transaction_id);
  b.padding_byte(pad);
  for (const auto& a : m.attributes) {
    if (a.type == attr::message_integrity) {
      b.add_message_integrity(key);
    } else if (a.type == attr::fingerprint) {
      b.add_fingerprint();
    } else if (a.type == attr::xor_mapped_address) {
      b.add_address(a.type, *m.address(a.type));
    } else {
      b.add(a.type, a.value);
    }
  }
  return b.finish();
}

}  // namespace

TEST(Stun, Rfc5769VectorsVerifyAndReencode) {
  json v = rfc5769()["vectors"];
  ASSERT_EQ(v.size(), 4u);
  for (const auto& [name, t] : v.items()) {
    SCOPED_TRACE(name);
    Bytes raw = hex(t["hex"]);
    DecodeError why{};
    auto m = decode(raw, &why);
    ASSERT_TRUE(m) << to_string(why);
    Bytes key;
    if (t.contains("realm")) {
      key = long_term_key(t["username_utf8"].get<std::string>(), t["realm"].get<std::string>(),
                          t["password"].get<std::string>());
      EXPECT_EQ(*m->text(attr::username), t["username_utf8"].get<std::string>());
      EXPECT_EQ(*m->text(attr::nonce), t["nonce"].get<std::string>());
      EXPECT_EQ(*m->text(attr::realm), t["realm"].get<std::string>());
      EXPECT_FALSE(m->has(attr::fingerprint));
    } else {
      key = short_term_key(t["password"].get<std::string>());
      EXPECT_TRUE(verify_fingerprint(*m));
    }
    EXPECT_TRUE(verify_integrity(*m, key));
    Bytes wrong = key;
    wrong[0] ^= 1;
    EXPECT_FALSE(verify_integrity(*m, wrong));
    // RFC 5769 pads text with spaces in §2.1-2.3 and with zeros in §2.4.
    std::uint8_t pad = t.contains("realm") ? 0x00 : 0x20;
    EXPECT_EQ(to_hex(reencode(*m, key, pad)), t["hex"].get<std::string>());
  }
}

TEST(Stun, VectorFieldsDecode) {
  json v = rfc5769()["vectors"];
  Bytes req = hex(v["2.1 sample request"]["hex"]);
  auto m = decode(req);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->method, method::binding);
  EXPECT_EQ(m->cls, Class::request);
  EXPECT_EQ(*m->text(attr::username), "evtj:h6vY");
  EXPECT_EQ(*m->text(attr::software), "STUN test client");
  EXPECT_EQ(*m->u32(0x0024), 0x6e0001ffu);  // PRIORITY
  // PRIORITY is an ICE attribute: comprehension-required and not ours.
  EXPECT_EQ(m->unknown_required(), std::vector<std::uint16_t>{0x0024});

  Bytes v4_raw = hex(v["2.2 sample IPv4 response"]["hex"]);
  auto v4 = decode(v4_raw);
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->cls, Class::success);
  EXPECT_EQ(v4->address(attr::xor_mapped_address)->to_string(), "192.0.2.1:32853");
  Bytes v6_raw = hex(v["2.3 sample IPv6 response"]["hex"]);
  auto v6 = decode(v6_raw);
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->address(attr::xor_mapped_address)->to_string(), "[2001:db8:1234:5678:11:2233:4455:6677]:32853");
}

TEST(Stun, TamperingBreaksIntegrityAndFingerprint) {
  Bytes req = hex(rfc5769()["vectors"]["2.1 sample request"]["hex"]);
  Bytes key = short_term_key("VOkJxbRl1RmTxUk/WvJxBt");
  req[30] ^= 0x01;  // inside SOFTWARE
  auto m = decode(req);
  ASSERT_TRUE(m);
  EXPECT_FALSE(verify_integrity(*m, key));
  EXPECT_FALSE(verify_fingerprint(*m));
}

TEST(Stun, BuilderRoundTripsTurnAttributes) {
  TransactionId tid{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  Bytes key = long_term_key("user", "wavry", "secret");
  Bytes payload = {0xde, 0xad, 0xbe, 0xef, 0x01};
  std::uint16_t unknown[] = {0x7777, 0x0031};
  Builder b(method::allocate, Class::error, tid);
  b.add_error_code(420, "Unknown Attribute")
      .add_unknown_attributes(unknown)
      .add_u32(attr::lifetime, 600)
      .add_requested_transport(17)
      .add_address(attr::xor_relayed_address, *Endpoint::parse("203.0.113.9:49152"))
      .add_address(attr::xor_peer_address, *Endpoint::parse("[2001:db8:0:0:0:0:0:1]:3478"))
      .add_address(attr::mapped_address, *Endpoint::parse("10.0.0.1:1"))
      .add_channel_number(0x4001)
      .add(attr::data, payload)
      .add_text(attr::realm, "wavry")
      .add_text(attr::nonce, "abcd")
      .add_message_integrity(key)
      .add_message_integrity_sha256(key)
      .add_fingerprint();
  Bytes wire = b.finish();
  auto m = decode(wire);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->method, method::allocate);
  EXPECT_EQ(m->cls, Class::error);
  EXPECT_EQ(m->transaction_id, tid);
  EXPECT_EQ(m->error_code()->code, 420);
  EXPECT_EQ(m->error_code()->reason, "Unknown Attribute");
  EXPECT_EQ(*m->unknown_attributes(), (std::vector<std::uint16_t>{0x7777, 0x0031}));
  EXPECT_EQ(*m->u32(attr::lifetime), 600u);
  EXPECT_EQ(*m->requested_transport(), 17);
  EXPECT_EQ(m->address(attr::xor_relayed_address)->to_string(), "203.0.113.9:49152");
  EXPECT_EQ(m->address(attr::xor_peer_address)->to_string(), "[2001:db8:0:0:0:0:0:1]:3478");
  EXPECT_EQ(m->address(attr::mapped_address)->to_string(), "10.0.0.1:1");
  EXPECT_EQ(*m->channel_number(), 0x4001);
  EXPECT_EQ(Bytes(m->data()->begin(), m->data()->end()), payload);
  EXPECT_TRUE(verify_integrity(*m, key));
  EXPECT_TRUE(verify_integrity_sha256(*m, key));
  EXPECT_TRUE(verify_fingerprint(*m));
}

TEST(Stun, MethodAndClassBitsInterleave) {
  TransactionId tid{};
  // ChannelBind success response is 0x0109; a Data indication 0x0017; an Allocate error 0x0113.
  EXPECT_EQ(to_hex(Builder(method::channel_bind, Class::success, tid).bytes().first(2)), "0109");
  EXPECT_EQ(to_hex(Builder(method::data, Class::indication, tid).bytes().first(2)), "0017");
  EXPECT_EQ(to_hex(Builder(method::allocate, Class::error, tid).bytes().first(2)), "0113");
  Bytes wire = Builder(method::create_permission, Class::success, tid).finish();
  auto m = decode(wire);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->method, method::create_permission);
  EXPECT_EQ(m->cls, Class::success);
}

TEST(Stun, MalformedInputIsRefusedWithAReason) {
  TransactionId tid{};
  Bytes good = Builder(method::binding, Class::request, tid).add_text(attr::software, "x").finish();
  DecodeError why{};
  Bytes short_one(good.begin(), good.begin() + 19);
  EXPECT_FALSE(decode(short_one, &why));
  EXPECT_EQ(why, DecodeError::too_short);
  Bytes bad = good;
  bad[4] = 0;  // cookie
  EXPECT_FALSE(decode(bad, &why));
  EXPECT_EQ(why, DecodeError::not_stun);
  bad = good;
  bad[0] |= 0x80;
  EXPECT_FALSE(decode(bad, &why));
  EXPECT_EQ(why, DecodeError::not_stun);
  bad = good;
  bad[3] += 4;  // length beyond the datagram
  EXPECT_FALSE(decode(bad, &why));
  EXPECT_EQ(why, DecodeError::bad_length);
  bad = good;
  bad[23] = 0x40;  // attribute length 64 in an 8-byte body
  EXPECT_FALSE(decode(bad, &why));
  EXPECT_EQ(why, DecodeError::truncated_attribute);
  Builder after(method::binding, Class::request, tid);
  after.add_fingerprint().add_text(attr::software, "late");
  EXPECT_FALSE(decode(after.bytes(), &why));
  EXPECT_EQ(why, DecodeError::fingerprint_not_last);
  Builder many(method::binding, Class::request, tid);
  for (std::size_t i = 0; i <= kMaxAttributes; ++i) many.add_u32(attr::lifetime, 1);
  EXPECT_FALSE(decode(many.bytes(), &why));
  EXPECT_EQ(why, DecodeError::too_many_attributes);
}

TEST(Stun, AttributesAfterIntegrityAreIgnoredAndUnknownRequiredReported) {
  TransactionId tid{};
  Bytes key = short_term_key("pw");
  Builder b(method::binding, Class::request, tid);
  b.add_u32(0x0031, 7).add_message_integrity(key).add_text(attr::software, "after").add_fingerprint();
  Bytes wire = b.finish();  // a Message views its datagram: keep it alive
  auto m = decode(wire);
  ASSERT_TRUE(m);
  EXPECT_FALSE(m->has(attr::software));
  EXPECT_TRUE(verify_integrity(*m, key));
  EXPECT_TRUE(verify_fingerprint(*m));
  EXPECT_EQ(m->unknown_required(), std::vector<std::uint16_t>{0x0031});
  // Malformed typed values read as absent.
  Builder odd(method::binding, Class::request, tid);
  odd.add(attr::xor_mapped_address, Bytes{0, 1, 0}).add(attr::error_code, Bytes{0, 0, 9, 0});
  Bytes odd_wire = odd.finish();
  auto o = decode(odd_wire);
  ASSERT_TRUE(o);
  EXPECT_FALSE(o->address(attr::xor_mapped_address));
  EXPECT_FALSE(o->error_code());
}

TEST(Stun, ChannelDataFraming) {
  Bytes data = {1, 2, 3, 4, 5};
  Bytes wire = encode_channel_data(0x4001, data);
  EXPECT_EQ(to_hex(wire), "400100050102030405");
  auto cd = decode_channel_data(wire);
  ASSERT_TRUE(cd);
  EXPECT_EQ(cd->channel, 0x4001);
  EXPECT_EQ(Bytes(cd->data.begin(), cd->data.end()), data);
  wire.insert(wire.end(), 3, 0);  // padding to 4 is allowed over UDP
  EXPECT_TRUE(decode_channel_data(wire));
  wire.push_back(0);  // beyond the padding is not
  EXPECT_FALSE(decode_channel_data(wire));
  EXPECT_FALSE(decode_channel_data(Bytes{0x40, 0x01, 0x00, 0x09, 1}));  // length beyond the datagram
  EXPECT_FALSE(decode_channel_data(Bytes{0x30, 0x01, 0x00, 0x00}));     // not a channel number
  EXPECT_FALSE(looks_like_stun(encode_channel_data(0x4000, data)));
}
