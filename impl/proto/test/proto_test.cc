#include <gtest/gtest.h>

#include "wavry/core/bytes.h"
#include "wavry/proto/control_api.h"
#include "wavry/proto/http_types.h"
#include "wavry/proto/lease_claims.h"
#include "wavry/proto/relay_packet.h"
#include "wavry/proto/rift_messages.h"
#include "wavry/proto/rift_packet.h"
#include "wavry/proto/signaling.h"

using namespace wavry;
using namespace wavry::proto;

TEST(Rift, Crc16KermitCheckValue) {
  EXPECT_EQ(crc16_kermit(as_bytes("123456789")), 0x2189);
}

TEST(Rift, KnownHeaderChecksums) {
  Bytes t;
  encode_rift_transport_header(t, 0x12345678, 1);
  EXPECT_EQ(to_hex(t), "524900011234567800000000000000019573");
  Bytes h;
  encode_rift_handshake_header(h, 0);
  EXPECT_EQ(h.size(), kRiftHandshakeHeader);
  EXPECT_EQ(h[28], 0xE6);
  EXPECT_EQ(h[29], 0x96);
}

TEST(Rift, ClassifiesAndRejects) {
  Bytes hs;
  encode_rift_handshake_header(hs, 0);
  hs.resize(hs.size() + 32, 0xAB);
  auto p = decode_rift(hs);
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->handshake);
  EXPECT_EQ(p->payload.size(), 32u);

  Bytes tr;
  encode_rift_transport_header(tr, 7, 42);
  tr.push_back(1);
  p = decode_rift(tr);
  ASSERT_TRUE(p);
  EXPECT_FALSE(p->handshake);
  EXPECT_EQ(p->session_alias, 7u);
  EXPECT_EQ(p->packet_id, 42u);

  RiftDecodeError why;
  tr[9] ^= 1;
  EXPECT_FALSE(decode_rift(tr, &why));
  EXPECT_EQ(why, RiftDecodeError::bad_checksum);
  tr[0] = 'X';
  EXPECT_FALSE(decode_rift(tr, &why));
  EXPECT_EQ(why, RiftDecodeError::bad_magic);
  EXPECT_FALSE(decode_rift(std::span(tr).first(5), &why));
  EXPECT_EQ(why, RiftDecodeError::too_short);
}

TEST(Relay, LeasePresentRoundTrip) {
  SeededRandom rng(3);
  Uuid s = Uuid::random_v4(rng);
  Bytes b = encode_lease_present(s, PeerRole::host, "v4.public.abc");
  auto h = decode_relay_header(b);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->type, RelayType::lease_present);
  EXPECT_EQ(h->session, s);
  auto lp = decode_lease_present(std::span(b).subspan(kRelayHeader));
  ASSERT_TRUE(lp);
  EXPECT_EQ(lp->role, PeerRole::host);
  EXPECT_EQ(lp->token, "v4.public.abc");
  // Trailing bytes after the token are refused: payloads are exact.
  Bytes longer = b;
  longer.push_back(0);
  EXPECT_FALSE(decode_lease_present(std::span(longer).subspan(kRelayHeader)));
  // A token length that runs past the datagram is refused.
  b[kRelayHeader + 2] = 0xFF;
  EXPECT_FALSE(decode_lease_present(std::span(b).subspan(kRelayHeader)));
  // A renewal carries the same payload: a fresh lease, never a bare header.
  Bytes renew = encode_lease_renew(s, PeerRole::client, "v4.public.fresh");
  EXPECT_EQ(decode_relay_header(renew)->type, RelayType::lease_renew);
  EXPECT_EQ(decode_lease_present(std::span(renew).subspan(kRelayHeader))->token, "v4.public.fresh");
  EXPECT_FALSE(decode_lease_present({})) << "a bare LEASE_RENEW header is refused";
  EXPECT_FALSE(decode_lease_ack(Bytes(17, 0)));
  EXPECT_FALSE(decode_lease_reject(Bytes{0, 1, 0}));
}

TEST(Relay, HeaderRejectsNilSessionUnknownTypeAndOversize) {
  Uuid nil;
  EXPECT_FALSE(decode_relay_header(encode_forward(nil, Bytes{1, 2})));
  SeededRandom rng(3);
  Uuid s = Uuid::random_v4(rng);
  Bytes b = encode_forward(s, Bytes{1, 2});
  b[2] = 0x7F;
  EXPECT_FALSE(decode_relay_header(b));
  EXPECT_FALSE(decode_relay_header(encode_forward(s, Bytes(1500, 0))));
  auto ack = encode_lease_ack(s, {123, 1, 2});
  auto a = decode_lease_ack(std::span(ack).subspan(kRelayHeader));
  ASSERT_TRUE(a);
  EXPECT_EQ(a->expires_unix_ms, 123u);
  auto rej = encode_lease_reject(s, RejectReason::wrong_relay);
  EXPECT_EQ(*decode_lease_reject(std::span(rej).subspan(kRelayHeader)), RejectReason::wrong_relay);
}

TEST(Signaling, ParsesAndSerializes) {
  auto m = parse_signal(R"({"type":"BIND","token":"devtoken-123456","name":"studio","role":"host"})");
  ASSERT_TRUE(m);
  auto& bind = std::get<SigBind>(*m);
  EXPECT_EQ(bind.role, PeerRole::host);
  auto again = parse_signal(serialize_signal(*m));
  ASSERT_TRUE(again);
  EXPECT_EQ(std::get<SigBind>(*again).name, "studio");
  auto why = [](std::string_view text) {
    SignalParseError e{};
    EXPECT_FALSE(parse_signal(text, &e)) << text.substr(0, 60);
    return e;
  };
  EXPECT_EQ(why("not json"), SignalParseError::not_an_object);
  EXPECT_EQ(why("[1,2]"), SignalParseError::not_an_object);
  EXPECT_EQ(why(R"({"name":"a"})"), SignalParseError::missing_type);
  EXPECT_EQ(why(R"({"type":"NOPE"})"), SignalParseError::unknown_type);
  EXPECT_EQ(why(R"({"type":"BIND","token":"x","name":"../etc"})"), SignalParseError::invalid_field);
  EXPECT_EQ(why(R"({"type":"BIND","token":5,"name":"a"})"), SignalParseError::invalid_field);
  EXPECT_EQ(why(std::string(70000, ' ')), SignalParseError::too_large);
  EXPECT_EQ(why("{\"type\":\"BIND\",\"name\":\"\xff\"}"), SignalParseError::not_an_object) << "invalid UTF-8";
}

TEST(LeaseClaims, RoundTripAndValidation) {
  SeededRandom rng(9);
  LeaseClaims c;
  c.sub = "studio";
  c.sid = Uuid::random_v4(rng);
  c.role = PeerRole::host;
  c.rid = "relay-1";
  c.kid = "k0011";
  c.iat = UnixTime::from_seconds(1'800'000'000);
  c.nbf = c.iat;
  c.exp = c.iat + 300s;
  auto back = lease_claims_from_json(lease_claims_to_json(c));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->sid, c.sid);
  EXPECT_EQ(back->exp, c.exp);
  EXPECT_EQ(back->role, PeerRole::host);
  EXPECT_FALSE(lease_claims_from_json(R"({"sub":"a"})"));
}

TEST(ControlApi, RegisterValidation) {
  EXPECT_TRUE(parse_relay_register(R"({"relay_id":"r1","endpoints":["127.0.0.1:4000"]})"));
  EXPECT_FALSE(parse_relay_register(R"({"relay_id":"r1","endpoints":[]})"));
  EXPECT_FALSE(parse_relay_register(R"({"relay_id":"r1","endpoints":["nohost"]})"));
  EXPECT_FALSE(parse_relay_heartbeat(R"({"relay_id":"r1","load_pct":101})"));
  EXPECT_EQ(bearer_token("Bearer  abc "), "abc");
  EXPECT_EQ(bearer_token("bearer abc"), "");
}

TEST(RiftMessages, RoundTripAndBound) {
  rift::Message m;
  m.mutable_control()->mutable_ping()->set_timestamp_us(42);
  auto b = encode_message(m);
  auto d = decode_message(b);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->control().ping().timestamp_us(), 42u);
  EXPECT_FALSE(decode_message(Bytes(2000, 0)));
  EXPECT_FALSE(decode_message(Bytes{0xFF, 0xFF, 0xFF}));
}

// Every oneof arm of every channel wrapper survives a round trip and lands on
// the channel of its wrapper; walked by reflection so a new arm is covered too.
TEST(RiftMessages, EveryArmRoundTripsOnItsChannel) {
  using google::protobuf::Message;
  struct Wrapper {
    const char* field;  // arm of rift::Message
    rift::Channel channel;
  };
  int arms = 0;
  for (Wrapper w : {Wrapper{"control", rift::CONTROL}, Wrapper{"input", rift::INPUT}, Wrapper{"media", rift::MEDIA}}) {
    const auto* top = rift::Message::descriptor()->FindFieldByName(w.field);
    ASSERT_NE(top, nullptr);
    const auto* wd = top->message_type();
    const auto* oneof = wd->oneof_decl(0);
    for (int i = 0; i < oneof->field_count(); ++i) {
      rift::Message m;
      Message* wrapper = m.GetReflection()->MutableMessage(&m, top);
      Message* arm = wrapper->GetReflection()->MutableMessage(wrapper, oneof->field(i));
      (void)arm;
      Bytes b = encode_message(m);
      auto d = decode_message(b);
      ASSERT_TRUE(d) << oneof->field(i)->full_name();
      EXPECT_EQ(*channel_of(*d), w.channel) << oneof->field(i)->full_name();
      const Message& dw = d->GetReflection()->GetMessage(*d, top);
      EXPECT_TRUE(dw.GetReflection()->HasField(dw, oneof->field(i))) << oneof->field(i)->full_name();
      ++arms;
    }
  }
  EXPECT_EQ(arms, 19 + 6 + 4);
}

// Field numbers are the wire contract (docs/protocol.md §2): pin a few bytes.
TEST(RiftMessages, GoldenBytes) {
  rift::Message hello;
  hello.mutable_control()->mutable_hello()->set_client_name("a");
  EXPECT_EQ(to_hex(encode_message(hello)), "0a050a030a0161");
  rift::Message motion;
  motion.mutable_input()->mutable_mouse_motion()->set_dx(1.0f);
  EXPECT_EQ(to_hex(encode_message(motion)), "12073a050d0000803f");
  rift::Message audio;
  audio.mutable_media()->mutable_audio()->set_payload("x");
  EXPECT_EQ(to_hex(encode_message(audio)), "1a051a03120178");
}

TEST(RiftMessages, EmptyMessageIsRefused) {
  EXPECT_FALSE(decode_message(Bytes{}));
  EXPECT_FALSE(channel_of(rift::Message{}));
}

TEST(ChannelQueue, ControlBeforeInputBeforeMediaFifoWithin) {
  ChannelQueue q(2);
  EXPECT_TRUE(q.push(rift::MEDIA, Bytes{1}));
  EXPECT_TRUE(q.push(rift::INPUT, Bytes{2}));
  EXPECT_TRUE(q.push(rift::MEDIA, Bytes{3}));
  EXPECT_FALSE(q.push(rift::MEDIA, Bytes{4})) << "per-channel bound";
  EXPECT_TRUE(q.push(rift::CONTROL, Bytes{5}));
  std::vector<int> order;
  while (auto p = q.pop()) order.push_back(p->second[0]);
  EXPECT_EQ(order, (std::vector<int>{5, 2, 1, 3}));
  EXPECT_TRUE(q.empty());
}
