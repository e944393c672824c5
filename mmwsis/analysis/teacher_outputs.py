"""Run a trained teacher on the first images of its pseudo-label split, outside a runner."""
from typing import Iterator, Tuple

import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.runner import load_checkpoint

from mmwsis.registry import DATASETS, MODELS


def build_teacher(cfg: Config, checkpoint: str) -> torch.nn.Module:
    """The config's model with the checkpoint's weights (``init_cfg`` ignored), in eval."""
    model_cfg = cfg.model.copy()
    model_cfg.init_cfg = None  # the checkpoint holds everything, the CAM network too
    model = MODELS.build(model_cfg)
    load_checkpoint(model, checkpoint, map_location='cpu', logger='silent')
    return model.eval()


@torch.no_grad()
def run_teacher(cfg: Config, checkpoint: str, count: int,
                mode: str = 'predict') -> Iterator[Tuple[int, object]]:
    """``(index, output)`` for the first ``count`` images of ``cfg.pseudo_label``'s split.

    ``mode='predict'`` yields the predicted ``DetDataSample``; ``mode='tensor'`` the raw
    network output (image-level logits for a CAM classifier) of the preprocessed image.
    """
    dataset = DATASETS.build(cfg.pseudo_label.dataloader.dataset)
    model = build_teacher(cfg, checkpoint)
    for index in range(min(count, len(dataset))):
        data = model.data_preprocessor(pseudo_collate([dataset[index]]), False)
        if mode == 'predict':
            yield index, model.predict(data['inputs'], data['data_samples'])[0]
        else:
            yield index, model(data['inputs'], data['data_samples'], mode='tensor')[0]
