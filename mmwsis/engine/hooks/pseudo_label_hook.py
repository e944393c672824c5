"""Run the pseudo-label stage when the teacher has finished training."""
from typing import Dict

from mmengine.hooks import Hook
from mmengine.runner import Runner, TestLoop

from mmwsis.registry import HOOKS
from ..pseudo_label.runtime import pseudo_label_loop_cfgs


@HOOKS.register_module()
class PseudoLabelHook(Hook):
    """After training, label the ``pseudo_label`` split with the trained teacher.

    So ``mim train mmwsis <teacher config>`` leaves ``work_dir/pseudo_labels/*``. The run
    is ``tools/test.py CONFIG CKPT --pseudo-label``: mmengine's own ``TestLoop`` over the
    pseudo-label loader with the collector as its evaluator (resumable, sharded over
    ranks, logged and timed by the runner's hooks); its scores are also stored in the
    message hub as ``pseudo/<metric>``.
    """

    priority = 'LOWEST'

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled

    def after_train(self, runner: Runner) -> None:
        if self.enabled:
            label_with(runner)


def label_with(runner: Runner) -> Dict[str, float]:
    """Run the pseudo-label loop of ``runner.cfg`` with ``runner.model``; return scores.

    The runner's test loop is swapped for one over the pseudo-label split while it runs
    (hooks such as the logger read ``runner.test_dataloader``), then put back.
    """
    loader_cfg, collector_cfg = pseudo_label_loop_cfgs(runner.cfg)
    runner.logger.info(f'pseudo labels: labelling with {collector_cfg.labeler["type"]}')
    own_loop = runner._test_loop
    runner._test_loop = TestLoop(runner, loader_cfg, [collector_cfg])
    try:
        metrics = runner._test_loop.run()
    finally:
        runner._test_loop = own_loop
    for key, value in metrics.items():
        runner.message_hub.update_scalar(key, value)
    return metrics
