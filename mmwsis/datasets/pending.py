"""The images of a dataset that a pseudo-label run has not finished yet."""
from typing import Union

from mmengine.dataset import BaseDataset
from mmengine.dist import barrier
from mmengine.logging import print_log

from mmwsis.utils.result_cache import ResultCache
from mmwsis.registry import DATASETS


@DATASETS.register_module()
def PendingImagesDataset(dataset: Union[dict, BaseDataset], cache_dir: str) -> BaseDataset:
    """``dataset`` without the images whose result is already in ``cache_dir``.

    Built from a config like a dataset class (``type='PendingImagesDataset'``), it returns
    the wrapped dataset's own subset, so the test loop resumes a killed run where it
    stopped and shards only the remaining images over ranks.
    """
    if isinstance(dataset, dict):
        dataset = DATASETS.build(dataset)
    cache = ResultCache(cache_dir)
    pending = [i for i in range(len(dataset))
               if not cache.has(str(dataset.get_data_info(i)['img_id']))]
    # Every rank lists the pending images before any rank caches one, so that all shard
    # the same list (a no-op in a single process).
    barrier()
    if len(pending) < len(dataset):
        print_log(f'pseudo labels: {len(dataset) - len(pending)} of {len(dataset)} images '
                  f'already done in {cache_dir}; resuming with {len(pending)}',
                  logger='current')
    return dataset.get_subset(pending)
