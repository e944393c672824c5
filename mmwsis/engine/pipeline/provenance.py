"""Where a reported number came from: the source commit and the machine."""
import os
import os.path as osp
import platform
import subprocess

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))


def source_commit(repo_root: str = REPO_ROOT) -> str:
    """The git commit of the mmwsis source that ran, '+' when it had local changes."""
    try:
        commit = subprocess.run(['git', 'rev-parse', 'HEAD'], cwd=repo_root, text=True,
                                capture_output=True, check=True).stdout.strip()
        dirty = subprocess.run(['git', 'status', '--porcelain', '--untracked-files=no'],
                               cwd=repo_root, text=True, capture_output=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return 'unknown'
    return commit + ('+' if dirty else '')


def machine_description() -> str:
    """``'x86_64, 2 cores, Linux'``."""
    return f'{platform.machine()}, {os.cpu_count()} cores, {platform.system()}'
