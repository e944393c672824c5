"""`mim train mmwsis <config>` and `mmwsis::` bases, editable and non-editable installs."""
import os
import os.path as osp
import shutil
import subprocess
import sys
from typing import Optional

import pytest

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
MIM = osp.join(osp.dirname(sys.executable), 'mim')
PACKAGE_FILES = ('mmwsis', 'configs', 'tools', 'requirements', 'setup.py', 'pyproject.toml',
                 'MANIFEST.in', 'model-index.yml', 'README.md')


# A one-epoch CAM run on the tiny data, validated, without its pseudo-label hook.
CAM_OPTIONS = ('train_cfg.val_interval=1', 'custom_hooks.0.enabled=False',
               'model.cam_scales=[1.0]', 'model.cam_short_side=None',
               'val_dataloader.num_workers=0', 'val_dataloader.persistent_workers=False')


def mim_train(config: str, cwd, root, work_dir, pythonpath: Optional[str] = None,
              options=CAM_OPTIONS) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != 'PYTHONPATH'}
    if pythonpath:
        env['PYTHONPATH'] = pythonpath
    return subprocess.run(
        [MIM, 'train', 'mmwsis', config, '--work-dir', str(work_dir), '--cfg-options',
         f'data_root={root}/', 'train_cfg.max_epochs=1',
         'train_dataloader.sampler.min_images_per_class=0',
         'train_dataloader.num_workers=0', 'train_dataloader.persistent_workers=False',
         *options],
        cwd=str(cwd), env=env, capture_output=True, text=True, timeout=600)


def check(result: subprocess.CompletedProcess, work_dir) -> None:
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert osp.isfile(osp.join(work_dir, 'epoch_1.pth'))
    assert 'cam/mIoU' in result.stdout


@pytest.mark.skipif(not osp.isfile(MIM), reason='openmim is installed by `make install`')
def test_editable_install_from_repo_root_and_elsewhere(synthetic_root, tmp_path):
    # `make install`'s editable install needs no PYTHONPATH for mim
    check(mim_train('configs/irn/cam_synthetic.py', REPO, synthetic_root, tmp_path / 'a'),
          tmp_path / 'a')
    # From another folder mim finds the config by its basename inside the package.
    check(mim_train('cam_synthetic.py', tmp_path, synthetic_root, tmp_path / 'b'),
          tmp_path / 'b')


@pytest.mark.skipif(not osp.isfile(MIM), reason='openmim is installed by `make install`')
def test_mim_train_of_a_cim_config_leaves_pseudo_labels(synthetic_copy, tmp_path):
    # CIM-P has no earlier step (its clusters come from the point view): mim trains it
    # from the repo's config name, and its hook labels the training split.
    work_dir = tmp_path / 'cim'
    result = mim_train('cim-p_synthetic.py', tmp_path, synthetic_copy, work_dir,
                       options=('model.test_flip=False', 'pseudo_label.dataloader.num_workers=0'))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert (work_dir / 'epoch_1.pth').is_file()
    assert (work_dir / 'pseudo_labels' / 'train.json').is_file()
    assert 'pseudo/mAP50' in result.stdout


@pytest.mark.skipif(not osp.isfile(MIM), reason='openmim is installed by `make install`')
def test_non_editable_install_ships_configs_and_tools(synthetic_root, tmp_path):
    source = tmp_path / 'source'
    source.mkdir()
    for name in PACKAGE_FILES:
        src = osp.join(REPO, name)
        if osp.isdir(src):
            shutil.copytree(src, source / name,
                            ignore=shutil.ignore_patterns('.mim', '__pycache__'))
        else:
            shutil.copy(src, source / name)
    target = tmp_path / 'site'
    subprocess.run([sys.executable, '-m', 'pip', 'install', '--no-deps', '--no-build-isolation',
                    '--target', str(target), str(source)], check=True, capture_output=True)
    installed = target / 'mmwsis' / '.mim'
    assert (installed / 'configs' / 'irn' / 'cam_synthetic.py').is_file()
    assert (installed / 'tools' / 'train.py').is_file()
    elsewhere = tmp_path / 'elsewhere'
    elsewhere.mkdir()
    check(mim_train('cam_synthetic.py', elsewhere, synthetic_root, tmp_path / 'c', str(target)),
          tmp_path / 'c')
    # A downstream config inherits from the installed package.
    (elsewhere / 'mine.py').write_text("_base_ = 'mmwsis::irn/cam_synthetic.py'\nmax_epochs = 1\n")
    probe = subprocess.run(
        [sys.executable, '-c', 'import mmwsis, mmengine; c = mmengine.Config.fromfile("mine.py");'
         'print(mmwsis.__file__, c.model.type)'], cwd=str(elsewhere), capture_output=True,
        text=True, env=dict(os.environ, PYTHONPATH=str(target)))
    assert probe.returncode == 0, probe.stderr[-2000:]
    assert str(target) in probe.stdout and 'CAMClassifier' in probe.stdout
