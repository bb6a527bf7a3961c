"""A reverse proxy that forwards HTTP to a Prefect server but refuses every websocket upgrade, as some corporate
proxies do: the live feeds must fall back to polling through it (Tests/IntegrationTests/StreamIntegrationTests).

    .venv/bin/python Tests/e2e/ws_refusing_proxy.py UPSTREAM_PORT

Listens on a free loopback port and prints it on the first line of stdout; stops when stdin closes (the test ends)
or on SIGTERM. Each connection's first request head is read: an `Upgrade: websocket` gets `403 Forbidden` and the
connection is closed; anything else is piped to 127.0.0.1:UPSTREAM_PORT both ways, unchanged.
"""
import asyncio
import sys


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


async def handle(client_reader, client_writer, upstream_port: int) -> None:
    try:
        head = await client_reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        client_writer.close()
        return
    lines = head.decode("latin-1").lower().split("\r\n")
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
