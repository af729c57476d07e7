"""The HTML report is a page: headless Chromium loads it, every image loads, and a screenshot
of it is a real picture. Skipped without chromium, except under CI=true."""
import os
import re
import shutil
import subprocess
import tempfile

import numpy as np
import pytest
from PIL import Image

from conftest import images

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium(*args):
    """Runs headless chromium with a fresh profile; returns its stdout."""
    if CHROMIUM is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed (scripts/install-deps.sh installs it)")
        pytest.skip("chromium is not installed")
    with tempfile.TemporaryDirectory() as profile:
        proc = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def test_every_image_of_the_report_loads_in_a_browser(jingkang_report):
    folder = jingkang_report
    dom = chromium("--dump-dom",
                   "file://" + os.path.join(folder, "index.html"))
    body = re.search(r"<body([^>]*)>", dom)
    assert body, dom[:500]
    assert 'data-images-failed="0"' in body.group(1), body.group(1)
    total = int(re.search(r'data-images-total="(\d+)"', body.group(1)).group(1))
    refs = images(folder)
    assert total == len(refs) >= 5
    widths = [int(w) for w in re.findall(r'data-natural-width="(\d+)"', dom)]
    assert len(widths) == total and min(widths) > 0


def test_a_missing_image_is_reported_on_the_page(smoke_report, tmp_path):
    # the page's own check must be able to fail: remove one figure from a copy
    copy = tmp_path / "copy"
    shutil.copytree(smoke_report, copy)
    os.remove(copy / "people.png")
    dom = chromium("--dump-dom", "file://" + str(copy / "index.html"))
    assert 'data-images-failed="1"' in dom
    assert "images that failed to load: people.png" in dom


def test_a_screenshot_of_the_page_is_a_real_picture(jingkang_report, tmp_path):
    shot = tmp_path / "page.png"
    chromium("--window-size=1300,2600", "--virtual-time-budget=10000", f"--screenshot={shot}",
             "file://" + os.path.join(jingkang_report, "index.html"))
    im = Image.open(shot)
    assert im.size == (1300, 2600)
    px = np.asarray(im.convert("RGB"))
    assert px.std() > 20
    packed = (px[..., 0].astype(np.int32) << 16) | (px[..., 1].astype(np.int32) << 8) | px[..., 2]
    assert len(np.unique(packed)) > 500  # maps and figures, not a blank page
