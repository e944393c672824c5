"""A killed pseudo-label run resumes where it stopped and writes the identical json."""
import json
import os
import os.path as osp
import signal
import subprocess
import sys
import time

import torch

from mmwsis.registry import MODELS
from mmwsis.utils import load_config, register_all_modules

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(REPO, 'configs/irn/irn_synthetic.py')


def options(root, work_dir):
    return ['--cfg-options', f'data_root={root}/',
            'pseudo_label.dataloader.num_workers=0', 'model.cam_scales=[1.0]',
            'model.cam_short_side=None']


def command(checkpoint, root, work_dir):
    return [sys.executable, osp.join(REPO, 'tools/test.py'), CONFIG, str(checkpoint),
            '--work-dir', str(work_dir), '--pseudo-label', *options(root, work_dir)]


def test_killed_run_resumes_to_identical_json(synthetic_root, tmp_path):
    register_all_modules(init_default_scope=False)
    cfg = load_config(CONFIG)
    model = MODELS.build(dict(cfg.model, init_cfg=None))
    checkpoint = tmp_path / 'irn.pth'
    torch.save(dict(state_dict=model.state_dict(), meta=dict()), checkpoint)

    reference = tmp_path / 'reference'
    subprocess.run(command(checkpoint, synthetic_root, reference), check=True,
                   capture_output=True, cwd=REPO)
    expected = (reference / 'pseudo_labels' / 'train.json').read_text()

    work_dir = tmp_path / 'killed'
    cache = work_dir / 'pseudo_labels' / 'cache' / 'train'
    process = subprocess.Popen(command(checkpoint, synthetic_root, work_dir), cwd=REPO,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    while time.time() < deadline and process.poll() is None:
        done = [f for f in os.listdir(cache) if f.endswith('.pkl')] if cache.is_dir() else []
        if len(done) >= 3:
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.02)
    process.wait()
    assert process.returncode == -signal.SIGKILL, 'the run finished before it could be killed'
    finished = len(list(cache.glob('*.pkl')))
    assert 3 <= finished < 12
    assert not (work_dir / 'pseudo_labels' / 'train.json').exists()  # never half a json

    resumed = subprocess.run(command(checkpoint, synthetic_root, work_dir), check=True,
                             capture_output=True, text=True, cwd=REPO)
    assert f'{finished} of 12 images already done' in resumed.stdout + resumed.stderr
    assert (work_dir / 'pseudo_labels' / 'train.json').read_text() == expected

    # Killed after the last image was cached but before the json was written: the rerun
    # has nothing left to label and writes the same json from the cache.
    (work_dir / 'pseudo_labels' / 'train.json').unlink()
    rerun = subprocess.run(command(checkpoint, synthetic_root, work_dir), check=True,
                           capture_output=True, text=True, cwd=REPO)
    assert '12 of 12 images already done' in rerun.stdout + rerun.stderr
    assert (work_dir / 'pseudo_labels' / 'train.json').read_text() == expected
    data = json.loads(expected)
    assert len({image['source_id'] for image in data['images']}) == len(data['images']) == 12
