"""`writing.write_atomic`: every file twincli replaces is its old version or its new one."""

from __future__ import annotations

import itertools
import os
import stat
from pathlib import Path

import pytest

from twincli import writing


def test_a_file_is_replaced_whole_and_keeps_its_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = tmp_path / "a" / "old.md"
    old.parent.mkdir()
    old.write_bytes(b"old")
    old.chmod(0o640)
    writing.write_atomic(old, b"new", durable=False)
    new = tmp_path / "b" / "c" / "new.md"  # its folders are made
    writing.write_atomic(new, b"made", durable=True)
    assert (old.read_bytes(), new.read_bytes()) == (b"new", b"made")
    assert old.stat().st_mode & 0o7777 == 0o640
    assert not list(tmp_path.rglob(".*.tmp"))

    def broken(*args: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        writing.write_atomic(old, b"newer", durable=True)
    assert old.read_bytes() == b"new"  # untouched
    assert not list(tmp_path.rglob(".*.tmp"))


def test_a_new_file_has_the_mode_open_gives_unless_one_is_asked_for(tmp_path: Path) -> None:
    umask = os.umask(0o027)
    try:
        writing.write_atomic(tmp_path / "new.md", b"new", durable=False)
        writing.write_atomic(tmp_path / "private", b"mine", durable=False, mode=0o600)
    finally:
        os.umask(umask)
    assert (tmp_path / "new.md").stat().st_mode & 0o7777 == 0o640
    assert (tmp_path / "private").stat().st_mode & 0o7777 == 0o600


def test_short_writes_and_temporary_files_left_by_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`os.write` may write less than it is given; a temporary file's name may be taken (by
    one a crash left): another name is used, and the file left there is not touched."""
    real_write = os.write
    names = itertools.chain([b"\0\0\0\0", b"\0\0\0\0"], (bytes([n] * 4) for n in range(1, 9)))
    monkeypatch.setattr(os, "write", lambda fd, data: real_write(fd, bytes(data[:3])))
    monkeypatch.setattr(os, "urandom", lambda n: next(names))
    left = tmp_path / ".a.md.00000000.tmp"
    left.write_bytes(b"left by a crash")
    files = [(tmp_path / "a.md", b"a whole file\n" * 10), (tmp_path / "b.md", b"b")]
    for path, data in files:
        writing.write_atomic(path, data, durable=False)
    assert all(path.read_bytes() == data for path, data in files)
    assert sorted(p.name for p in tmp_path.iterdir()) == [left.name, "a.md", "b.md"]
    assert left.read_bytes() == b"left by a crash"


def test_an_edit_is_flushed_with_its_folder_and_a_report_is_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    flushed: list[bool] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        flushed.append(stat.S_ISDIR(os.fstat(fd).st_mode))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    writing.write_atomic(tmp_path / "report.md", b"report", durable=False)
    assert flushed == []
    writing.write_atomic(tmp_path / "city.yaml", b"edit", durable=True)
    assert flushed == [False, True]  # the file, then its folder
