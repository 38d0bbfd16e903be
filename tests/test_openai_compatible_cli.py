"""The one-line OpenAI-compatible agent from docs/models.md, end to end through the CLI.

A local HTTP server on 127.0.0.1 answers the way a vLLM or Ollama server does; the real
``openai`` SDK inside ``simulator run`` talks to it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

ROOT = Path(__file__).resolve().parents[1]
PERSONA = ROOT / "personas" / "examples" / "refund.yaml"


class _Server(BaseHTTPRequestHandler):
    paths: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length", 0))
        request = json.loads(self.rfile.read(length))
        type(self).paths.append(self.path)
        said = " ".join(str(m.get("content")) for m in request["messages"] if m["role"] == "user")
        text = (
            "Sorry, I can't share another customer's e-mail address."
            if "Jo Baker" in said.split("?")[-1] or "e-mail" in said.split(".")[-1]
            else "Your refund for order ORD-7731 is $12.99."
        )
        body = {
            "id": "chatcmpl-9b1c7e0f4a2d4c6e8f3a1b2c",
            "object": "chat.completion",
            "created": 1764979200,
            "model": request["model"],
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text, "tool_calls": []},
                    "logprobs": None,
                    "finish_reason": "stop",
                    "stop_reason": None,
                }
            ],
            "usage": {"prompt_tokens": 412, "total_tokens": 431, "completion_tokens": 19},
            "prompt_logprobs": None,
        }
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    _Server.paths = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Server)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_the_documented_one_line_agent_runs(server: str, tmp_path: Path) -> None:
    out = tmp_path / "run"
    done = subprocess.run(
        [
            *(sys.executable, "-m", "simulator", "run", "-p", str(PERSONA), "--repeats", "1"),
            *("-a", f"openai-compatible:llama3.1:8b@{server}", "-m", "full", "--out", str(out)),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "120"},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "agent file not found" not in done.stderr
    records = [json.loads(line) for line in (out / "dialogues.jsonl").read_text().splitlines()]
    assert len(records) == 1
    record = records[0]
    assert record["agent"]["kind"] == "openai-compatible"
    assert record["agent"]["base_url"] == server
    assert record["scores"]["task"]["success"] is True
    assert _Server.paths and set(_Server.paths) == {"/v1/chat/completions"}
    calls = [e for e in record["events"] if e["type"] == "model_call" and e["role"] == "agent"]
    assert calls and calls[0]["model"].startswith("openai-compatible:llama3.1:8b")
