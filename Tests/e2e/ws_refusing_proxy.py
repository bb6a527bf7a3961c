"""A reverse proxy that forwards HTTP to a Prefect server but refuses every websocket upgrade, as some corporate
proxies do, or (--silent) accepts it and then never forwards a message, as a buffering one might: the live feeds must
fall back to polling through it (Tests/IntegrationTests/StreamIntegrationTests).

    .venv/bin/python Tests/e2e/ws_refusing_proxy.py UPSTREAM_PORT [--silent]

Listens on a free loopback port and prints it on the first line of stdout; stops when stdin closes (the test ends)
or on SIGTERM. Each connection's first request head is read: an `Upgrade: websocket` gets `403 Forbidden` and the
connection is closed (--silent: `101`, then `auth_success` after the client's first frame, then nothing); anything
else is piped to 127.0.0.1:UPSTREAM_PORT both ways, unchanged.
"""
import asyncio
import base64
import hashlib
import sys

SILENT = "--silent" in sys.argv[2:]


async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        try:
            writer.close()
        except Exception:
            pass


async def silent_socket(head: bytes, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Accepts the upgrade, answers the auth message, then reads and drops everything until the client goes."""
    key = next(
        (line.split(":", 1)[1].strip() for line in head.decode("latin-1").split("\r\n") if line.lower().startswith("sec-websocket-key:")), ""
    )
    accept = base64.b64encode(hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()).decode()
    writer.write(
        (
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Accept: {accept}\r\nSec-WebSocket-Protocol: prefect\r\n\r\n"
        ).encode()
    )
    await writer.drain()
    try:
        await reader.read(65536)  # the auth frame
        payload = b'{"type":"auth_success"}'
        writer.write(bytes([0x81, len(payload)]) + payload)
        await writer.drain()
        while await reader.read(65536):
            pass
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


async def handle(client_reader, client_writer, upstream_port: int) -> None:
    try:
        head = await client_reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        client_writer.close()
        return
    lines = head.decode("latin-1").lower().split("\r\n")
    if any(line.startswith("upgrade:") and "websocket" in line for line in lines) and SILENT:
        await silent_socket(head, client_reader, client_writer)
        return
    if any(line.startswith("upgrade:") and "websocket" in line for line in lines):
        body = b"websockets are not allowed here\n"
        client_writer.write(
            b"HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n"
            + b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
        )
        await client_writer.drain()
        client_writer.close()
        return
    try:
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", upstream_port)
    except OSError:
        client_writer.close()
        return
    upstream_writer.write(head)
    await upstream_writer.drain()
    try:
        await asyncio.gather(pipe(client_reader, upstream_writer), pipe(upstream_reader, client_writer))
    except asyncio.CancelledError:
        pass  # the proxy is stopping


async def main() -> None:
    upstream_port = int(sys.argv[1])
    server = await asyncio.start_server(lambda r, w: handle(r, w, upstream_port), "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    loop = asyncio.get_running_loop()
    # Stop when the test closes our stdin (or dies).
    await loop.run_in_executor(None, sys.stdin.read)
    server.close()


if __name__ == "__main__":
    asyncio.run(main())
