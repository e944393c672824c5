"""One sample per GT box of a box-supervised dataset: BoxCaseg's box samples."""
import copy
from typing import List, Sequence, Tuple, Union

from mmengine.dataset import BaseDataset, Compose
from torch.utils.data import Dataset

from mmwsis.registry import DATASETS


@DATASETS.register_module()
class BoxInstanceDataset(Dataset):
    """Every non-ignored GT box of ``dataset`` as its own sample.

    Sample ``i`` is the data info of the image holding box ``i`` with ``box_index`` (the
    box's position among the image's instances, as mmdet's ``LoadAnnotations`` orders
    them) and ``salient=False``, through ``pipeline`` (with :class:`JitteredBoxCrop`).

    Args:
        dataset: a dataset (or its config) at ``supervision='box'``: a box sample must
            not see masks; its own ``pipeline`` is not used.
        pipeline: the box samples' transforms.
    """

    def __init__(self, dataset: Union[dict, BaseDataset], pipeline: Sequence[dict]) -> None:
        if isinstance(dataset, dict):
            dataset = DATASETS.build(dataset)
        supervision = getattr(dataset, 'supervision', None)
        if supervision != 'box':
            raise ValueError(f'BoxInstanceDataset needs a dataset at supervision=\'box\', got '
                             f'{supervision!r} ({type(dataset).__name__})')
        self.dataset = dataset
        self.metainfo = dataset.metainfo
        self.pipeline = Compose(pipeline)
        self.boxes: List[Tuple[int, int]] = [
            (image, box) for image in range(len(dataset))
            for box, instance in enumerate(dataset.get_data_info(image)['instances'])
            if not instance.get('ignore_flag', 0)]

    def __len__(self) -> int:
        return len(self.boxes)

    def get_data_info(self, index: int) -> dict:
        image, box = self.boxes[index]
        info = copy.deepcopy(self.dataset.get_data_info(image))
        info.update(box_index=box, salient=False)
        return info

    def __getitem__(self, index: int) -> dict:
        return self.pipeline(self.get_data_info(index))
