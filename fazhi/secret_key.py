"""`python -m fazhi.secret_key` (run by `make demo`): writes a random secret key to DATA_DIR/secret_key
(mode 0600) unless FAZHI_SECRET_KEY is set or the file exists, so a local demo starts with FAZHI_DEBUG=0
and keeps its sessions across restarts. Production sets FAZHI_SECRET_KEY or FAZHI_SECRET_KEY_FILE itself.
Runs without Django settings (which refuse to load without a key)."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path


def ensure_key_file(data_dir: Path) -> Path | None:
    if os.environ.get("FAZHI_SECRET_KEY") or os.environ.get("FAZHI_SECRET_KEY_FILE"):
        return None
    path = data_dir / "secret_key"
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path  # reused: sessions and signed links survive a restart
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(secrets.token_urlsafe(50) + "\n")
    return path


def main() -> None:
    path = ensure_key_file(Path(os.environ.get("FAZHI_DATA_DIR", "./data")).resolve())
    if path is not None:
        print(f"密钥文件：{path}", file=sys.stderr)


if __name__ == "__main__":
    main()
