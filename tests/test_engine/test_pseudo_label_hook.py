"""`tools/train.py` (what `mim train mmwsis` runs) leaves a teacher and its pseudo labels."""
import json
import os.path as osp
import subprocess
import sys

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def test_one_training_iteration_then_the_hook_writes_the_pseudo_json(synthetic_copy, tmp_path):
    work_dir = tmp_path / 'liid'
    result = subprocess.run(
        [sys.executable, osp.join(REPO, 'tools/train.py'), 'configs/liid/liid_synthetic.py',
         '--work-dir', str(work_dir), '--cfg-options', f'data_root={synthetic_copy}/',
         'train_cfg.max_epochs=1', 'train_dataloader.batch_size=16',
         'train_dataloader.sampler.min_images_per_class=0',
         'train_dataloader.num_workers=0', 'train_dataloader.persistent_workers=False',
         'pseudo_label.dataloader.num_workers=0', 'pseudo_label.labeler.cut.num_workers=1'],
        cwd=REPO, capture_output=True, text=True, timeout=600)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-4000:]
    assert 'Epoch(train) [1][1/1]' in log  # one iteration: 12 images, batch 16
    assert 'Epoch(test) [12/12]' in log  # mmengine's TestLoop labelled the split
    with open(work_dir / 'pseudo_labels' / 'train.json') as f:
        data = json.load(f)
    assert len(data['images']) == 12 and 'annotations' in data  # one iteration may find none
    with open(work_dir / 'pseudo_labels' / 'train_summary.json') as f:
        summary = json.load(f)
    assert set(summary['metrics']) == {'mAP25', 'mAP50', 'mAP70', 'mAP75'}
