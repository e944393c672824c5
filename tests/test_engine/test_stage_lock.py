"""Two pipelines sharing a stage folder take turns (the ceiling of one dataset)."""
import os.path as osp
import subprocess
import sys

from mmwsis.engine.pipeline import StageRecord

# Holds the stage, and just before letting go leaves a marker file.
HOLD = """
import sys, time
from mmwsis.engine.pipeline import StageRecord
with StageRecord(sys.argv[1], 'k', 'k', {}).held():
    print('held', flush=True)
    time.sleep(1.0)
    open(sys.argv[2], 'w').close()
"""


def test_second_holder_waits_for_the_first(tmp_path):
    path = str(tmp_path / 'ceiling' / 'stage_train.json')
    marker = str(tmp_path / 'first_done')
    first = subprocess.Popen([sys.executable, '-c', HOLD, path, marker],
                             stdout=subprocess.PIPE, text=True)
    assert first.stdout.readline().strip() == 'held'
    waited = []
    with StageRecord(path, 'k', 'k', {}).held(on_wait=lambda: waited.append(True)):
        assert osp.isfile(marker)  # in only once the first had finished
    assert waited == [True]
    assert first.wait() == 0


def test_free_folder_is_taken_without_waiting(tmp_path):
    waited = []
    record = StageRecord(str(tmp_path / 'stage_train.json'), 'k', 'k', {})
    with record.held(on_wait=lambda: waited.append(True)):
        record.start()
    assert waited == [] and record.read()['done'] is False
