"""The network and file guard: allow-list, dangerous addresses, redirects, file roots."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import requests

from ckanext.smartcity.readers import netguard
from ckanext.smartcity.readers.netguard import Refused, check_file_path, check_url

from .conftest import LocalServer, free_port


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/x", "http://localhost:8080/api", "https://LOCALHOST./a",
    "postgresql+psycopg2://reader@127.0.0.1:5432/db", "http://[::1]:9000/",
])
def test_listed_hosts_are_allowed(url: str) -> None:
    check_url(url, "127.0.0.1, localhost ::1")


@pytest.mark.parametrize("url, reason", [
    ("http://127.0.0.2/x", "loopback"),
    ("http://[::1]/x", "loopback"),
    ("http://[::ffff:127.0.0.3]/x", "loopback"),
    ("http://10.1.2.3/x", "private"),
    ("http://192.168.1.10/x", "private"),
    ("http://169.254.169.254/latest/meta-data", "cloud metadata"),
    ("http://[fd00:ec2::254]/", "cloud metadata"),
    ("http://169.254.10.1/", "link-local"),
    ("http://224.0.0.1/", "multicast"),
    ("http://0.0.0.0/", "unspecified"),
    ("http://240.0.0.1/", "reserved"),
    ("http://metadata.google.internal/computeMetadata/v1/", "metadata"),
    ("http://8.8.8.8/", "not in the allow-list"),
])
def test_unlisted_addresses_are_refused_with_the_reason(url: str, reason: str) -> None:
    with pytest.raises(Refused) as caught:
        check_url(url, "127.0.0.1 localhost")
    assert reason in caught.value.reason
    assert "not in the allow-list" in caught.value.reason


def test_unlisted_name_resolving_to_loopback_is_refused() -> None:
    with pytest.raises(Refused, match="localhost.*resolves to a loopback"):
        check_url("http://localhost:8000/", "127.0.0.1")


def test_port_in_entry_restricts_the_port() -> None:
    check_url("http://127.0.0.1:8000/", "127.0.0.1:8000")
    with pytest.raises(Refused):
        check_url("http://127.0.0.1:8001/", "127.0.0.1:8000")
    check_url("http://[::1]:8000/", "[::1]:8000")
    with pytest.raises(Refused):
        check_url("http://127.0.0.1/", "127.0.0.1:8000")  # default port 80


def test_empty_allow_list_refuses_everything() -> None:
    with pytest.raises(Refused):
        check_url("http://127.0.0.1/", "")


def test_url_without_host_and_wrong_scheme_are_refused() -> None:
    with pytest.raises(Refused, match="no host"):
        check_url("file:///etc/passwd", "127.0.0.1")
    with pytest.raises(Refused, match="scheme"):
        check_url("ftp://127.0.0.1/x", "127.0.0.1", schemes=frozenset({"http", "https"}))


def test_credentials_never_appear_in_the_reason() -> None:
    with pytest.raises(Refused) as caught:
        check_url("http://user:s3cr3t@127.0.0.2/", "127.0.0.1")
    assert "s3cr3t" not in str(caught.value)


def test_session_refuses_before_connecting(http_server: LocalServer) -> None:
    """127.0.0.2 is refused even though nothing would stop a connection to it."""
    port = int(http_server.url.rsplit(":", 1)[1])
    with netguard.session("127.0.0.1") as guarded, pytest.raises(Refused):
        guarded.get(f"http://127.0.0.2:{port}/ok", timeout=2)
    assert http_server.seen == []


def test_session_rechecks_every_redirect_hop(http_server: LocalServer) -> None:
    port = int(http_server.url.rsplit(":", 1)[1])
    http_server.json("/ok", {"ok": True})
    http_server.routes["/same"] = lambda r: (302, {"Location": "/ok"}, b"")
    http_server.routes["/away"] = lambda r: (
        302, {"Location": f"http://127.0.0.2:{port}/ok"}, b"")
    with netguard.session("127.0.0.1") as guarded:
        assert guarded.get(f"{http_server.url}/same", timeout=2).json() == {"ok": True}
        with pytest.raises(Refused, match="127.0.0.2"):
            guarded.get(f"{http_server.url}/away", timeout=2)
    assert [r.path for r in http_server.seen] == ["/same", "/ok", "/away"]


def test_session_limits_redirect_loops(http_server: LocalServer) -> None:
    http_server.routes["/loop"] = lambda r: (302, {"Location": "/loop"}, b"")
    with netguard.session("127.0.0.1", max_redirects=3) as guarded, \
            pytest.raises(requests.TooManyRedirects):
        guarded.get(f"{http_server.url}/loop", timeout=2)
    assert len(http_server.seen) == 4


def test_session_ignores_proxy_environment(http_server: LocalServer,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy from the environment would connect to a host the guard never checked."""
    http_server.json("/ok", {"ok": True})
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{free_port()}")
    with netguard.session("127.0.0.1") as guarded:
        assert guarded.get(f"{http_server.url}/ok", timeout=2).json() == {"ok": True}


def test_file_path_inside_root(tmp_path: Path) -> None:
    root = tmp_path / "dropbox"
    (root / "syt").mkdir(parents=True)
    (root / "syt" / "a.csv").write_text("x\n1\n")
    assert check_file_path(root / "syt" / "a.csv", str(root)) == (root / "syt" / "a.csv")
    assert check_file_path(root, f"/nonexistent, {root}") == root


def test_file_path_escapes_are_refused(tmp_path: Path) -> None:
    root, outside = tmp_path / "dropbox", tmp_path / "secret"
    root.mkdir()
    outside.mkdir()
    (outside / "passwd.csv").write_text("x\n")
    os.symlink(outside / "passwd.csv", root / "link.csv")
    (tmp_path / "dropbox-evil").mkdir()
    for path in (root / ".." / "secret" / "passwd.csv", root / "link.csv",
                 tmp_path / "dropbox-evil"):
        with pytest.raises(Refused, match="outside"):
            check_file_path(path, str(root))
    with pytest.raises(Refused, match="no file roots"):
        check_file_path(root, "")


def test_department_roots_give_each_department_only_its_own_folder(tmp_path):
    for name in ("so-y-te", "so-tai-chinh"):
        (tmp_path / name).mkdir()
    roots = f"{tmp_path}/{{department}}"
    own = netguard.check_file_path(tmp_path / "so-y-te" / "a.csv", roots, "so-y-te")
    assert own == tmp_path / "so-y-te" / "a.csv"
    for path, department in ((tmp_path / "so-tai-chinh" / "a.csv", "so-y-te"),
                             (tmp_path / "so-y-te" / ".." / "so-tai-chinh", "so-y-te"),
                             (tmp_path, "so-y-te")):
        with pytest.raises(netguard.Refused, match="outside the configured file roots of department"):
            netguard.check_file_path(path, roots, department)
    for department in (None, "", "../so-tai-chinh", "so-y-te/..", "Sở Y tế"):
        with pytest.raises(netguard.Refused, match="no file root is configured"):
            netguard.check_file_path(tmp_path / "so-y-te" / "a.csv", roots, department)
    # a shared root beside department roots is read by every department
    (tmp_path / "chung").mkdir()
    both = f"{roots} {tmp_path / 'chung'}"
    assert netguard.file_roots_of(both, "so-y-te") == [str(tmp_path / "so-y-te"),
                                                      str(tmp_path / "chung")]
    netguard.check_file_path(tmp_path / "chung" / "b.csv", both, "so-tai-chinh")
