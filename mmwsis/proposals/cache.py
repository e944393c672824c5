"""Per-image proposals computed (or converted) once and kept on disk."""
import json
import multiprocessing
import os
import os.path as osp
import tempfile
import time
from typing import Iterable, Iterator, Optional, Tuple

import numpy as np
from PIL import Image

from mmwsis.utils import ResultCache
from .generator import generate_proposals
from .io import READERS, Proposals, load_proposals, read_proposal_file, save_proposals

SOURCES = ('generate', ) + tuple(READERS)


class ProposalStore:
    """Proposals of each image, cached as ``<root>/<img_id>.pkl``.

    Args:
        root: cache folder, one per configuration: ``<root>/meta.json`` records
            ``source``, ``source_dir`` and ``max_proposals``, and a store with other
            settings refuses the folder.
        source: ``generate`` (the built-in :func:`generate_proposals`) or a file format
            read from ``source_dir/<img_id>.<ext>``: ``mat`` (MCG/COB), ``pkl`` (LIID) or
            ``png`` (indexed).
        source_dir: folder of the external files (not for ``generate``).
        max_proposals: the first this many proposals of each image are kept.
    """

    def __init__(self, root: str, source: str = 'generate', source_dir: Optional[str] = None,
                 max_proposals: int = 100) -> None:
        if source not in SOURCES:
            raise ValueError(f'source must be one of {SOURCES}, got {source!r}')
        if (source == 'generate') != (source_dir is None):
            raise ValueError(f'source={source!r} needs source_dir only for file formats, '
                             f'got source_dir={source_dir!r}')
        self.root, self.source, self.source_dir = root, source, source_dir
        self.max_proposals = max_proposals
        self._check_meta()

    def _check_meta(self) -> None:
        meta = dict(source=self.source, source_dir=self.source_dir,
                    max_proposals=self.max_proposals)
        path = osp.join(self.root, 'meta.json')
        if osp.isfile(path):
            with open(path) as f:
                written = json.load(f)
            if written != meta:
                raise ValueError(f'{path} records proposals made with {written}, not {meta}: '
                                 'use another root for these settings or delete the folder')
            return
        os.makedirs(self.root, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=self.root, prefix='.tmp-')
        with os.fdopen(handle, 'w') as f:
            json.dump(meta, f)
        os.replace(tmp, path)

    def has(self, img_id: str) -> bool:
        return ResultCache(self.root).has(img_id)

    def compute(self, img_id: str, img_path: str) -> Proposals:
        """The proposals of one image, from the source, ignoring the cache."""
        if self.source == 'generate':
            with Image.open(img_path) as image:
                rgb = np.asarray(image.convert('RGB'))
            return generate_proposals(rgb, max_proposals=self.max_proposals)
        return read_proposal_file(self.source, self.source_dir,
                                  img_id).top(self.max_proposals)

    def get(self, img_id: str, img_path: str) -> Proposals:
        """Cached proposals of one image, computed and written on first use."""
        if self.has(img_id):
            return load_proposals(self.root, img_id)
        proposals = self.compute(img_id, img_path)
        save_proposals(self.root, img_id, proposals)
        return proposals

    def _fill(self, item: Tuple[str, str]) -> None:
        self.get(*item)

    def precompute(self, dataset_infos: Iterable[dict], workers: int = 2,
                   log_interval: float = 5.) -> int:
        """Fill the cache for ``dataset_infos`` (dicts with ``img_id`` and ``img_path``).

        Images already cached are skipped; progress is printed every ``log_interval``
        seconds. Returns the number of images computed.
        """
        todo = [(str(info['img_id']), info['img_path']) for info in dataset_infos
                if not self.has(str(info['img_id']))]
        if workers > 1 and len(todo) > 1:
            with multiprocessing.Pool(min(workers, len(todo))) as pool:
                self._report(pool.imap_unordered(self._fill, todo), len(todo), log_interval)
        else:
            self._report(map(self._fill, todo), len(todo), log_interval)
        return len(todo)

    def _report(self, done_iter: Iterator[None], total: int, log_interval: float) -> None:
        """Consume ``done_iter`` (one item per finished image), printing progress."""
        start = last = time.monotonic()
        for done, _ in enumerate(done_iter, 1):
            now = time.monotonic()
            if now - last >= log_interval or done == total:
                rate = done / max(now - start, 1e-9)
                print(f'proposals ({self.source}): {done}/{total} images, {rate:.1f} img/s, '
                      f'{(total - done) / rate:.0f} s left', flush=True)
                last = now
