"""Peak memory of a pseudo-label run's last step: ``finalize`` and writing, over a full cache.

    python tools/benchmarks/bench_pseudo_label_memory.py configs/liid/liid_synthetic.py \
        work_dirs/liid_synthetic_pipeline/liid/pseudo_labels

Every image must already be cached (a finished or killed-after-the-loop run). The
collector's ``compute_metrics`` (the lazy cache mapping, the labeler's ``finalize``, e.g.
LIID's graph and multiway cut, and the writer) runs once, into a temporary folder, while a
thread samples the proportional set size (PSS: shared pages split between the processes
that share them, so forked workers are not counted twice) of this process and of its
children (the multiway cut's solver workers) every 20 ms. Prints the peak increase over
the memory before the step, and tracemalloc's peak of Python and numpy allocations
(torch's are not traced).
"""
import argparse
import os.path as osp
import platform
import shutil
import sys
import tempfile
import threading
import time
import tracemalloc

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
if osp.isdir(osp.join(REPO_ROOT, 'mmwsis')) and REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

import psutil  # noqa: E402
import torch  # noqa: E402
from mmengine.logging import MMLogger  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402

from mmwsis.engine.pseudo_label import pseudo_label_loop_cfgs  # noqa: E402
from mmwsis.registry import METRICS  # noqa: E402
from mmwsis.utils import load_config, register_all_modules  # noqa: E402

MIB = 2**20


class PeakPSS:
    """Samples the PSS of this process plus its children in a thread (Linux)."""

    def __init__(self, interval: float = 0.02) -> None:
        self.process = psutil.Process()
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def pss(self) -> int:
        total = self.process.memory_full_info().pss
        for child in self.process.children(recursive=True):
            try:
                total += child.memory_full_info().pss
            except psutil.Error:
                pass
        return total

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.pss())
            time.sleep(self.interval)

    def __enter__(self) -> 'PeakPSS':
        self.start = self.pss()
        self.peak = self.start
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.pss())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='the teacher config whose pseudo labels were made')
    parser.add_argument('pseudo_label_dir', help='<work_dir>/pseudo_labels of that run')
    args = parser.parse_args()
    register_all_modules(init_default_scope=False)
    init_default_scope('mmwsis')
    cfg = load_config(args.config)
    cfg.work_dir = tempfile.mkdtemp()
    _, collector_cfg = pseudo_label_loop_cfgs(cfg)
    out_dir = tempfile.mkdtemp()
    name = collector_cfg.name
    shutil.copytree(osp.join(args.pseudo_label_dir, 'cache', name),
                    osp.join(out_dir, 'cache', name))
    collector_cfg.out_dir = out_dir
    MMLogger.get_instance('bench_pseudo_label_memory')
    collector = METRICS.build(collector_cfg)

    tracemalloc.start()
    start = time.perf_counter()
    with PeakPSS() as memory:
        metrics = collector.compute_metrics([])
    seconds = time.perf_counter() - start
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    shutil.rmtree(out_dir, ignore_errors=True)
    shutil.rmtree(cfg.work_dir, ignore_errors=True)

    print(f'machine: {platform.machine()}, {psutil.cpu_count()} cores, '
          f'{psutil.virtual_memory().total / 2**30:.0f} GiB; torch {torch.__version__}')
    print(f'command: python {" ".join(sys.argv)}')
    print(f'{type(collector.labeler).__name__} over {args.pseudo_label_dir}: {seconds:.1f} s; '
          f'peak PSS +{(memory.peak - memory.start) / MIB:.0f} MiB over '
          f'{memory.start / MIB:.0f} MiB (process and children); tracemalloc peak '
          f'{traced_peak / MIB:.0f} MiB; metrics {metrics}')


if __name__ == '__main__':
    main()
