"""The store swap: a reader resolves either the old or the new version, never a partial one."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.errors import StoreError
from kg.store import current_version, load_version, new_version_dir, open_read_only, replace_store, versions_dir


def _nq(label: str) -> bytes:
    return f'<http://x/s> <http://x/p> "{label}" <http://x/g> .\n'.encode()


def _build(store, label):
    return replace_store(store, [_nq(label)])


def _labels(store) -> set[str]:
    return {q.object.value for q in open_read_only(store)}


def test_swap_replaces_symlink_and_prunes_old_versions(tmp_path):
    store = tmp_path / "store"
    first = _build(store, "one")
    assert store.is_symlink() and current_version(store) == first
    assert _labels(store) == {"one"}
    for i in range(5):
        _build(store, f"v{i}")
    assert _labels(store) == {"v4"}
    assert not first.exists()
    assert len([p for p in versions_dir(store).iterdir() if p.is_dir()]) <= 3


def test_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="run `kg build"):
        open_read_only(tmp_path / "nothing")


def test_failed_load_leaves_previous_store_serving(tmp_path):
    store = tmp_path / "store"
    _build(store, "good")
    version = new_version_dir(store)
    with pytest.raises(StoreError, match="loading the new store failed"):
        load_version(version, [b"this is not n-quads\n"])
    assert not version.exists()
    assert _labels(store) == {"good"}


def test_load_in_batches_holds_every_quad(tmp_path):
    chunks = [_nq(f"q{i}") for i in range(50)]
    version = new_version_dir(tmp_path / "store")
    load_version(version, chunks, batch_bytes=len(chunks[0]) * 7)  # 8 batches, the last one short
    assert {q.object.value for q in ox.Store.read_only(str(version))} == {f"q{i}" for i in range(50)}
    assert [p for p in version.parent.iterdir() if p.suffix == ".nq"] == []  # no spool left behind


def test_failed_later_batch_removes_the_new_version(tmp_path):
    store = tmp_path / "store"
    _build(store, "good")
    version = new_version_dir(store)
    chunks = [_nq("a"), _nq("b"), b"this is not n-quads\n", _nq("c")]
    with pytest.raises(StoreError, match="loading the new store failed"):
        load_version(version, chunks, batch_bytes=1)
    assert not version.exists()
    assert [p for p in versions_dir(store).iterdir() if p.suffix == ".nq"] == []
    assert _labels(store) == {"good"}


def test_unwritable_output_location_is_a_clear_error(tmp_path):
    # A file where the store's folder should be: fails for root too, unlike chmod.
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="cannot create a new store version"):
        new_version_dir(blocker / "store")


def test_existing_plain_directory_is_kept_aside_not_deleted(tmp_path):
    store = tmp_path / "store"
    plain = ox.Store(str(store))
    plain.add(ox.Quad(ox.NamedNode("http://x/old"), ox.NamedNode("http://x/p"), ox.Literal("kept")))
    plain.flush()
    del plain
    _build(store, "new")
    assert _labels(store) == {"new"}
    adopted = [p for p in versions_dir(store).iterdir() if p.name.startswith("adopted-")]
    assert adopted, "the user's own directory was deleted"


def test_copy_version_drops_named_graphs_and_leaves_the_live_one_alone(tmp_path):
    from kg.store import copy_version

    store = tmp_path / "store"
    replace_store(store, [_nq("a").replace(b"<http://x/g>", b"<http://x/g1>"), _nq("b").replace(b"<http://x/g>", b"<http://x/g2>")])
    copy = copy_version(store, drop_graphs=["http://x/g1"])
    assert {q.object.value for q in ox.Store.read_only(str(copy))} == {"b"}
    assert _labels(store) == {"a", "b"}
