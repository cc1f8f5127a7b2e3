#!/usr/bin/env python3
"""Assemble and run a local Apache Solr 9 (Jetty 10) for CKAN, from Maven Central.

Stdlib-only. CLI (``start|status|stop|selftest``, see ``--help``) and module
(:func:`ensure_started`, :func:`stop`, :func:`status`, :func:`selftest`).
Layout: ``CACHE/m2`` + ``CACHE/lib-<version>`` (classpath); ``HOME/solr.xml``,
``HOME/<core>/{core.properties,conf,data}``, ``HOME/etc`` (jetty, log4j2),
``HOME/webapp/WEB-INF/web.xml``, ``HOME/logs/solr.log``, ``HOME/solr-console.log``
(JVM stdout/stderr) and ``HOME/solr.pid``.
"""
from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

CONFIG_DIR = Path(__file__).resolve().parent.parent / "config" / "solr"
POM = CONFIG_DIR / "pom.xml"
READY_TIMEOUT = 120.0
STOP_TIMEOUT = 30.0
_HTTP = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never proxy


class SolrError(RuntimeError):
    """Raised when Solr cannot be assembled, started, or stopped."""


def log(msg: str) -> None:
    """Print a progress line on stderr (stdout is kept for results)."""
    print(f"[solr] {msg}", file=sys.stderr, flush=True)


def solr_version(pom: Path = POM) -> str:
    """Return the Solr version pinned in ``config/solr/pom.xml``."""
    match = re.search(r"<solr\.version>([^<]+)</solr\.version>", pom.read_text("utf-8"))
    if not match:
        raise SolrError(f"no <solr.version> in {pom}")
    return match.group(1).strip()


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def assemble(cache: Path) -> Path:
    """Resolve the Solr/Jetty jars into ``cache/lib-<version>``; idempotent.

    A marker file records the version and the pom digest, so editing the pom
    re-assembles. Prints the size of the assembled classpath once.
    """
    version = solr_version()
    lib = cache / f"lib-{version}"
    marker = lib / ".assembled"
    stamp = f"{version} {hashlib.sha256(POM.read_bytes()).hexdigest()}\n"
    if marker.is_file() and marker.read_text() == stamp:
        return lib
    mvn = shutil.which("mvn")
    if not mvn:
        raise SolrError("Maven (mvn) not found on PATH; needed once to assemble Solr")
    tmp = cache / f"lib-{version}.partial"
    shutil.rmtree(tmp, ignore_errors=True)
    cache.mkdir(parents=True, exist_ok=True)
    log(f"assembling Solr {version} from Maven Central into {lib} ...")
    started = time.monotonic()
    cmd = [mvn, "-B", "-q", "-f", str(POM), "dependency:copy-dependencies",
           "-DincludeScope=runtime", f"-DoutputDirectory={tmp}",
           f"-Dmaven.repo.local={cache / 'm2'}"]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0 or not any(tmp.glob("solr-core-*.jar")):
        raise SolrError("maven failed:\n" + (res.stdout + res.stderr)[-4000:])
    shutil.rmtree(lib, ignore_errors=True)
    tmp.rename(lib)
    marker.write_text(stamp)
    jars = len(list(lib.glob("*.jar")))
    log(f"assembled {jars} jars, {_dir_size(lib) / 2**20:.1f} MiB in {lib} "
        f"(maven repo {_dir_size(cache / 'm2') / 2**20:.1f} MiB) "
        f"in {time.monotonic() - started:.0f}s")
    return lib


def find_ckan_schema() -> Path:
    """Locate ``ckan/config/solr/schema.xml`` of the installed CKAN package."""
    code = "import ckan, os; print(os.path.dirname(ckan.__file__))"
    venv_py = CONFIG_DIR.parent.parent / ".venv" / "bin" / "python"
    for python in (sys.executable, str(venv_py)):
        if not Path(python).exists():
            continue
        res = subprocess.run([python, "-c", code], capture_output=True, text=True)
        schema = Path(res.stdout.strip() or "/nonexistent") / "config" / "solr" / "schema.xml"
        if res.returncode == 0 and schema.is_file():
            return schema
    raise SolrError("cannot find CKAN's solr schema.xml; pass --schema PATH")


def _sync(src: bytes | Path, dest: Path) -> bool:
    """Write ``src`` to ``dest`` unless identical; return True when changed."""
    data = src.read_bytes() if isinstance(src, Path) else src
    if dest.is_file() and dest.read_bytes() == data:
        return False
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(dest)
    return True


def write_home(home: Path, cores: Sequence[str], schema: Path) -> list[str]:
    """Write the Solr home; keep index data. Return the cores whose config changed."""
    _sync(CONFIG_DIR / "solr.xml", home / "solr.xml")
    _sync(CONFIG_DIR / "web.xml", home / "webapp" / "WEB-INF" / "web.xml")
    _sync(CONFIG_DIR / "jetty.xml", home / "etc" / "jetty.xml")
    _sync(CONFIG_DIR / "log4j2.xml", home / "etc" / "log4j2.xml")
    for sub in ("logs", "tmp"):
        (home / sub).mkdir(exist_ok=True)
    schema_bytes = schema.read_bytes()
    # resource files the schema refers to (synonyms.txt, protwords.txt, ...)
    resources = sorted(set(re.findall(rb'"([\w.-]+\.txt)"', schema_bytes)))
    changed: list[str] = []
    for core in cores:
        if not re.fullmatch(r"[A-Za-z0-9_.-]+", core):
            raise SolrError(f"invalid core name {core!r}")
        conf = home / core / "conf"
        dirty = _sync(f"name={core}\n".encode(), home / core / "core.properties")
        dirty |= _sync(CONFIG_DIR / "solrconfig.xml", conf / "solrconfig.xml")
        dirty |= _sync(schema_bytes, conf / "schema.xml")
        for name in resources:
            res = conf / name.decode()
            if not res.exists():  # empty list: no synonyms / protected words
                res.write_text("# generated by scripts/solr.py (intentionally empty)\n")
                dirty = True
        if dirty:
            changed.append(core)
    return changed


def _get_json(url: str, timeout: float = 5.0) -> dict[str, Any] | None:
    """GET ``url`` and decode JSON; None on any connection or HTTP error."""
    try:
        with _HTTP.open(url, timeout=timeout) as resp:
            return json.loads(resp.read().decode("utf-8"))
    except (OSError, ValueError, urllib.error.URLError):
        return None


def base_url(port: int) -> str:
    """Return the Solr base URL (without core) for ``port``."""
    return f"http://127.0.0.1:{port}/solr"


def ping(port: int, core: str) -> bool:
    """True when ``/solr/<core>/admin/ping`` answers status OK."""
    data = _get_json(f"{base_url(port)}/{core}/admin/ping?wt=json", timeout=3.0)
    return bool(data) and data.get("status") == "OK"


def init_failures(port: int) -> dict[str, str]:
    """Return ``{core: message}`` of cores Solr failed to load."""
    data = _get_json(f"{base_url(port)}/admin/cores?action=STATUS&wt=json") or {}
    return {k: str(v) for k, v in (data.get("initFailures") or {}).items()}


def _port_open(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1.0).close()
    except OSError:
        return False
    return True


def _read_pid(home: Path) -> int | None:
    """Return the pid from ``home/solr.pid`` if that process is our Solr."""
    try:
        pid = int((home / "solr.pid").read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (OSError, ValueError):
        return None
    mark = f"-Dsolr.solr.home={home}".encode()
    return pid if mark in cmdline else None


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text("utf-8", "replace").splitlines()[-lines:])
    except OSError:
        return f"(no {path})"


def _failure(home: Path, why: str) -> SolrError:
    return SolrError(f"{why}\n--- tail of {home / 'logs' / 'solr.log'} ---\n"
                     f"{_tail(home / 'logs' / 'solr.log')}\n"
                     f"--- tail of {home / 'solr-console.log'} ---\n"
                     f"{_tail(home / 'solr-console.log', 20)}")


def _launch(lib: Path, home: Path, port: int, heap: str) -> int:
    """Start Jetty+Solr in the background (own session); return its pid."""
    java = shutil.which("java")
    if not java:
        raise SolrError("java not found on PATH (Java 11+ required, 17 tested)")
    cmd = [java, "-server", f"-Xms{heap}", f"-Xmx{heap}", "-Xss256k",
           "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError",
           "-Dfile.encoding=UTF-8", "-Duser.timezone=UTC", "-Djava.net.preferIPv4Stack=true",
           f"-Djava.io.tmpdir={home / 'tmp'}",
           f"-Dsolr.solr.home={home}", f"-Dsolr.install.dir={home}",
           f"-Dsolr.log.dir={home / 'logs'}",
           f"-Dlog4j2.configurationFile={home / 'etc' / 'log4j2.xml'}",
           "-Dhost=127.0.0.1", "-Djetty.host=127.0.0.1", f"-Djetty.port={port}",
           f"-Dsolr.webapp.dir={home / 'webapp'}",
           "-Dsolr.enableRemoteStreaming=false", "-Dsolr.enableStreamBody=false",
           "-Dsolr.jetty.inetaccess.includes=127.0.0.1",
           "-cp", f"{lib}/*", "org.eclipse.jetty.xml.XmlConfiguration",
           str(home / "etc" / "jetty.xml")]
    with open(home / "solr-console.log", "ab") as out:
        proc = subprocess.Popen(cmd, cwd=home, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True,
                                close_fds=True)
    (home / "solr.pid").write_text(f"{proc.pid}\n")
    return proc.pid


def _alive(pid: int) -> bool:
    with suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reap if it is our child
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_ready(home: Path, port: int, cores: Sequence[str], pid: int | None,
               timeout: float = READY_TIMEOUT) -> None:
    """Block until every core pings OK; raise with log tails on failure/timeout."""
    deadline = time.monotonic() + timeout
    while True:
        if pid is not None and not _alive(pid):
            raise _failure(home, f"Solr (pid {pid}) exited during startup")
        if _port_open(port):
            failed = {c: m for c, m in init_failures(port).items() if c in cores}
            if failed:
                raise _failure(home, "core(s) failed to load: " + json.dumps(failed, indent=1))
            if all(ping(port, c) for c in cores):
                return
        if time.monotonic() > deadline:
            raise _failure(home, f"Solr not ready on port {port} after {timeout:.0f}s")
        time.sleep(0.5)


@contextmanager
def _locked(home: Path) -> Iterator[None]:
    home.mkdir(parents=True, exist_ok=True)
    with open(home / ".solr.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def ensure_started(cache: str | Path, home: str | Path, port: int, cores: Sequence[str],
                   schema: str | Path | None = None, heap: str = "512m") -> str:
    """Assemble, configure and start Solr unless already serving; return the base URL."""
    cache, home = Path(cache).resolve(), Path(home).resolve()
    cores = list(dict.fromkeys(cores)) or ["ckan"]
    schema_path = Path(schema).resolve() if schema else find_ckan_schema()
    started = time.monotonic()
    with _locked(home):
        lib = assemble(cache)
        changed = write_home(home, cores, schema_path)
        pid = _read_pid(home)
        if _port_open(port):
            if all(ping(port, c) for c in cores):
                for core in changed:  # pick up refreshed config/schema in place
                    if _get_json(f"{base_url(port)}/admin/cores?action=RELOAD"
                                 f"&core={urllib.parse.quote(core)}&wt=json", 60) is None:
                        raise _failure(home, f"reloading core {core} failed")
                log(f"already running on port {port} (reloaded: {changed or 'none'})")
                return base_url(port)
            if pid is None:
                info = _get_json(f"{base_url(port)}/admin/info/system?wt=json")
                what = "a Solr of another home" if info else "something that is not Solr"
                raise SolrError(f"port {port} is taken by {what}; cores {cores} not "
                                f"all available. Stop it or choose another port.")
            log("running Solr lacks some cores; restarting it")
            _stop_locked(home)
        elif pid is not None:
            log(f"stale Solr pid {pid} not answering on port {port}; restarting it")
            _stop_locked(home)
        pid = _launch(lib, home, port, heap)
        log(f"started Solr pid {pid}, waiting for cores {cores} ...")
        try:
            wait_ready(home, port, cores, pid)
        except SolrError:
            _stop_locked(home)
            raise
    log(f"ready at {base_url(port)} in {time.monotonic() - started:.1f}s")
    return base_url(port)


def _stop_locked(home: Path, timeout: float = STOP_TIMEOUT) -> bool:
    pid = _read_pid(home)
    if pid is None:
        (home / "solr.pid").unlink(missing_ok=True)
        return False
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 10.0)):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + wait
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if not _alive(pid):
            break
        if sig == signal.SIGTERM:
            log(f"Solr pid {pid} ignored SIGTERM for {timeout:.0f}s; sending SIGKILL")
    if _alive(pid):
        raise SolrError(f"could not stop Solr pid {pid}")
    (home / "solr.pid").unlink(missing_ok=True)
    return True


def stop(home: str | Path, timeout: float = STOP_TIMEOUT) -> bool:
    """Stop the Solr started from ``home``; True if one was running."""
    home = Path(home).resolve()
    if not home.is_dir():
        return False
    with _locked(home):
        return _stop_locked(home, timeout)


def status(home: str | Path, port: int, cores: Sequence[str]) -> dict[str, Any]:
    """Return ``{pid, url, cores: {name: ok}, init_failures}`` for reporting."""
    return {"pid": _read_pid(Path(home).resolve()), "url": base_url(port),
            "port_open": _port_open(port),
            "cores": {c: ping(port, c) for c in cores},
            "init_failures": init_failures(port) if _port_open(port) else {}}


def _post_json(url: str, payload: Any) -> dict[str, Any]:
    req = urllib.request.Request(url, data=json.dumps(payload).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with _HTTP.open(req, timeout=30) as resp:
        return json.loads(resp.read().decode("utf-8"))


def selftest(port: int, core: str) -> None:
    """Index, facet-query and delete one CKAN-shaped dataset document (no CKAN needed)."""
    url = f"{base_url(port)}/{core}"
    doc_id = f"selftest-{os.getpid()}-{int(time.time())}"
    doc = {"id": doc_id, "index_id": f"hash-{doc_id}", "site_id": "selftest", "name": doc_id,
           "title": "Air quality sensors", "text": ["PM10 readings"], "state": "active",
           "entity_type": "package", "dataset_type": "dataset", "capacity": "public",
           "tags": ["air", "sensors"], "metadata_modified": "2024-01-01T00:00:00Z"}
    _post_json(f"{url}/update?commit=true&wt=json", [doc])
    query = urllib.parse.urlencode({
        "q": "sensors", "defType": "edismax", "qf": "name^4 title^4 tags^2 text",
        "fq": f'+site_id:"selftest" +capacity:public +id:"{doc_id}"', "wt": "json",
        "facet": "true", "facet.field": "tags", "facet.mincount": 1, "fl": "id,name"})
    found = _get_json(f"{url}/select?{query}") or {}
    docs = found.get("response", {}).get("docs", [])
    facets = found.get("facet_counts", {}).get("facet_fields", {}).get("tags", [])
    _post_json(f"{url}/update?commit=true&wt=json", {"delete": {"query": f'id:"{doc_id}"'}})
    left = _get_json(f"{url}/select?q=*:*&rows=0&wt=json&fq=id:%22{doc_id}%22") or {}
    checks = {f"query returned {docs!r}": [d.get("id") for d in docs] == [doc_id],
              f"facet tags={facets!r}": facets[:4] == ["air", 1, "sensors", 1],
              f"delete left {left!r}": left.get("response", {}).get("numFound") == 0}
    problems = [what for what, ok in checks.items() if not ok]
    if problems:
        raise SolrError(f"selftest on {url} failed: " + "; ".join(problems))
    log(f"selftest OK on {url}: indexed, found, faceted {facets}, deleted")


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point; returns the process exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    for name in ("start", "status", "stop", "selftest"):
        sp = sub.add_parser(name)
        if name != "selftest":
            sp.add_argument("--home", required=True, type=Path)
        if name != "stop":
            sp.add_argument("--port", type=int, default=8983)
            sp.add_argument("--core", action="append", dest="cores")
        if name == "start":
            sp.add_argument("--cache", required=True, type=Path)
            sp.add_argument("--schema", type=Path, default=None)
            sp.add_argument("--heap", default="512m")
            sp.add_argument("--selftest", action="store_true",
                            help="run the smoke test on every core after start")
    args = parser.parse_args(argv)
    cores = getattr(args, "cores", None) or ["ckan"]
    try:
        if args.cmd == "start":
            print(ensure_started(args.cache, args.home, args.port, cores,
                                 args.schema, args.heap))
            for core in cores if args.selftest else []:
                selftest(args.port, core)
        elif args.cmd == "stop":
            log("stopped" if stop(args.home) else "not running")
        elif args.cmd == "status":
            info = status(args.home, args.port, cores)
            print(json.dumps(info, indent=2))
            return 0 if all(info["cores"].values()) else 3
        else:
            for core in cores:
                selftest(args.port, core)
    except SolrError as exc:
        print(f"[solr] ERROR: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
