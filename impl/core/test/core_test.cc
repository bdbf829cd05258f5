#include <gtest/gtest.h>

#include "wavry/core/bytes.h"
#include "wavry/core/endpoint.h"
#include "wavry/core/random.h"
#include "wavry/core/sans_io.h"
#include "wavry/core/time.h"
#include "wavry/core/uuid.h"

using namespace wavry;

TEST(Time, InstantArithmetic) {
  Instant a = Instant::from_nanos(1000);
  Instant b = a + 5ms;
  EXPECT_EQ((b - a), Duration(5'000'000));
  EXPECT_LT(a, b);
}

TEST(Time, Rfc3339RoundTrip) {
  UnixTime t = UnixTime::from_seconds(1770724800);  // 2026-02-10T12:00:00Z
  EXPECT_EQ(format_rfc3339(t), "2026-02-10T12:00:00Z");
  UnixTime back;
  ASSERT_TRUE(parse_rfc3339("2026-02-10T12:00:00Z", back));
  // Found by fuzz_paseto: years past 2262 overflowed 64-bit nanoseconds.
  UnixTime far;
  EXPECT_FALSE(parse_rfc3339("9999-12-31T23:59:59Z", far));
  EXPECT_TRUE(parse_rfc3339("2262-01-01T00:00:00Z", far));
  EXPECT_EQ(back, t);
  ASSERT_TRUE(parse_rfc3339("2026-02-10T13:00:00.5+01:00", back));
  EXPECT_EQ(back, t + 500ms);
  EXPECT_FALSE(parse_rfc3339("2026-02-10 12:00:00Z", back));
  EXPECT_FALSE(parse_rfc3339("2026-13-10T12:00:00Z", back));
  EXPECT_FALSE(parse_rfc3339("2026-02-10T12:00:00", back));
  EXPECT_FALSE(parse_rfc3339("", back));
}

TEST(Endpoint, ParseAndFormat) {
  auto e = Endpoint::parse("127.0.0.1:8080");
  ASSERT_TRUE(e);
  EXPECT_TRUE(e->ip.is_loopback());
  EXPECT_EQ(e->port, 8080);
  EXPECT_EQ(e->to_string(), "127.0.0.1:8080");
  auto v6 = Endpoint::parse("[::1]:0");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->ip.is_loopback());
  EXPECT_EQ(v6->to_string(), "[0:0:0:0:0:0:0:1]:0");
  EXPECT_TRUE(Endpoint::parse("0.0.0.0:1")->ip.is_unspecified());
  EXPECT_FALSE(Endpoint::parse("1.2.3:4"));
  EXPECT_FALSE(Endpoint::parse("1.2.3.4.5:6"));
  EXPECT_FALSE(Endpoint::parse("1.2.3.4.:6"));
  EXPECT_FALSE(Endpoint::parse(":6"));
  EXPECT_FALSE(Endpoint::parse("1.2.3.256:4"));
  EXPECT_FALSE(Endpoint::parse("1.2.3.4:65536"));
  EXPECT_FALSE(Endpoint::parse("1.2.3.4"));
  EXPECT_FALSE(Endpoint::parse("01.2.3.4:1"));
  EXPECT_FALSE(Endpoint::parse("[1:::2]:1"));
}

TEST(Random, SeededIsDeterministicAndDerivesIndependently) {
  SeededRandom a(7), b(7), c(8);
  EXPECT_EQ(a.next_u64(), b.next_u64());
  EXPECT_NE(SeededRandom(7).next_u64(), c.next_u64());
  SeededRandom base(7);
  EXPECT_EQ(base.derive(1).next_u64(), SeededRandom(7).derive(1).next_u64());
  EXPECT_NE(base.derive(1).next_u64(), base.derive(2).next_u64());
  for (int i = 0; i < 1000; ++i) EXPECT_LT(a.uniform(10), 10u);
}

TEST(Bytes, ReaderStopsAtEnd) {
  std::vector<std::uint8_t> buf;
  ByteWriter w(buf);
  w.u16(0x1234);
  w.u64(0x0102030405060708ull);
  ByteReader r(buf);
  EXPECT_EQ(r.u16(), 0x1234);
  EXPECT_EQ(r.u64(), 0x0102030405060708ull);
  EXPECT_TRUE(r.ok());
  r.u8();
  EXPECT_FALSE(r.ok());
  std::vector<std::uint8_t> out;
  EXPECT_TRUE(from_hex("00ff10", out));
  EXPECT_EQ(to_hex(out), "00ff10");
  EXPECT_FALSE(from_hex("0g", out));
  EXPECT_FALSE(from_hex("abc", out));
}

TEST(Uuid, RoundTrip) {
  SeededRandom rng(1);
  Uuid u = Uuid::random_v4(rng);
  auto parsed = Uuid::parse(u.to_string());
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, u);
  EXPECT_EQ(u.to_string()[14], '4');
  EXPECT_FALSE(Uuid::parse("not-a-uuid"));
  EXPECT_TRUE(Uuid{}.is_nil());
}

enum class Slot { kA, kB, kCount };
TEST(TimerSlots, EarliestAndTakeDue) {
  TimerSlots<Slot> t;
  EXPECT_FALSE(t.earliest());
  t.set(Slot::kB, Instant::from_nanos(10));
  t.set(Slot::kA, Instant::from_nanos(20));
  EXPECT_EQ(*t.earliest(), Instant::from_nanos(10));
  EXPECT_FALSE(t.take_due(Slot::kA, Instant::from_nanos(15)));
  EXPECT_TRUE(t.take_due(Slot::kB, Instant::from_nanos(15)));
  EXPECT_EQ(*t.earliest(), Instant::from_nanos(20));
}
