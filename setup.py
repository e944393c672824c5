"""Ship configs/ and tools/ inside the package as ``mmwsis/.mim`` (as mmdet and mmyolo do).

Everything else is in pyproject.toml. Editable installs (``develop`` and PEP 660's
``editable_wheel``) get symlinks, wheels get copies, so ``mim train mmwsis <config>`` and
``_base_ = 'mmwsis::<dir>/<file>.py'`` find them either way.
"""
import os
import os.path as osp
import shutil
import sys

from setuptools import setup

MIM_FILES = ('tools', 'configs', 'model-index.yml')


def add_mim_extension() -> None:
    if 'develop' in sys.argv or 'editable_wheel' in sys.argv:
        mode = 'symlink'
    elif any(cmd in sys.argv for cmd in ('sdist', 'bdist_wheel', 'build')):
        mode = 'copy'
    else:
        return
    repo = osp.dirname(osp.abspath(__file__))
    mim_path = osp.join(repo, 'mmwsis', '.mim')
    os.makedirs(mim_path, exist_ok=True)
    for name in MIM_FILES:
        src, tar = osp.join(repo, name), osp.join(mim_path, name)
        if osp.islink(tar) or osp.isfile(tar):
            os.remove(tar)
        elif osp.isdir(tar):
            shutil.rmtree(tar)
        if not osp.exists(src):
            continue
        if mode == 'symlink':
            try:
                os.symlink(osp.relpath(src, osp.dirname(tar)), tar)
                continue
            except OSError:
                pass
        if osp.isdir(src):
            shutil.copytree(src, tar)
        else:
            shutil.copyfile(src, tar)


if __name__ == '__main__':
    add_mim_extension()
    setup()
