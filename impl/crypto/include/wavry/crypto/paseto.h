// PASETO v4.public: Ed25519 over PAE("v4.public.", message, footer, implicit).
// Token: "v4.public." base64url(message || sig) [ "." base64url(footer) ].
#pragma once

#include <string>

#include "wavry/core/error.h"
#include "wavry/crypto/identity.h"

namespace wavry::crypto {

inline constexpr std::size_t kMaxPasetoToken = 8192;

Bytes paseto_pae(std::span<const std::string_view> pieces);

std::string paseto_v4_sign(const Ed25519KeyPair& key, std::string_view message, std::string_view footer = {},
                           std::string_view implicit = {});

struct PasetoVerified {
  std::string message;
  std::string footer;
};

// Verifies with `pk`; the footer (if any) is returned, not trusted.
Result<PasetoVerified> paseto_v4_verify(const PublicKey& pk, std::string_view token, std::string_view implicit = {});
// The footer of a token without verifying it (to pick a key by id).
std::optional<std::string> paseto_v4_footer(std::string_view token);

}  // namespace wavry::crypto
