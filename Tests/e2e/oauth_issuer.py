"""A local OAuth 2.1 authorization server for the tests, as far as a resource server sees one: RFC 8414 metadata and a
key set (JWKS) served over HTTP on a free loopback port, with RSA keys generated when it starts. `token(...)` mints
access tokens the way a real issuer signs them (RS256, `kid` in the header); `rotate()` publishes a new key."""
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm


class Issuer:
    def __init__(self):
        self.keys = {}  # kid -> private key, all published
        self.current = self._new_key()
        self.jwks_fetches = 0
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path == "/.well-known/oauth-authorization-server":
                    body = {"issuer": issuer.url, "jwks_uri": issuer.url + "/jwks", "token_endpoint": issuer.url + "/token",
                            "response_types_supported": ["code"], "code_challenge_methods_supported": ["S256"]}
                elif self.path == "/jwks":
                    issuer.jwks_fetches += 1
                    body = {"keys": [issuer.jwk(kid) for kid in issuer.keys]}
                else:
                    self.send_error(404)
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _new_key(self):
        kid = uuid.uuid4().hex[:12]
        self.keys[kid] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return kid

    def jwk(self, kid):
        key = RSAAlgorithm.to_jwk(self.keys[kid].public_key(), as_dict=True)
        return {**key, "kid": kid, "alg": "RS256", "use": "sig"}

    def rotate(self) -> str:
        """A new signing key, published from now on beside the old ones."""
        self.current = self._new_key()
        return self.current

    def token(self, audience, scope="mcp:read", lifetime=300, not_before=None, issuer=None, kid=None, key=None, **claims):
        now = int(time.time())
        payload = {"iss": issuer or self.url, "sub": "user-ada", "aud": audience, "iat": now, "exp": now + lifetime,
                   "scope": scope, "client_id": "test-client", **claims}
        if not_before is not None:
            payload["nbf"] = now + not_before
        kid = kid or self.current
        return jwt.encode(payload, key or self.keys[kid], algorithm="RS256", headers={"kid": kid})

    def close(self):
        self.server.shutdown()
