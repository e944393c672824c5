"""The contract every pseudo-labeler follows, per-image and dataset-level alike."""
from abc import ABCMeta, abstractmethod
from typing import Mapping

from ..result import PseudoLabel


class BaseLabeler(metaclass=ABCMeta):
    """Turn a teacher's predicted samples into :class:`PseudoLabel` s.

    The pseudo-label stage (``tools/test.py CONFIG CKPT --pseudo-label``, or the
    ``PseudoLabelHook`` after training) runs the teacher over the split as mmengine's test
    loop. :class:`~mmwsis.engine.pseudo_label.PseudoLabelCollector` then:

    1. calls :meth:`per_image` on each predicted sample as it arrives (on every rank) and
       caches the returned :class:`PseudoLabel` on disk, so a killed run resumes;
    2. once every image is cached, on rank 0, calls :meth:`finalize` with a lazy mapping
       ``img_id -> PseudoLabel`` over that cache (reading an image's file on access:
       never the whole split in memory) and hands what it returns, image by image, to
       the writer of :attr:`output`.

    Per-image labelers (IRNet, CIM, BESTIE, BoxCaseg) do their work in :meth:`per_image`
    and inherit the identity :meth:`finalize`. A dataset-level labeler (LIID's graph over
    every proposal of the split) puts what it needs into ``PseudoLabel.payload`` and
    decides the instances in :meth:`finalize`; it should return a lazy mapping too.

    Attributes:
        output: the writer's kind: ``'instances'`` (a COCO json with scores, scored
            against GT instances) or ``'semantic'`` (one PNG per image, scored against GT
            class maps); see ``mmwsis.engine.pseudo_label.writers``.
    """

    output: str = 'instances'

    @abstractmethod
    def per_image(self, sample: dict) -> PseudoLabel:
        """The pseudo label of one predicted sample.

        Args:
            sample: a ``DetDataSample`` as a dict: its metainfo (``img_id``, ``img_path``,
                ``ori_shape``, ``image_labels``...) and the fields the teacher's
                ``predict`` set.
        """

    def finalize(self, results: Mapping[str, PseudoLabel]) -> Mapping[str, PseudoLabel]:
        """Every image's final pseudo label, from the cached per-image ones."""
        return results
