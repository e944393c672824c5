"""The :class:`Proposals` container, its own file format, and readers for the formats
users already have (MCG/COB ``.mat``, LIID ``.pkl``, indexed PNG).

Boxes are ``x1, y1, x2, y2`` in pixels with exclusive right/bottom (``x2`` = last column
+ 1), as the datasets' instance boxes. Readers keep file order: external proposal files
are ranked already, so a file without scores gets ``(N - rank) / N``.
"""
import os.path as osp
import pickle
from dataclasses import dataclass
from typing import Optional

import numpy as np
import scipy.io
from PIL import Image
from pycocotools import mask as mask_utils

from mmwsis.evaluation.functional import encode_masks
from mmwsis.utils import ResultCache


@dataclass
class Proposals:
    """Segment proposals of one image.

    Attributes:
        masks: N pycocotools RLEs (``counts`` bytes), all of the image size.
        boxes: (N, 4) float32 ``x1, y1, x2, y2`` (exclusive right/bottom).
        scores: (N,) float32, higher first-ranked; comparable within one source only.
    """

    masks: list
    boxes: np.ndarray
    scores: np.ndarray

    def __post_init__(self) -> None:
        self.boxes = np.asarray(self.boxes, dtype=np.float32).reshape(-1, 4)
        self.scores = np.asarray(self.scores, dtype=np.float32).reshape(-1)
        if not len(self.masks) == len(self.boxes) == len(self.scores):
            raise ValueError(f'{len(self.masks)} masks, {len(self.boxes)} boxes and '
                             f'{len(self.scores)} scores: they must be as many')

    def __len__(self) -> int:
        return len(self.masks)

    def decode(self) -> np.ndarray:
        """The masks as an (N, H, W) bool array (needs N > 0 to know H, W)."""
        return mask_utils.decode(list(self.masks)).transpose(2, 0, 1).astype(bool)

    def top(self, k: Optional[int]) -> 'Proposals':
        """The first ``k`` proposals (all of them for ``None``)."""
        return Proposals(list(self.masks[:k]), self.boxes[:k], self.scores[:k])


def empty_proposals() -> Proposals:
    return Proposals([], np.zeros((0, 4), np.float32), np.zeros(0, np.float32))


def rank_scores(num: int) -> np.ndarray:
    """(num,) float32 ``(num - rank) / num``: the score of file-ranked proposals."""
    return (np.arange(num, 0, -1, dtype=np.float32) / max(num, 1)).astype(np.float32)


def proposals_from_rles(rles: list, scores: np.ndarray) -> Proposals:
    """Boxes derived from the RLEs (pycocotools ``toBbox``: exclusive right/bottom)."""
    if not rles:
        return empty_proposals()
    xywh = mask_utils.toBbox(list(rles)).reshape(-1, 4)
    boxes = np.concatenate([xywh[:, :2], xywh[:, :2] + xywh[:, 2:]], axis=1)
    return Proposals(list(rles), boxes, scores)


def proposals_from_masks(masks: np.ndarray, scores: Optional[np.ndarray] = None
                         ) -> Proposals:
    """(N, H, W) binary masks -> :class:`Proposals`; ``scores`` default to file rank."""
    masks = np.asarray(masks)
    scores = rank_scores(len(masks)) if scores is None else scores
    return proposals_from_rles(encode_masks(masks), scores)


def _cell_entries(cell: np.ndarray) -> list:
    """A MATLAB cell array read by ``loadmat`` -> its entries in order."""
    return [np.asarray(entry) for entry in np.asarray(cell, dtype=object).reshape(-1)]


def _mat_scores(mat: dict, num: int, path: str) -> Optional[np.ndarray]:
    if 'scores' not in mat:
        return None
    scores = np.asarray(mat['scores'], dtype=np.float32).reshape(-1)
    if len(scores) != num:
        raise ValueError(f'{path}: {len(scores)} scores for {num} proposals')
    return scores


def read_mat(path: str) -> Proposals:
    """Read MCG/COB proposals from a ``.mat`` file, in file order.

    Two layouts:

    * ``maskmat``: a cell array of N (H, W) masks (COB as used by CIM) or an (H, W, N)
      numeric array;
    * ``superpixels`` (H, W) ids (1-based) + ``labels``: a cell array whose n-th entry
      lists the superpixel ids whose union is proposal n (MCG).

    An optional ``scores`` vector is used as is.
    """
    mat = scipy.io.loadmat(path, verify_compressed_data_integrity=False)
    if 'maskmat' in mat:
        maskmat = mat['maskmat']
        if maskmat.dtype == object:
            entries = _cell_entries(maskmat)
            masks = (np.stack(entries) if entries else np.zeros((0, 1, 1), bool))
        elif maskmat.ndim == 3:
            masks = maskmat.transpose(2, 0, 1)
        else:
            raise ValueError(f'{path}: `maskmat` must be a cell array of masks or an '
                             f'(H, W, N) array, got shape {maskmat.shape}')
    elif 'superpixels' in mat and 'labels' in mat:
        superpixels = np.asarray(mat['superpixels'])
        ids = _cell_entries(mat['labels'])
        lookup = np.zeros((len(ids), int(superpixels.max()) + 1), dtype=bool)
        for row, members in enumerate(ids):
            lookup[row, members.astype(np.int64).reshape(-1)] = True
        masks = lookup[:, superpixels]
    else:
        found = sorted(k for k in mat if not k.startswith('__'))
        raise KeyError(f'{path}: expected `maskmat` (COB) or `superpixels` + `labels` '
                       f'(MCG) proposals, found keys {found}')
    return proposals_from_masks(masks, _mat_scores(mat, len(masks), path))


def read_liid_pkl(path: str) -> Proposals:
    """Read LIID's ``{'bbxes': (N, 4) x1,y1,x2,y2, 'segs': (N, H, W) bool}`` pickle.

    The file's boxes are kept (LIID's own convention); scores follow file order.
    """
    with open(path, 'rb') as f:
        data = pickle.load(f)
    if not isinstance(data, dict) or 'segs' not in data or 'bbxes' not in data:
        keys = sorted(data) if isinstance(data, dict) else type(data).__name__
        raise KeyError(f"{path}: expected a dict with 'bbxes' and 'segs', found {keys}")
    segs = np.asarray(data['segs'])
    rles = encode_masks(segs.reshape((-1, ) + segs.shape[-2:]))
    return Proposals(rles, data['bbxes'], rank_scores(len(rles)))


def read_index_png(path: str) -> Proposals:
    """Read a PNG whose pixel value k > 0 is proposal k (non-overlapping, k ascending).

    Values are read as stored (palette indices, not colours); boxes come from the masks.
    """
    with Image.open(path) as image:
        if image.mode not in ('P', 'L', 'I', 'I;16'):
            raise ValueError(f'{path}: expected a single-channel PNG of proposal ids, '
                             f'got mode {image.mode}')
        index = np.asarray(image)
    ids = np.unique(index)
    ids = ids[ids > 0]
    return proposals_from_masks(index[None] == ids[:, None, None])


READERS = {'mat': (read_mat, '.mat'), 'pkl': (read_liid_pkl, '.pkl'),
           'png': (read_index_png, '.png')}


def read_proposal_file(source: str, source_dir: str, img_id: str) -> Proposals:
    """``<source_dir>/<img_id>.<ext>`` read with the reader of ``source``."""
    reader, ext = READERS[source]
    path = osp.join(source_dir, img_id + ext)
    if not osp.isfile(path):
        raise FileNotFoundError(f'no {source} proposals for image {img_id!r}: {path} '
                                'does not exist')
    return reader(path)


def save_proposals(root: str, img_id: str, proposals: Proposals) -> None:
    """Write ``<root>/<img_id>.pkl`` atomically (a pickle of the dataclass's fields)."""
    ResultCache(root).put(img_id, dict(masks=proposals.masks, boxes=proposals.boxes,
                                       scores=proposals.scores))


def load_proposals(root: str, img_id: str) -> Proposals:
    """Read what :func:`save_proposals` wrote."""
    return Proposals(**ResultCache(root).get(img_id))
