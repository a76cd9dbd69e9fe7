"""The dask executor on a real dask.distributed LocalCluster (two worker processes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")

from editor.batch.runner import run_batch  # noqa: E402
from tests.texts import BAD, GOOD, INFO



@pytest.fixture(scope="module")
def cluster():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    try:
        yield cluster
    finally:
        cluster.close()


pytestmark = pytest.mark.usefixtures("starter_env")


def library() -> Path:
    lib = Path("lib")
    (lib / "sub").mkdir(parents=True)
    (lib / "a.md").write_text("# A\n\n" + BAD + INFO, encoding="utf-8")
    (lib / "b.txt").write_text(GOOD, encoding="utf-8")
    (lib / "sub" / "c.md").write_text(BAD + BAD + INFO, encoding="utf-8")
    (lib / "d.md").write_text(INFO * 3, encoding="utf-8")
    (lib / "broken.txt").write_bytes(b"caf\xe9\n")
    return lib


def comparable(out: str) -> dict:
    s = json.loads((Path(out) / "summary.json").read_text("utf-8"))
    return {k: v for k, v in s.items() if k != "run"}


def test_dask_gives_the_same_summary_and_reports_as_a_local_run(cluster):
    lib = library()
    local = run_batch([str(lib)], "local", jobs=1, progress="none")
    remote = run_batch([str(lib)], "dask", executor="dask", scheduler=cluster.scheduler_address, progress="none")
    assert remote.stats["executor"] == "dask" and remote.stats["jobs"] == 2
    assert remote.stats["checked"] == 4
    assert comparable("dask") == comparable("local")
    assert remote.exit_code() == local.exit_code() == 2  # broken.txt is listed in both
    for row in comparable("local")["rows"]:
        if row["report"]:
            assert (Path("dask") / row["report"]).is_file()
    # the workers are separate processes that loaded the model once each
    workers = remote.stats["workers"]
    assert all(w["model_loads"] == 1 for w in workers.values())
    # a re-run against the cluster is served from the cache
    again = run_batch([str(lib)], "dask", executor="dask", scheduler=cluster.scheduler_address, progress="none")
    assert again.stats["checked"] == 0 and again.stats["from_cache"] == 4
    assert comparable("dask") == comparable("local")


def test_workers_with_other_rules_or_code_are_refused(cluster):
    from editor.batch.runner import engine_options

    lib = library()
    key = json.dumps(engine_options(None, None, None), sort_keys=True)
    client = distributed.Client(cluster, set_as_default=False)
    poison = f"from editor.batch import runner; runner._FINGERPRINTS[{key!r}] = ('other', {{}})"
    try:
        client.run(exec, poison)
        out = run_batch([str(lib)], "dask", executor="dask", scheduler=cluster.scheduler_address, progress="none")
    finally:
        client.run(exec, "from editor.batch import runner; runner._FINGERPRINTS.clear()")
        client.close()
    rows = comparable("dask")["rows"]
    assert out.exit_code() == 2
    assert all(r["status"] == "error" for r in rows)
    assert any("differ from this machine" in r["error"] for r in rows)
    assert not list(Path("dask").rglob("reports/*.html"))
