"""The raw folder's content hashes, as the sensor polls them."""
import hashlib
import os

from pipelines.discover.files import content_hashes, scan_raw_folder


def test_content_hashes_read_only_touched_files(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"first")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_bytes(b"second")
    (tmp_path / ".hidden").write_bytes(b"never")
    stamps = content_hashes(tmp_path)
    assert {n: s[0] for n, s in stamps.items()} == {
        "a.txt": hashlib.sha256(b"first").hexdigest(), "sub/b.txt": hashlib.sha256(b"second").hexdigest()}
    assert {n: s[0] for n, s in stamps.items()} == {f.name: f.sha256 for f in scan_raw_folder(tmp_path)}

    # Same size and modification time: the known hash is kept, the file is not read.
    known = {**stamps, "a.txt": ("known", *stamps["a.txt"][1:])}
    assert content_hashes(tmp_path, known)["a.txt"][0] == "known"
    # Touched (new modification time): read again.
    st = os.stat(tmp_path / "a.txt")
    os.utime(tmp_path / "a.txt", ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert content_hashes(tmp_path, known)["a.txt"][0] == hashlib.sha256(b"first").hexdigest()
