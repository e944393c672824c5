"""What a pipeline stage was last run with, so that a rerun skips, resumes or redoes it."""
import contextlib
import fcntl
import hashlib
import json
import os
import os.path as osp
import time
from typing import Callable, Dict, Iterator, Optional, Tuple

from mmwsis.pseudo import write_json_atomic


def config_key(config_text: str, inputs: Dict[str, str]) -> str:
    """A stage's identity: its config text and the keys of the stages it reads from."""
    digest = hashlib.sha256(config_text.encode())
    for name in sorted(inputs):
        digest.update(f'\n{name}={inputs[name]}'.encode())
    return digest.hexdigest()


class StageRecord:
    """``<stage_dir>/stage_<name>.json``: the key a stage ran with and whether it finished.

    Args:
        path: the record file.
        key: :func:`config_key` of the stage as it would run now.
        config_sha: the sha256 of its config text alone (to tell a config change from an
            input change).
        inputs: ``{input stage name: its key}``.
    """

    def __init__(self, path: str, key: str, config_sha: str, inputs: Dict[str, str]) -> None:
        self.path, self.key, self.config_sha, self.inputs = path, key, config_sha, inputs

    def read(self) -> Optional[dict]:
        if not osp.isfile(self.path):
            return None
        with open(self.path) as f:
            return json.load(f)

    def decide(self) -> Tuple[str, str]:
        """``('skip' | 'resume' | 'redo' | 'run', why)`` for this stage now."""
        old = self.read()
        if old is None:
            return 'run', 'not run yet'
        if old.get('key') == self.key:
            if old.get('done'):
                return 'skip', 'done already with this config'
            return 'resume', 'an earlier run with this config did not finish'
        if old.get('config_sha') != self.config_sha:
            return 'redo', 'its config changed since its output was written'
        changed = sorted(name for name, key in self.inputs.items()
                         if old.get('inputs', {}).get(name) != key)
        return 'redo', f'its input stage(s) {", ".join(changed) or "?"} changed'

    @contextlib.contextmanager
    def held(self, on_wait: Optional[Callable[[], None]] = None) -> Iterator[None]:
        """Hold the stage's folder for this process (an exclusive ``flock`` on
        ``<record>.lock``) from the decision to the record of its end.

        Two pipelines that share a stage (the ceiling of one dataset, run by two methods at
        once) take turns: the second waits, calling ``on_wait`` first, and then finds the
        stage done. The lock goes with the process, also when it is killed.
        """
        os.makedirs(osp.dirname(self.path), exist_ok=True)
        with open(self.path + '.lock', 'w') as lock:  # closing the file lets go of it
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait is not None:
                    on_wait()
                fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    def start(self) -> None:
        os.makedirs(osp.dirname(self.path), exist_ok=True)
        write_json_atomic(dict(key=self.key, config_sha=self.config_sha, inputs=self.inputs,
                               done=False, started=time.strftime('%Y-%m-%d %H:%M:%S')),
                          self.path)

    def finish(self, seconds: float, **outputs) -> None:
        record = self.read() or {}
        record.update(done=True, seconds=seconds, outputs=outputs,
                      finished=time.strftime('%Y-%m-%d %H:%M:%S'))
        write_json_atomic(record, self.path)
