"""Writes jwt-vectors.json: public keys (JWK) and access tokens signed by real issuers' code (PyJWT on `cryptography`),
for every algorithm the resource server verifies, and the tokens and keys it must refuse. Run it again only to change
the vectors: .venv/bin/python Tests/MCPTests/Fixtures/make-jwt-vectors.py"""
import base64
import hashlib
import hmac
import json
import pathlib

import jwt
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

CLAIMS = {"iss": "https://auth.test", "sub": "ada", "aud": "https://mcp.test/mcp", "exp": 2000000060, "scope": "mcp:read"}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def public_jwk(key, kid, **extra):
    public = key.public_key()
    if isinstance(public, rsa.RSAPublicKey):
        jwk = RSAAlgorithm.to_jwk(public, as_dict=True)
    elif isinstance(public, ec.EllipticCurvePublicKey):
        jwk = ECAlgorithm.to_jwk(public, as_dict=True)
    else:
        jwk = OKPAlgorithm.to_jwk(public, as_dict=True)
    return {**jwk, "kid": kid, **extra}


rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
keys = {
    "rsa": rsa_key,
    "p256": ec.generate_private_key(ec.SECP256R1()),
    "p384": ec.generate_private_key(ec.SECP384R1()),
    "p521": ec.generate_private_key(ec.SECP521R1()),
    "ed25519": ed25519.Ed25519PrivateKey.generate(),
}
signers = {"RS256": "rsa", "RS384": "rsa", "RS512": "rsa", "PS256": "rsa", "PS384": "rsa", "PS512": "rsa",
           "ES256": "p256", "ES384": "p384", "ES512": "p521", "EdDSA": "ed25519"}
jwks = [public_jwk(key, kid) for kid, key in keys.items()]
jwks.append(public_jwk(rsa_key, "rsa-rs256-only", alg="RS256", use="sig"))

valid = {alg: jwt.encode(CLAIMS, keys[kid], algorithm=alg, headers={"kid": kid}) for alg, kid in signers.items()}
valid["RS256 without kid"] = jwt.encode(CLAIMS, rsa_key, algorithm="RS256")
valid["RS256 with the key's own alg"] = jwt.encode(CLAIMS, rsa_key, algorithm="RS256", headers={"kid": "rsa-rs256-only"})

good = valid["ES256"]
header, payload, signature = good.split(".")
stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
pem = rsa_key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
hs_header = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "rsa"}).encode())
hs_payload = b64(json.dumps(CLAIMS).encode())
hs_signature = b64(hmac.new(pem, f"{hs_header}.{hs_payload}".encode(), hashlib.sha256).digest())
der_signature = keys["p256"].sign(f"{header}.{payload}".encode(), ec.ECDSA(hashes.SHA256()))

refused = {
    "the token's signature does not verify": [
        f"{header}.{b64(json.dumps({**CLAIMS, 'scope': 'mcp:read mcp:write'}).encode())}.{signature}",
        jwt.encode(CLAIMS, stranger, algorithm="RS256", headers={"kid": "rsa"}),
        f"{header}.{payload}.{b64(der_signature)}",
        f"{header}.{payload}.{signature[:-4]}AAAA",
    ],
    "is signed with 'none'": [f"{b64(json.dumps({'alg': 'none', 'kid': 'rsa'}).encode())}.{payload}."],
    "is signed with 'HS256'": [f"{hs_header}.{hs_payload}.{hs_signature}"],
    "which its key is not for": [
        jwt.encode(CLAIMS, rsa_key, algorithm="RS256", headers={"kid": "p256"}),
        jwt.encode(CLAIMS, rsa_key, algorithm="PS256", headers={"kid": "rsa-rs256-only"}),
    ],
    "the token's key is not one the issuer publishes": [jwt.encode(CLAIMS, rsa_key, algorithm="RS256", headers={"kid": "nobody"})],
    "the token is malformed": [f"{header}.not*base64.{signature}", f"{header}.{b64(b'[1]')}.{signature}"],
    "the bearer token is not a JWT access token": ["not-a-jwt", f"{header}.{payload}", f"{b64(b'nope')}.{payload}.{signature}"],
}

small = rsa.generate_private_key(public_exponent=65537, key_size=1024)
point = public_jwk(keys["p256"], "off-curve")
x = bytearray(base64.urlsafe_b64decode(point["x"] + "=="))
x[-1] ^= 1
point["x"] = b64(bytes(x))
unusable = {
    "fewer than 2048": public_jwk(small, "rsa-1024"),
    "not on P-256": point,
    "not 'sig'": public_jwk(keys["p256"], "for-encryption", use="enc"),
    "not RSA, EC or OKP": {"kty": "oct", "k": b64(b"secret"), "kid": "shared"},
    "not P-256, P-384 or P-521": {**public_jwk(keys["p256"], "k1"), "crv": "secp256k1"},
}

out = pathlib.Path(__file__).with_name("jwt-vectors.json")
out.write_text(json.dumps({"claims": CLAIMS, "keys": jwks, "valid": valid, "refused": refused, "unusable": unusable}, indent=1) + "\n")
print(f"wrote {out}")
