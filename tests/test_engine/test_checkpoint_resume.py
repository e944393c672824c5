"""mmengine 0.10.7 + torch >= 2.6: a checkpoint mmengine saved must resume, narrowly."""
import pickle

import numpy as np
import pytest
import torch
import torch.nn as nn
from mmengine.logging.history_buffer import HistoryBuffer
from mmengine.model import BaseModel
from mmengine.runner import Runner
from mmengine.runner.checkpoint import CheckpointLoader
from torch.utils.data import Dataset

import mmwsis  # noqa: F401  (installs the allow-list)
from mmwsis.utils.mmengine_compat import (allow_mmengine_checkpoints, load_local_checkpoint,
                                          torch_loads_weights_only)


class ToyModel(BaseModel):

    def __init__(self) -> None:
        super().__init__()
        self.linear = nn.Linear(2, 1)

    def forward(self, inputs, labels, mode='tensor'):
        outputs = self.linear(torch.stack(inputs))
        if mode == 'loss':
            return dict(loss=((outputs.squeeze(1) - torch.stack(labels))**2).mean())
        return outputs


class ToyData(Dataset):

    def __len__(self) -> int:
        return 8

    def __getitem__(self, i: int) -> dict:
        return dict(inputs=torch.tensor([i / 8, 1.0]), labels=torch.tensor(float(i % 2)))


def make_runner(work_dir, max_epochs: int, resume: bool) -> Runner:
    return Runner(
        model=ToyModel(),
        work_dir=str(work_dir),
        train_dataloader=dict(dataset=ToyData(), batch_size=4,
                              sampler=dict(type='DefaultSampler', shuffle=True)),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.1, momentum=0.9)),
        param_scheduler=dict(type='MultiStepLR', milestones=[1]),
        train_cfg=dict(by_epoch=True, max_epochs=max_epochs),
        default_hooks=dict(checkpoint=dict(type='CheckpointHook', interval=1)),
        resume=resume,
        randomness=dict(seed=0),
        default_scope='mmwsis')


def test_save_then_resume_restores_state(tmp_path):
    first = make_runner(tmp_path, max_epochs=2, resume=False)
    # A numpy scalar in the message hub, as hooks often leave: it is saved in `meta`.
    first.message_hub.update_info('numpy_scalar', np.float64(0.5))
    first.train()
    saved = {k: v.clone() for k, v in first.model.state_dict().items()}
    saved_momentum = [s['momentum_buffer'].clone()
                      for s in first.optim_wrapper.optimizer.state.values()]

    resumed = make_runner(tmp_path, max_epochs=2, resume=True)
    resumed.load_or_resume()
    assert resumed.epoch == 2 and resumed.iter == 4
    for key, value in resumed.model.state_dict().items():
        torch.testing.assert_close(value, saved[key])
    momentum = [s['momentum_buffer'] for s in resumed.optim_wrapper.optimizer.state.values()]
    for a, b in zip(momentum, saved_momentum):
        torch.testing.assert_close(a, b)
    assert resumed.message_hub.get_info('numpy_scalar') == 0.5
    assert resumed.param_schedulers[0].last_step == first.param_schedulers[0].last_step
    assert (resumed.optim_wrapper.get_lr()['lr'] == first.optim_wrapper.get_lr()['lr']
            == [pytest.approx(0.01)])


class NotAllowed:
    pass


@pytest.mark.skipif(not torch_loads_weights_only(),
                    reason='torch < 2.6 unpickles everything, as mmengine always did')
def test_other_pickled_objects_are_still_refused(tmp_path):
    path = tmp_path / 'evil.pth'
    torch.save({'state_dict': {}, 'meta': {'x': NotAllowed()}}, path)
    with pytest.raises(pickle.UnpicklingError):
        CheckpointLoader.load_checkpoint(str(path))
    saved = tmp_path / 'mmengine.pth'
    torch.save({'meta': {'buffer': HistoryBuffer()}}, saved)
    with pytest.raises(pickle.UnpicklingError):
        torch.load(saved)  # the allow-list is not global


@pytest.mark.skipif(torch_loads_weights_only(), reason='torch >= 2.6 needs the allow-list')
def test_older_torch_keeps_mmengines_own_loader():
    allow_mmengine_checkpoints()
    assert CheckpointLoader._schemes[''] is not load_local_checkpoint
