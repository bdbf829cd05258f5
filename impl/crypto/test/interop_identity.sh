#!/usr/bin/env bash
# Interop: keys written by `wavry keygen` agree with OpenSSL's independent
# Ed25519 implementation, and the Wavry ID is base64url (no padding) of the
# public key as Python's standard library computes it.
set -euo pipefail
WAVRY="$1"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$WAVRY" keygen --output "$dir/id" > "$dir/keygen.txt"
[ "$(stat -c %a "$dir/id.key")" = "600" ] || { echo "private key mode is not 0600"; exit 1; }
# PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410), then OpenSSL derives the public key.
{ printf '\x30\x2e\x02\x01\x00\x30\x05\x06\x03\x2b\x65\x70\x04\x22\x04\x20'; cat "$dir/id.key"; } > "$dir/id.der"
openssl pkey -inform DER -in "$dir/id.der" -pubout -outform DER | tail -c 32 > "$dir/openssl.pub"
cmp "$dir/openssl.pub" "$dir/id.pub" || { echo "OpenSSL derives a different public key"; exit 1; }
# The ID matches Python's base64.
expected=$(python3 -c 'import base64,sys; print(base64.urlsafe_b64encode(open(sys.argv[1],"rb").read()).decode().rstrip("="))' "$dir/id.pub")
shown=$("$WAVRY" show-id --key "$dir/id.pub")
[ "$shown" = "$expected" ] || { echo "show-id printed $shown, expected $expected"; exit 1; }
grep -q "Wavry ID:    $expected" "$dir/keygen.txt" || { echo "keygen printed another ID"; exit 1; }
# Refuses to overwrite, and rejects a file that is not a key.
if "$WAVRY" keygen --output "$dir/id" > /dev/null 2>&1; then echo "keygen overwrote a key"; exit 1; fi
head -c 31 /dev/urandom > "$dir/short.pub"
if "$WAVRY" show-id --key "$dir/short.pub" > /dev/null 2>&1; then echo "show-id accepted a 31-byte key"; exit 1; fi
echo "interop identity: OK ($expected)"
