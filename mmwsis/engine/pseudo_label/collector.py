"""The pseudo-label stage's collector: an mmengine metric over the teacher's test loop.

Each predicted sample goes to the method's labeler as it arrives and its
:class:`PseudoLabel` is cached per image (resumable). On rank 0, once every image is
done, the labeler's ``finalize`` reads the cache through a lazy mapping, and the writer of
the labeler's output kind writes and scores the result image by image.
"""
import os.path as osp
from typing import Dict, List, Optional, Sequence

from mmengine.evaluator import BaseMetric

from mmwsis.registry import DATASETS, METRICS, PSEUDO_LABEL_WRITERS, PSEUDO_LABELERS
from mmwsis.utils.result_cache import ResultCache
from .labelers import BaseLabeler
from .lazy_results import LazyResults
from .result import PseudoLabel


@METRICS.register_module()
class PseudoLabelCollector(BaseMetric):
    """Collect teacher outputs into pseudo labels; see the module docstring.

    Args:
        labeler: config of a registered :class:`BaseLabeler` (``PSEUDO_LABELERS``).
        dataset: the labelled split with ``supervision='mask'``: source of the image list,
            sizes, file names and image labels, and of GT for scoring (never shown to the
            teacher).
        out_dir: ``<out_dir>/<name>.json`` (instances) or ``<out_dir>/<name>/`` (semantic
            PNGs), ``<out_dir>/<name>_summary.json`` and ``<out_dir>/cache/<name>/``.
        name: output name, e.g. ``'train'``.
        score_thr, resolve_overlaps, restrict_to_image_labels, min_area: how instance
            outputs are made a training target (:class:`InstanceJsonWriter`): drop
            instances scored below ``score_thr`` (CIM uses 0.3) or of classes absent from
            the image labels, make them disjoint, drop those under ``min_area`` pixels.
            For point outputs, ``score_thr`` is the threshold their user applies: the
            points above it are scored apart (:class:`PointJsonWriter`).
    """

    default_prefix = 'pseudo'

    def __init__(self,
                 labeler: dict,
                 dataset: dict,
                 out_dir: str,
                 name: str = 'train',
                 score_thr: float = 0.0,
                 resolve_overlaps: bool = True,
                 restrict_to_image_labels: bool = True,
                 min_area: int = 1,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.labeler: BaseLabeler = PSEUDO_LABELERS.build(labeler)
        if not isinstance(self.labeler, BaseLabeler):
            raise TypeError(f'{type(self.labeler).__name__} must subclass BaseLabeler '
                            '(mmwsis.engine.pseudo_label.BaseLabeler)')
        self.dataset_cfg = dataset
        self.out_dir = out_dir
        self.name = name
        self.cache = ResultCache(osp.join(out_dir, 'cache', name))
        writer_cls = PSEUDO_LABEL_WRITERS.get(self.labeler.output)
        if writer_cls is None:
            raise KeyError(f'no writer for output {self.labeler.output!r} of '
                           f'{type(self.labeler).__name__}; registered: '
                           f'{sorted(PSEUDO_LABEL_WRITERS.module_dict)}')
        options = dict(score_thr=score_thr, resolve_overlaps=resolve_overlaps,
                       restrict_to_image_labels=restrict_to_image_labels, min_area=min_area)
        if self.labeler.output == 'points':
            options = dict(score_thr=score_thr)
        self.writer = writer_cls(out_dir, name, **(
            options if self.labeler.output in ('instances', 'points') else {}))

    @property
    def output_path(self) -> str:
        return self.writer.output_path

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            img_id = str(sample['img_id'])
            result = self.labeler.per_image(sample)
            if not isinstance(result, PseudoLabel):
                raise TypeError(f'{type(self.labeler).__name__}.per_image must return a '
                                f'PseudoLabel, got {type(result).__name__}')
            self.cache.put(img_id, result.to_dict())
            self.results.append(img_id)

    def compute_metrics(self, results: List[str]) -> Dict[str, float]:
        dataset = DATASETS.build(self.dataset_cfg)
        infos = [dataset.get_data_info(i) for i in range(len(dataset))]
        img_ids = [str(info['img_id']) for info in infos]
        missing = self.cache.missing(img_ids)
        if missing:
            raise RuntimeError(f'{len(missing)} images have no cached teacher output in '
                               f'{self.cache.root} (e.g. {missing[:3]}); rerun to finish them')
        final = self.labeler.finalize(LazyResults.from_cache(self.cache, img_ids))
        return self.writer.write(dataset, infos, final)
