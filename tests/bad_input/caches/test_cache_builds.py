"""Real builds racing on one cache (the probes that left a site without fonts or search)."""

import shutil
import subprocess
import threading
import time

import pytest
from support import make_project

import project_copy

pytestmark = pytest.mark.build


def test_concurrent_cold_builds_with_the_cache_deleted_meanwhile(tmp_path):
    project = make_project(tmp_path / "project")
    stop = threading.Event()

    def delete_cache():  # another build's `rm -rf .cache`, again and again
        while not stop.is_set():
            shutil.rmtree(project / ".cache", ignore_errors=True)
            time.sleep(0.7)

    builds = []
    for name in ("one", "two"):
        command = project_copy.build_command(project)
        command[-1] = str(tmp_path / name)
        builds.append(subprocess.Popen(command, cwd=project, env=project_copy.build_env(), text=True,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    deleter = threading.Thread(target=delete_cache)
    deleter.start()
    try:
        outputs = [build.communicate(timeout=300)[1] for build in builds]
    finally:
        stop.set()
        deleter.join()
    for build, output in zip(builds, outputs):
        assert build.returncode == 0, output[-3000:]
        assert "Traceback" not in output
    for part in ("assets/math", "search/search_index.json", "en/search/search_index.json"):
        one, two = tmp_path / "one" / part, tmp_path / "two" / part
        files = sorted(p.relative_to(one) for p in one.rglob("*")) if one.is_dir() else [None]
        assert files, part
        for name in files:
            a, b = (one / name, two / name) if name else (one, two)
            assert a.read_bytes() == b.read_bytes(), f"{part}/{name or ''}"
