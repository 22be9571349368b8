"""Light pages: the slider pictures as image files next to the page, and no source maps.

A Sphinx extension (listed in _config.yml under ``sphinx: local_extensions``). When the HTML
build has finished it

1. moves every picture that a widget carries inline (the ``data:image/png;base64,...`` pictures
   of ``nnlib.interactive.precomputed_slider``) out of the page's widget state into an image
   file in ``_images/``, named by its content, and points the ``<img>`` at that file. A chapter
   with three sliders of seven pictures each would otherwise be a 2 MB page that a phone must
   download and parse before it can show the first line; the browser now fetches each picture
   when the slider shows it;
2. deletes the ``.map`` files (source maps of the themes' minified scripts and styles, 3 MB
   that only a developer's browser tools ever ask for).

tests/test_page_weight.py checks the result: no page over 1 MB, no ``.map`` file, and every
picture a page refers to exists.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

IMAGES = "_images"
# The widget state myst-nb writes into a page: one <script> with the JSON of every widget.
_STATE = re.compile(
    r'(<script type="application/vnd\.jupyter\.widget-state\+json">)(.*?)(</script>)', re.S)
_DATA_URL = re.compile(r"data:image/(png|jpeg|gif|svg\+xml);base64,([A-Za-z0-9+/=]+)")
_EXTENSIONS = {"png": ".png", "jpeg": ".jpg", "gif": ".gif", "svg+xml": ".svg"}


def externalise_pictures(page, outdir):
    """Rewrite the page ``page`` (a Path inside ``outdir``) so that its widgets' inline pictures
    are files in ``outdir/_images``; returns how many pictures were moved."""
    text = page.read_text(encoding="utf-8")
    moved = 0
    prefix = os.path.relpath(outdir / IMAGES, page.parent).replace(os.sep, "/")

    def to_file(match):
        nonlocal moved
        data = base64.b64decode(match.group(2))
        name = f"widget-{hashlib.sha256(data).hexdigest()[:32]}{_EXTENSIONS[match.group(1)]}"
        target = outdir / IMAGES / name
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        moved += 1
        return f"{prefix}/{name}"

    def rewrite_state(match):
        # The JSON is left as it is but for the URLs (which contain no character JSON escapes).
        return match.group(1) + _DATA_URL.sub(to_file, match.group(2)) + match.group(3)

    new = _STATE.sub(rewrite_state, text)
    if moved:
        json.loads(_STATE.search(new).group(2).replace("<\\/", "</"))  # still valid JSON
        page.write_text(new, encoding="utf-8")
    return moved


def remove_source_maps(outdir):
    """Delete every .map file under ``outdir``; returns their total size in bytes."""
    size = 0
    for path in Path(outdir).rglob("*.map"):
        size += path.stat().st_size
        path.unlink()
    return size


def lighten(app, exception):
    """build-finished: externalise the widgets' pictures of every page, remove source maps."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    moved = sum(externalise_pictures(page, outdir) for page in outdir.rglob("*.html"))
    removed = remove_source_maps(outdir)
    logger.info("page_weight: %d widget pictures moved to %s/, %.1f MB of source maps removed",
                moved, IMAGES, removed / 1e6)


def setup(app):
    app.connect("build-finished", lighten)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
