"""`prefect-mcp doctor` against the real servers (open, secured with basic auth and CSRF) and against broken setups:
a port nothing listens on, a host that does not resolve, wrong credentials, a server that answers HTML, and TLS
servers whose certificates are self-signed, expired or for another name. Every failure names its check and a fix,
and the exit status is 0 only when nothing fails."""
import datetime
import http.server
import json
import os
import socket
import ssl
import subprocess
import threading

import pytest

from conftest import BINARY


def doctor(env, *args, home="/nonexistent"):
    return subprocess.run([BINARY, "doctor", *args], env={"PATH": "/usr/bin:/bin", "HOME": home, "LANG": "C.UTF-8", **env},
                          capture_output=True, text=True, timeout=90)


def checks(result) -> dict:
    """The checks of a `doctor --json` run, by name (the last of a name wins; `assistant` may repeat)."""
    return {check["name"]: check for check in json.loads(result.stdout)}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Serving:
    """A tiny HTTP(S) server on a free loopback port answering every GET with `body`."""

    def __init__(self, body: bytes, content_type: str, context: ssl.SSLContext | None = None):
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if context:
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def certificate(tmp_path, name: str, days_from: int, days_to: int, dns: str):
    """A self-signed certificate for `dns`, valid from `days_from` to `days_to` days from now; an SSL context serving it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, dns)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now + datetime.timedelta(days=days_from))
            .not_valid_after(now + datetime.timedelta(days=days_to))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(dns)]), critical=False).sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / f"{name}.pem", tmp_path / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    return context


def test_the_open_server_passes_every_check(api_url):
    result = doctor({"PREFECT_API_URL": api_url}, "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    found = checks(result)
    for name in ["settings", "DNS", "TCP", "API", "auth", "version", "clock", "CSRF", "websocket"]:
        assert found[name]["status"] == "pass", found[name]
    assert found["TLS"]["status"] == "skip" and "http" in found["TLS"]["detail"]
    assert "env PREFECT_API_URL" in found["settings"]["detail"] and "supported" in found["version"]["detail"]
    text = doctor({"PREFECT_API_URL": api_url})
    assert text.returncode == 0 and text.stdout.rstrip().endswith("all checks passed")


def test_the_secured_server_names_a_wrong_credential_and_its_source():
    url, auth = os.environ["PREFECT_MCP_TEST_SECURED_API_URL"], os.environ["PREFECT_MCP_TEST_SECURED_AUTH_STRING"]
    good = doctor({"PREFECT_API_URL": url, "PREFECT_API_AUTH_STRING": auth}, "--json")
    assert good.returncode == 0, good.stdout
    assert "CSRF" in checks(good) and checks(good)["CSRF"]["status"] == "pass"
    assert auth not in good.stdout + good.stderr, "the auth string is never printed"

    wrong = doctor({"PREFECT_API_URL": url, "PREFECT_API_AUTH_STRING": "admin:wrong"}, "--json")
    assert wrong.returncode == 1
    found = checks(wrong)
    assert found["auth"]["status"] == "fail" and "401" in found["auth"]["detail"]
    assert "PREFECT_API_AUTH_STRING" in found["auth"]["fix"] and found["version"]["status"] == "skip"
    none = checks(doctor({"PREFECT_API_URL": url}, "--json"))
    assert none["auth"]["status"] == "fail" and "wants a credential" in none["auth"]["fix"]


def test_nothing_listening_and_a_name_that_does_not_resolve():
    port = free_port()
    result = doctor({"PREFECT_API_URL": f"http://127.0.0.1:{port}/api"}, "--json")
    assert result.returncode == 1
    found = checks(result)
    assert found["TCP"]["status"] == "fail" and f"127.0.0.1:{port}" in found["TCP"]["detail"] and "prefect server start" in found["TCP"]["fix"]
    assert found["API"]["status"] == "skip" and found["websocket"]["status"] == "skip"
    text = doctor({"PREFECT_API_URL": f"http://127.0.0.1:{port}/api"}).stdout
    assert "FAIL  TCP" in text and "fix: start the server" in text and text.rstrip().endswith("1 check failed")

    unresolved = checks(doctor({"PREFECT_API_URL": "http://no-such-host.invalid:4200/api"}, "--json"))
    assert unresolved["DNS"]["status"] == "fail" and "no-such-host.invalid" in unresolved["DNS"]["detail"]


def test_a_web_page_at_the_url_is_not_the_api():
    page = Serving(b"<!doctype html><html><body>Prefect UI</body></html>", "text/html")
    try:
        result = doctor({"PREFECT_API_URL": f"http://127.0.0.1:{page.port}"}, "--json")
        assert result.returncode == 1
        found = checks(result)
        assert found["API"]["status"] == "fail" and "web page" in found["API"]["detail"] and "/api" in found["API"]["fix"]
    finally:
        page.close()


@pytest.mark.parametrize("kind,days_from,days_to,dns,expected", [
    ("self-signed", -1, 30, "localhost", "self-signed"),
    ("expired", -30, -1, "localhost", "expired on"),
    ("other-name", -1, 30, "other.example", "is for other.example, not localhost"),
])
def test_tls_names_the_certificates_problem(tmp_path, kind, days_from, days_to, dns, expected):
    server = Serving(b"true", "application/json", certificate(tmp_path, kind, days_from, days_to, dns))
    try:
        result = doctor({"PREFECT_API_URL": f"https://localhost:{server.port}/api"}, "--json")
        assert result.returncode == 1, result.stdout
        found = checks(result)
        assert found["TLS"]["status"] == "fail" and expected in found["TLS"]["detail"], found["TLS"]
        assert "PREFECT_API_TLS_INSECURE_SKIP_VERIFY" in found["TLS"]["fix"] and found["API"]["status"] == "skip"
        skipped = checks(doctor({"PREFECT_API_URL": f"https://localhost:{server.port}/api", "PREFECT_API_TLS_INSECURE_SKIP_VERIFY": "true"}, "--json"))
        assert skipped["TLS"]["status"] == "warn" and skipped["API"]["status"] == "pass"
    finally:
        server.close()


def test_assistant_configs_that_start_this_binary_or_another(tmp_path, api_url):
    home = tmp_path / "home"
    (home / ".cursor").mkdir(parents=True)
    (home / ".cursor/mcp.json").write_text(json.dumps({"mcpServers": {"prefect": {"command": os.path.realpath(BINARY), "args": ["mcp"]}}}))
    (home / ".gemini").mkdir()
    (home / ".gemini/settings.json").write_text(json.dumps({"mcpServers": {"prefect": {"command": "/gone/prefect-mcp", "args": ["mcp"]}}}))
    result = doctor({"PREFECT_API_URL": api_url}, home=str(home))
    assert result.returncode == 1, result.stdout
    assert "cursor (user)" in result.stdout and "starts this binary" in result.stdout
    assert "gemini (user)" in result.stdout and "/gone/prefect-mcp, which is not there" in result.stdout
    assert "fix: prefect-mcp setup gemini --scope user" in result.stdout


def test_no_settings_at_all_is_a_failed_check_with_its_fix(tmp_path):
    result = doctor({}, home=str(tmp_path))
    assert result.returncode == 1
    assert "FAIL  settings" in result.stdout and "fix: pass --api-url URL or --profile NAME" in result.stdout
