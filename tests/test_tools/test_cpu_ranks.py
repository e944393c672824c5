"""Two CPU ranks (gloo) through `tools/dist_test.sh` and `tools/dist_train.sh`: the pseudo
json is byte-identical to the one-process run, for a per-image method (IRNet) and the
dataset-level one (LIID), and a killed two-rank run resumes to the same json."""
import os
import os.path as osp
import signal
import socket
import subprocess
import sys
import time

import pytest
import torch
import torch.distributed as torch_dist
from mmengine.config import Config

from mmwsis.registry import MODELS
from mmwsis.utils import load_config, prepare_cpu_ranks, register_all_modules

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
IRN = 'configs/irn/irn_synthetic.py'
LIID = 'configs/liid/liid_synthetic.py'


def free_port() -> str:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return str(s.getsockname()[1])


def environment() -> dict:
    # torchrun is installed beside this interpreter; one thread per rank on 2 cores.
    path = osp.dirname(sys.executable) + os.pathsep + os.environ.get('PATH', '')
    return dict(os.environ, PATH=path, PORT=free_port(), OMP_NUM_THREADS='1')


def irn_options(root):
    return ['--cfg-options', f'data_root={root}/', 'pseudo_label.dataloader.num_workers=0',
            'model.cam_scales=[1.0]', 'model.cam_short_side=None']


def label(checkpoint, work_dir, options, ranks=1, config=IRN, **popen):
    """The pseudo-label command: `tools/test.py`, or `tools/dist_test.sh` over ranks."""
    if ranks == 1:
        command = [sys.executable, 'tools/test.py', config, str(checkpoint)]
    else:
        command = ['bash', 'tools/dist_test.sh', config, str(checkpoint), str(ranks)]
    command += ['--work-dir', str(work_dir), '--pseudo-label', *options]
    if popen:
        return subprocess.Popen(command, cwd=REPO, env=environment(), **popen)
    result = subprocess.run(command, cwd=REPO, env=environment(), capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    return (work_dir / 'pseudo_labels' / 'train.json').read_bytes()


def test_two_ranks_label_as_one_process_and_resume_when_killed(synthetic_root, tmp_path):
    register_all_modules(init_default_scope=False)
    model = MODELS.build(dict(load_config(osp.join(REPO, IRN)).model, init_cfg=None))
    checkpoint = tmp_path / 'irn.pth'
    torch.save(dict(state_dict=model.state_dict(), meta=dict()), checkpoint)
    options = irn_options(synthetic_root)

    expected = label(checkpoint, tmp_path / 'one', options)
    assert label(checkpoint, tmp_path / 'two', options, ranks=2) == expected

    work_dir = tmp_path / 'killed'
    cache = work_dir / 'pseudo_labels' / 'cache' / 'train'
    process = label(checkpoint, work_dir, options, ranks=2, start_new_session=True,
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    while time.time() < deadline and process.poll() is None:
        if cache.is_dir() and len(list(cache.glob('*.pkl'))) >= 3:
            os.killpg(process.pid, signal.SIGKILL)  # torchrun and both ranks
            break
        time.sleep(0.02)
    process.wait()
    assert process.returncode == -signal.SIGKILL, 'the run finished before it could be killed'
    assert not (work_dir / 'pseudo_labels' / 'train.json').exists()
    assert 3 <= len(list(cache.glob('*.pkl'))) < 12
    assert label(checkpoint, work_dir, options, ranks=2) == expected


def test_dist_train_on_two_ranks_then_liid_labels_as_one_process(synthetic_copy, tmp_path):
    work_dir = tmp_path / 'liid'
    options = ['--cfg-options', f'data_root={synthetic_copy}/',
               'pseudo_label.dataloader.num_workers=0', 'pseudo_label.labeler.cut.num_workers=1']
    result = subprocess.run(
        ['bash', 'tools/dist_train.sh', LIID, '2', '--work-dir', str(work_dir), *options,
         'train_cfg.max_epochs=1', 'train_dataloader.batch_size=4',
         'train_dataloader.sampler.min_images_per_class=0', 'train_dataloader.num_workers=0',
         'train_dataloader.persistent_workers=False'],
        cwd=REPO, env=environment(), capture_output=True, text=True, timeout=600)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-4000:]
    assert 'Epoch(train) [1][2/2]' in log  # 12 images, 2 ranks x batch 4: 2 iterations
    # The hook labelled the split on both ranks at the end of training; one process
    # relabelling from the same checkpoint writes the same bytes.
    sharded = (work_dir / 'pseudo_labels' / 'train.json').read_bytes()
    checkpoint = work_dir / 'epoch_1.pth'
    assert label(checkpoint, tmp_path / 'one', options, config=LIID) == sharded
    assert label(checkpoint, tmp_path / 'two', options, ranks=2, config=LIID) == sharded


def test_prepare_cpu_ranks_leaves_gpu_and_single_runs_alone(monkeypatch):
    cfg = Config(dict(launcher='none', env_cfg=dict(dist_cfg=dict(backend='nccl'))))
    assert not prepare_cpu_ranks(cfg) and 'model_wrapper_cfg' not in cfg
    cfg.launcher = 'pytorch'
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: True)
    assert not prepare_cpu_ranks(cfg) and 'model_wrapper_cfg' not in cfg  # mmengine's way


@pytest.mark.skipif(torch.cuda.is_available(), reason='the CPU path only runs without CUDA')
def test_prepare_cpu_ranks_opens_gloo_and_unpins_ddp(monkeypatch):
    monkeypatch.setenv('MASTER_ADDR', '127.0.0.1')
    monkeypatch.setenv('MASTER_PORT', free_port())
    monkeypatch.setenv('RANK', '0')
    monkeypatch.setenv('WORLD_SIZE', '1')
    cfg = Config(dict(launcher='pytorch', env_cfg=dict(dist_cfg=dict(backend='nccl'))))
    try:
        assert prepare_cpu_ranks(cfg)
        assert torch_dist.get_backend() == 'gloo'
        assert cfg.model_wrapper_cfg.device_ids is None
    finally:
        if torch_dist.is_initialized():
            torch_dist.destroy_process_group()
