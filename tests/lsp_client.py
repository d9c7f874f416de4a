"""A small Language Server Protocol client over stdio, for yaml-language-server (the engine
of VS Code's YAML extension): open a file, read its diagnostics, ask for hover and
completion, as an editor would.

The server is the npm package, installed by .ci/run into the checkout's git-ignored
`.node/` folder (or found on PATH); `server_command()` is None when it is not there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any, Optional

ROOT = Path(__file__).resolve().parent.parent
LOCAL = ROOT / ".node" / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"

SETTINGS = {
    "yaml": {
        "validate": True,
        "hover": True,
        "completion": True,
        "format": {"enable": False},
        "schemaStore": {"enable": False},  # offline: never fetch a schema catalogue
        "schemas": {},
        "yamlVersion": "1.2",
    }
}


def server_command() -> Optional[list[str]]:
    """How to start the server: SCR_AUDIT_YLS (a path to its bin script) if set, else the
    checkout's .node/ install, else one on PATH."""
    node = shutil.which("node")
    if node is None:
        return None
    chosen = os.environ.get("SCR_AUDIT_YLS")
    if chosen:
        return [node, chosen, "--stdio"]
    if LOCAL.exists():
        return [node, str(LOCAL), "--stdio"]
    found = shutil.which("yaml-language-server")
    return [found, "--stdio"] if found else None


def missing_reason() -> str:
    if shutil.which("node") is None:
        return "node is not installed (.ci/run installs nodejs and npm with apt-get)"
    return "yaml-language-server is not installed (.ci/run runs npm install --prefix .node yaml-language-server)"


class LanguageServer:
    """One running yaml-language-server; use as a context manager."""

    def __init__(self, root: Path) -> None:
        command = server_command()
        assert command is not None, missing_reason()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("HTTP", "http", "NODE_OPTIONS"))}
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        self._id = 0
        self._responses: dict[int, Any] = {}
        self._diagnostics: dict[str, list[dict]] = {}
        self._versions: dict[str, int] = {}
        self._lock = threading.Condition()
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._reader.start()
        self.request("initialize", {
            "processId": os.getpid(),
            "rootUri": root.as_uri(),
            "capabilities": {
                "textDocument": {
                    "publishDiagnostics": {"relatedInformation": False},
                    "hover": {"contentFormat": ["markdown", "plaintext"]},
                    "completion": {"completionItem": {"snippetSupport": False}},
                },
                "workspace": {"configuration": True, "didChangeConfiguration": {"dynamicRegistration": True}},
            },
            "initializationOptions": {},
        })
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": SETTINGS})

    # ---------------------------------------------------------------- the protocol

    def _send(self, message: dict) -> None:
        body = json.dumps(message).encode("utf-8")
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params: Any, timeout: float = 60) -> Any:
        with self._lock:
            self._id += 1
            rid = self._id
        self._send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        with self._lock:
            while rid not in self._responses:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no answer to {method}")
                self._lock.wait(left)
            return self._responses.pop(rid)

    def _read_loop(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode("ascii").partition(":")
                headers[name.lower()] = value.strip()
            body = out.read(int(headers["content-length"]))
            message = json.loads(body)
            if "method" in message and "id" in message:  # a request from the server
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": self._answer(message)})
            elif "method" in message:
                if message["method"] == "textDocument/publishDiagnostics":
                    with self._lock:
                        self._diagnostics[message["params"]["uri"]] = message["params"]["diagnostics"]
                        self._lock.notify_all()
            else:
                with self._lock:
                    self._responses[message["id"]] = message.get("result", message.get("error"))
                    self._lock.notify_all()

    @staticmethod
    def _answer(message: dict) -> Any:
        if message["method"] == "workspace/configuration":
            return [SETTINGS.get(item.get("section", ""), SETTINGS["yaml"]) if item.get("section") != "yaml" else SETTINGS["yaml"]
                    for item in message["params"]["items"]]
        return None

    # ---------------------------------------------------------------- what an editor does

    def open(self, path: Path, text: Optional[str] = None, timeout: float = 60) -> list[dict]:
        """Open `path` and wait for its diagnostics."""
        uri = path.resolve().as_uri()
        text = path.read_text(encoding="utf-8") if text is None else text
        with self._lock:
            self._diagnostics.pop(uri, None)
        self._versions[uri] = 1
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}})
        deadline = time.monotonic() + timeout
        with self._lock:
            while uri not in self._diagnostics:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no diagnostics for {path}")
                self._lock.wait(left)
            return self._diagnostics[uri]

    def close(self, path: Path) -> None:
        self.notify("textDocument/didClose", {"textDocument": {"uri": path.resolve().as_uri()}})

    def hover(self, path: Path, line: int, character: int) -> str:
        result = self.request("textDocument/hover", {"textDocument": {"uri": path.resolve().as_uri()}, "position": {"line": line, "character": character}})
        if not result:
            return ""
        contents = result.get("contents")
        if isinstance(contents, dict):
            return contents.get("value", "")
        if isinstance(contents, list):
            return "\n".join(c.get("value", "") if isinstance(c, dict) else str(c) for c in contents)
        return str(contents or "")

    def completion(self, path: Path, line: int, character: int) -> list[str]:
        result = self.request("textDocument/completion", {"textDocument": {"uri": path.resolve().as_uri()}, "position": {"line": line, "character": character}})
        items = result.get("items", []) if isinstance(result, dict) else (result or [])
        return [item.get("label") for item in items]

    def __enter__(self) -> "LanguageServer":
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.request("shutdown", None, timeout=10)
            self.notify("exit", None)
            self.proc.wait(timeout=10)
        except Exception:  # noqa: BLE001 - a server that will not stop is stopped
            self.proc.kill()
            self.proc.wait()
