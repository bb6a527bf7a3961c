"""A stand-in for Prefect's docs MCP server (https://prefect-docs.fastmcp.app/mcp): fastmcp over Streamable HTTP with
the same tool, `search_prefect(query, top_k)`, answering `{query, namespace, results: [{snippet, id, score, title,
link}]}`. Every request's headers are appended to a JSON-lines file, so tests can prove what reached it.

    python fake_docs_server.py PORT HEADERS_FILE [--hang]

With --hang it accepts connections and never answers (a docs server that is up but stuck)."""
import asyncio
import json
import sys

import uvicorn
from fastmcp import FastMCP

port, headers_file = int(sys.argv[1]), sys.argv[2]
hang = "--hang" in sys.argv[3:]

mcp = FastMCP("Fake Prefect docs")


@mcp.tool
def search_prefect(query: str, top_k: int = 5) -> dict:
    """Search the (fake) Prefect docs."""
    results = [
        {
            "id": f"doc-{i}",
            "score": 1.0 - i / 10,
            "title": f"Work pools, part {i}",
            "link": f"https://docs.prefect.io/v3/concepts/work-pools#{i}",
            "snippet": f"Passage {i} about {query}: pause a work pool with prefect work-pool pause. " + "x" * (3000 if i == 0 else 10),
        }
        for i in range(top_k)
    ]
    return {"query": query, "namespace": "docs-v1", "results": results}


app = mcp.http_app(path="/mcp")


async def recording(scope, receive, send):
    if scope["type"] == "http":
        with open(headers_file, "a") as f:
            f.write(json.dumps({k.decode(): v.decode() for k, v in scope["headers"]}) + "\n")
        if hang:
            await asyncio.sleep(3600)
    await app(scope, receive, send)


uvicorn.run(recording, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
