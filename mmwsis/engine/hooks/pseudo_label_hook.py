"""Run the pseudo-label stage when the teacher has finished training."""
import torch
from mmengine.evaluator import Evaluator
from mmengine.hooks import Hook
from mmengine.runner import Runner
from mmengine.utils import ProgressBar

from mmwsis.registry import HOOKS
from ..pseudo_label.runtime import pseudo_label_loop_cfgs


@HOOKS.register_module()
class PseudoLabelHook(Hook):
    """After training, label the ``pseudo_label`` split with the trained teacher.

    So ``mim train mmwsis <teacher config>`` leaves ``work_dir/pseudo_labels/*``. The run
    is the same as ``tools/test.py CONFIG CKPT --pseudo-label`` (resumable, sharded over
    ranks); its scores are logged and stored in the message hub.
    """

    priority = 'LOWEST'

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled

    def after_train(self, runner: Runner) -> None:
        if self.enabled:
            label_with(runner)


def label_with(runner: Runner) -> dict:
    """Run the pseudo-label loop of ``runner.cfg`` with ``runner.model``; return scores."""
    loader_cfg, collector_cfg = pseudo_label_loop_cfgs(runner.cfg)
    loader = runner.build_dataloader(loader_cfg, seed=runner.seed)
    evaluator = Evaluator([collector_cfg])
    evaluator.dataset_meta = loader.dataset.metainfo
    runner.logger.info(f'pseudo labels: labelling {len(loader.dataset)} images with '
                       f'{collector_cfg.labeler["type"]}')
    runner.model.eval()
    progress = ProgressBar(len(loader.dataset)) if len(loader.dataset) else None
    with torch.no_grad():
        for data_batch in loader:
            outputs = runner.model.test_step(data_batch)
            evaluator.process(data_samples=outputs, data_batch=data_batch)
            for _ in outputs:
                progress.update()
    metrics = evaluator.evaluate(len(loader.dataset))
    for key, value in metrics.items():
        runner.message_hub.update_scalar(f'pseudo/{key}', value)
    runner.logger.info(f'pseudo labels: {metrics}')
    return metrics
