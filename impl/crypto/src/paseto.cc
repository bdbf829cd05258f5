#include "wavry/crypto/paseto.h"

#include <array>

namespace wavry::crypto {
namespace {

constexpr std::string_view kHeader = "v4.public.";

void le64(Bytes& out, std::uint64_t n) {
  for (int i = 0; i < 8; ++i) {
    std::uint8_t b = static_cast<std::uint8_t>(n >> (8 * i));
    if (i == 7) b &= 0x7F;  // PAE clears the top bit
    out.push_back(b);
  }
}

struct Parts {
  std::string_view body, footer;
};

std::optional<Parts> split_token(std::string_view token) {
  if (token.size() > kMaxPasetoToken || !token.starts_with(kHeader)) return std::nullopt;
  std::string_view rest = token.substr(kHeader.size());
  Parts p;
  std::size_t dot = rest.find('.');
  if (dot == std::string_view::npos) {
    p.body = rest;
  } else {
    p.body = rest.substr(0, dot);
    p.footer = rest.substr(dot + 1);
    if (p.footer.empty() || p.footer.find('.') != std::string_view::npos) return std::nullopt;
  }
  return p;
}

}  // namespace

Bytes paseto_pae(std::span<const std::string_view> pieces) {
  Bytes out;
  le64(out, pieces.size());
  for (auto p : pieces) {
    le64(out, p.size());
    out.insert(out.end(), p.begin(), p.end());
  }
  return out;
}

std::string paseto_v4_sign(const Ed25519KeyPair& key, std::string_view message, std::string_view footer,
                           std::string_view implicit) {
  std::array<std::string_view, 4> pieces{kHeader, message, footer, implicit};
  Signature sig = key.sign(paseto_pae(pieces));
  Bytes body(message.begin(), message.end());
  body.insert(body.end(), sig.begin(), sig.end());
  std::string token(kHeader);
  token += base64url_encode(body);
  if (!footer.empty()) {
    token += '.';
    token += base64url_encode(std::span(reinterpret_cast<const std::uint8_t*>(footer.data()), footer.size()));
  }
  return token;
}

std::optional<std::string> paseto_v4_footer(std::string_view token) {
  auto parts = split_token(token);
  if (!parts) return std::nullopt;
  if (parts->footer.empty()) return std::string();
  auto f = base64url_decode(parts->footer);
  if (!f) return std::nullopt;
  return std::string(f->begin(), f->end());
}

Result<PasetoVerified> paseto_v4_verify(const PublicKey& pk, std::string_view token, std::string_view implicit) {
  auto parts = split_token(token);
  if (!parts) return make_error(Errc::invalid_argument, "not a v4.public token");
  auto body = base64url_decode(parts->body);
  if (!body || body->size() < 64) return make_error(Errc::invalid_argument, "token body is not valid base64url");
  std::string footer;
  if (!parts->footer.empty()) {
    auto f = base64url_decode(parts->footer);
    if (!f) return make_error(Errc::invalid_argument, "token footer is not valid base64url");
    footer.assign(f->begin(), f->end());
  }
  std::string message(body->begin(), body->end() - 64);
  Signature sig;
  std::copy(body->end() - 64, body->end(), sig.begin());
  std::array<std::string_view, 4> pieces{kHeader, message, footer, implicit};
  if (!ed25519_verify(pk, paseto_pae(pieces), sig)) return make_error(Errc::crypto, "signature does not verify");
  return PasetoVerified{std::move(message), std::move(footer)};
}

}  // namespace wavry::crypto
