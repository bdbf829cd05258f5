#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "wavry/core/bytes.h"
#include "wavry/crypto/aead.h"
#include "wavry/crypto/identity.h"
#include "wavry/crypto/noise.h"
#include "wavry/crypto/paseto.h"
#include "wavry/crypto/replay_window.h"

using namespace wavry;
using namespace wavry::crypto;
using nlohmann::json;

namespace {

json load_vectors(const std::string& rel) {
  std::ifstream f(std::string(WAVRY_SHARED_DIR) + "/vectors/" + rel);
  // Vectors must be present: a missing file is a failure, never a skip.
  EXPECT_TRUE(f.good()) << "missing vector file " << rel;
  return json::parse(f);
}

Bytes hex(const std::string& s) {
  Bytes b;
  EXPECT_TRUE(from_hex(s, b)) << s;
  return b;
}

Key32 key32(const std::string& s) {
  Bytes b = hex(s);
  Key32 k{};
  std::copy(b.begin(), b.end(), k.begin());
  return k;
}

}  // namespace

// The cacophony vector for our exact protocol name, byte for byte: every
// handshake message, the handshake hash, then transport messages on the
// Split() keys in alternating directions.
TEST(Noise, CacophonyXXVector) {
  json all = load_vectors("noise/cacophony_25519_chachapoly_blake2s.json");
  const json* v = nullptr;
  for (const auto& x : all["vectors"])
    if (x["protocol_name"] == "Noise_XX_25519_ChaChaPoly_BLAKE2s") v = &x;
  ASSERT_NE(v, nullptr) << "vector for Noise_XX_25519_ChaChaPoly_BLAKE2s not found";
  SeededRandom unused(0);
  NoiseXX init({true, X25519KeyPair::from_secret(key32((*v)["init_static"])),
                X25519KeyPair::from_secret(key32((*v)["init_ephemeral"])), hex((*v)["init_prologue"])},
               unused);
  NoiseXX resp({false, X25519KeyPair::from_secret(key32((*v)["resp_static"])),
                X25519KeyPair::from_secret(key32((*v)["resp_ephemeral"])), hex((*v)["resp_prologue"])},
               unused);
  const auto& msgs = (*v)["messages"];
  ASSERT_GE(msgs.size(), 4u);
  for (int i = 0; i < 3; ++i) {
    NoiseXX& w = (i % 2 == 0) ? init : resp;
    NoiseXX& r = (i % 2 == 0) ? resp : init;
    auto ct = w.write_message(hex(msgs[i]["payload"]));
    ASSERT_TRUE(ct) << ct.error().message;
    EXPECT_EQ(to_hex(*ct), msgs[i]["ciphertext"].get<std::string>()) << "handshake message " << i;
    auto pt = r.read_message(*ct);
    ASSERT_TRUE(pt) << pt.error().message;
    EXPECT_EQ(to_hex(*pt), msgs[i]["payload"].get<std::string>());
  }
  ASSERT_TRUE(init.is_complete());
  ASSERT_TRUE(resp.is_complete());
  EXPECT_EQ(to_hex(init.handshake_hash()), (*v)["handshake_hash"].get<std::string>());
  EXPECT_EQ(to_hex(resp.handshake_hash()), (*v)["handshake_hash"].get<std::string>());
  auto [i2r, r2i] = init.split();
  auto [ri2r, rr2i] = resp.split();
  for (std::size_t i = 3; i < msgs.size(); ++i) {
    bool from_init = (i % 2 == 0);
    CipherState& send = from_init ? i2r : rr2i;
    CipherState& recv = from_init ? ri2r : r2i;
    Bytes ct = send.encrypt_with_ad({}, hex(msgs[i]["payload"]));
    EXPECT_EQ(to_hex(ct), msgs[i]["ciphertext"].get<std::string>()) << "transport message " << i;
    auto pt = recv.decrypt_with_ad({}, ct);
    ASSERT_TRUE(pt);
  }
}

TEST(Noise, TamperedMessageFailsAndRandomKeysAgree) {
  SeededRandom rng(5);
  NoiseXX a({true, X25519KeyPair::generate(rng), std::nullopt, {}}, rng);
  NoiseXX b({false, X25519KeyPair::generate(rng), std::nullopt, {}}, rng);
  auto m1 = a.write_message({});
  ASSERT_TRUE(b.read_message(*m1));
  auto m2 = b.write_message({});
  Bytes bad = *m2;
  bad[40] ^= 1;
  NoiseXX a2 = a;
  EXPECT_FALSE(a2.read_message(bad));
  ASSERT_TRUE(a.read_message(*m2));
  auto m3 = a.write_message({});
  ASSERT_TRUE(b.read_message(*m3));
  EXPECT_EQ(a.split().first.key(), b.split().first.key());
  EXPECT_NE(a.split().first.key(), a.split().second.key());
  // Transport keys are not derivable from the public handshake hash.
  EXPECT_NE(a.split().first.key(), a.handshake_hash());
  EXPECT_FALSE(a.write_message({}));  // complete: nothing more to write
}

TEST(Aead, HeaderIsAuthenticated) {
  Key32 k{};
  k[0] = 1;
  Bytes aad = {1, 2, 3}, out;
  aead_seal(k, 9, aad, as_bytes("hello"), out);
  EXPECT_TRUE(aead_open(k, 9, aad, out));
  EXPECT_FALSE(aead_open(k, 10, aad, out));
  aad[0] = 7;
  EXPECT_FALSE(aead_open(k, 9, aad, out));
}

TEST(ReplayWindow, Rules) {
  ReplayWindow w;
  EXPECT_TRUE(w.check_and_commit(1));
  EXPECT_FALSE(w.check_and_commit(1));
  EXPECT_TRUE(w.check_and_commit(3));
  EXPECT_TRUE(w.check_and_commit(2));
  EXPECT_TRUE(w.check_and_commit(200));
  EXPECT_FALSE(w.check(72));  // 200 - 72 = 128: outside the window
  EXPECT_TRUE(w.check(73));
  EXPECT_TRUE(w.check_and_commit(73));
  EXPECT_FALSE(w.check(73));
}

TEST(Paseto, V4PublicVectors) {
  json all = load_vectors("paseto/v4.json");
  int checked = 0;
  for (const auto& t : all["tests"]) {
    std::string name = t["name"];
    if (!t.contains("public-key")) continue;  // v4.local cases belong to the local purpose
    PublicKey pk;
    Bytes pkb = hex(t["public-key"]);
    std::copy(pkb.begin(), pkb.end(), pk.begin());
    std::string token = t["token"];
    std::string implicit = t["implicit-assertion"];
    auto r = paseto_v4_verify(pk, token, implicit);
    if (t["expect-fail"].get<bool>()) {
      EXPECT_FALSE(r) << name;
    } else {
      ASSERT_TRUE(r) << name << ": " << r.error().message;
      EXPECT_EQ(r->message, t["payload"].get<std::string>()) << name;
      EXPECT_EQ(r->footer, t["footer"].get<std::string>()) << name;
      Bytes seed = hex(t["secret-key-seed"]);
      auto kp = Ed25519KeyPair::from_seed(std::span<const std::uint8_t, 32>(seed.data(), 32));
      EXPECT_EQ(paseto_v4_sign(kp, t["payload"].get<std::string>(), t["footer"].get<std::string>(), implicit), token)
          << name;
    }
    ++checked;
  }
  EXPECT_GE(checked, 3);
}

TEST(Identity, WavryIdAndKeyFiles) {
  SeededRandom rng(11);
  auto kp = Ed25519KeyPair::generate(rng);
  std::string id = wavry_id(kp.public_key());
  EXPECT_EQ(id.size(), 43u);
  EXPECT_EQ(*parse_wavry_id(id), kp.public_key());
  EXPECT_FALSE(parse_wavry_id(id + "A"));
  EXPECT_FALSE(parse_wavry_id(std::string(43, '!')));
  EXPECT_FALSE(base64url_decode("ab=="));
  // 43 characters carry 258 bits: the last two must be zero (canonical form).
  static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string noncanonical = id;
  noncanonical.back() = alphabet[alphabet.find(id.back()) ^ 1];
  EXPECT_FALSE(parse_wavry_id(noncanonical));
  EXPECT_FALSE(parse_wavry_id(id.substr(0, 42) + "="));

  char tmpl[] = "/tmp/wavry-id-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string prefix = std::string(tmpl) + "/k";
  ASSERT_TRUE(write_key_files(prefix, kp));
  struct stat st;
  ASSERT_EQ(stat((prefix + ".key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_FALSE(write_key_files(prefix, kp)) << "must refuse to overwrite an existing key";
  auto pk = read_public_key_file(prefix + ".pub");
  ASSERT_TRUE(pk);
  EXPECT_EQ(*pk, kp.public_key());
  auto back = read_private_key_file(prefix + ".key");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->public_key(), kp.public_key());
  EXPECT_FALSE(read_public_key_file(prefix + ".missing"));
  std::remove((prefix + ".key").c_str());
  std::remove((prefix + ".pub").c_str());
}
