"""One sample per GT box of a box-supervised dataset: BoxCaseg's box samples."""
from typing import List, Sequence, Union

from mmengine.dataset import BaseDataset

from mmwsis.registry import DATASETS


@DATASETS.register_module()
class BoxInstanceDataset(BaseDataset):
    """Every non-ignored GT box of ``dataset`` as its own sample.

    Sample ``i`` is the data info of the image holding box ``i`` with ``box_index`` (the
    box's position among the image's instances, as mmdet's ``LoadAnnotations`` orders
    them) and ``salient=False``, through ``pipeline`` (with :class:`JitteredBoxCrop`).
    The metainfo is the wrapped dataset's. An mmengine ``ConcatDataset`` with a
    :class:`SalientObjectDataset` (``ignore_keys='classes'``) makes BoxCaseg's joint
    training set.

    Args:
        dataset: a dataset (or its config) at ``supervision='box'``: a box sample must
            not see masks; its own ``pipeline`` is not used.
        pipeline: the box samples' transforms.
    """

    def __init__(self, dataset: Union[dict, BaseDataset], pipeline: Sequence[dict],
                 **kwargs) -> None:
        if isinstance(dataset, dict):
            dataset = DATASETS.build(dataset)
        supervision = getattr(dataset, 'supervision', None)
        if supervision != 'box':
            raise ValueError(f'BoxInstanceDataset needs a dataset at supervision=\'box\', got '
                             f'{supervision!r} ({type(dataset).__name__})')
        self.dataset = dataset
        super().__init__(metainfo=dict(dataset.metainfo), pipeline=list(pipeline), **kwargs)

    def load_data_list(self) -> List[dict]:
        data_list = []
        for image in range(len(self.dataset)):
            info = self.dataset.get_data_info(image)
            for box, instance in enumerate(info['instances']):
                if not instance.get('ignore_flag', 0):
                    data_list.append(dict(info, box_index=box, salient=False))
        return data_list
