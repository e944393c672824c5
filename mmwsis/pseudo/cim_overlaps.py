"""What CIM reads about each image's proposals: how they overlap and their 7x7 shape.

Overlaps go through the image's *atoms*: the largest pixel sets that no proposal splits
(two pixels share an atom when exactly the same proposals cover them). Every proposal is
a union of atoms, so every intersection is a sum of atom areas, one sparse product.
Proposals cut from segment hierarchies (COB, MCG, selective search) have few atoms, the
finest regions, so the (R, S) atom membership is a compact, exact summary of the R x R
maps: it is what gets cached, and the maps are rebuilt from it on load.
"""
import itertools
from typing import Sequence, Tuple

import numpy as np
from pycocotools import mask as mask_utils
from scipy import sparse


def _mix64(values: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: a bijection of uint64 that scatters every input bit."""
    values = (values ^ (values >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    values = (values ^ (values >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return values ^ (values >> np.uint64(31))


def proposal_atoms(rles: Sequence[dict], chunk: int = 32) -> Tuple[sparse.csr_matrix,
                                                                     np.ndarray]:
    """Split one image into the atoms of its proposals.

    Each pixel's membership (which proposals cover it) is read ``chunk`` proposals at a
    time as 32-bit codes and folded into a 64-bit hash; pixels are grouped by hash with
    one ``np.unique``, then every pixel's codes are checked against its group's first
    pixel, so a hash collision is caught (and the hash re-salted), never silently merged.
    No more than ``chunk`` full-size masks are decoded at once; the codes take
    ``4 * H * W * R / chunk`` bytes (96 MiB for 4,096 proposals on a 500 x 375 image).

    Args:
        rles: R pycocotools RLEs of one image, all of one size (H, W).
        chunk: proposals per code, 1 to 32.

    Returns:
        ``membership`` (R, S) CSR float64, 1 where proposal r covers atom s, and ``areas``
        (S,) int64, each atom's pixel count (the pixels that no proposal covers form an
        atom of their own, with an empty column).
    """
    if not 1 <= chunk <= 32:
        raise ValueError(f'chunk must be in [1, 32], got {chunk}')
    rles = list(rles)
    if not rles:
        return sparse.csr_matrix((0, 0)), np.zeros(0, np.int64)
    height, width = rles[0]['size']
    pixels = height * width
    codes = []
    for start in range(0, len(rles), chunk):
        # decode gives (H, W, c) in Fortran order: each proposal's pixels are contiguous.
        bits = mask_utils.decode(rles[start:start + chunk]).reshape(pixels, -1, order='F')
        code = np.zeros(pixels, np.uint32)
        for k in range(bits.shape[1]):
            code |= bits[:, k].astype(np.uint32) << np.uint32(k)
        codes.append(code)
    for salt in itertools.count(1):
        key = np.full(pixels, salt, np.uint64)
        with np.errstate(over='ignore'):
            for code in codes:
                key = _mix64(key ^ code.astype(np.uint64))
        _, first_pixel, atom = np.unique(key, return_index=True, return_inverse=True)
        atom = atom.reshape(-1)
        if all(np.array_equal(code, code[first_pixel][atom]) for code in codes):
            break
    areas = np.bincount(atom, minlength=len(first_pixel)).astype(np.int64)
    shifts = np.arange(chunk, dtype=np.uint32)[:, None]
    covered = np.concatenate([(code[first_pixel][None] >> shifts) & 1 for code in codes])
    # CSR straight from the 0/1 codes: only the nonzeros become float64, never (R, S).
    return sparse.csr_matrix(covered[:len(rles)]).astype(np.float64), areas


def overlaps_from_atoms(membership: sparse.csr_matrix,
                        areas: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Mask IoU and containment of every proposal pair from the atoms.

    Args:
        membership, areas: from :func:`proposal_atoms`.

    Returns:
        ``iou`` (R, R) float32, ``iou[i, j] = |m_i & m_j| / |m_i | m_j|``, and
        ``containment`` (R, R) float32, ``containment[i, j] = |m_i & m_j| / |m_j|``: how
        much of ``j`` lies inside ``i`` (CIM's asymmetric IoU). Empty masks give 0. Exact:
        the intersections are integer sums in float64.
    """
    num = membership.shape[0]
    if num == 0:
        empty = np.zeros((0, 0), np.float32)
        return empty, empty.copy()
    weighted = membership.multiply(np.asarray(areas, np.float64)[None]).tocsr()
    inter = np.asarray((weighted @ membership.T).todense())
    area = np.diag(inter).copy()
    union = area[:, None] + area[None] - inter
    with np.errstate(invalid='ignore', divide='ignore'):
        iou = np.where(union > 0, inter / union, 0).astype(np.float32)
        inside = np.where(area[None] > 0, inter / area[None], 0).astype(np.float32)
    return iou, inside


def pack_atoms(membership: sparse.csr_matrix, areas: np.ndarray) -> dict:
    """The atoms as compact arrays: the CSR structure of ``membership`` (its values are
    all 1) in the smallest integer types that hold it, and the areas."""
    index_type = np.uint16 if len(areas) <= np.iinfo(np.uint16).max + 1 else np.int32
    return dict(atom_indices=membership.indices.astype(index_type),
                atom_indptr=membership.indptr.astype(np.int64),
                atom_areas=np.asarray(areas, np.int32))


def unpack_atoms(packed: dict) -> Tuple[sparse.csr_matrix, np.ndarray]:
    """Inverse of :func:`pack_atoms`: ``membership`` (R, S) CSR and ``areas`` (S,)."""
    indices, indptr = packed['atom_indices'].astype(np.int32), packed['atom_indptr']
    areas = packed['atom_areas'].astype(np.int64)
    membership = sparse.csr_matrix((np.ones(len(indices)), indices, indptr),
                                   shape=(len(indptr) - 1, len(areas)))
    return membership, areas


def proposal_overlaps(rles: Sequence[dict]) -> Tuple[np.ndarray, np.ndarray]:
    """Mask IoU and containment between every pair of one image's proposals.

    Args:
        rles: R pycocotools RLEs of one image.

    Returns:
        ``iou`` and ``containment`` (R, R) float32, as :func:`overlaps_from_atoms`.
    """
    return overlaps_from_atoms(*proposal_atoms(rles))


def box_cropped_masks(rles: Sequence[dict], boxes: np.ndarray, size: int = 7,
                      chunk: int = 256) -> np.ndarray:
    """Each proposal's mask cropped to its box and sampled on a ``size`` x ``size`` grid.

    Nearest-neighbour at the centre of each grid cell, as CIM's 7x7 masks (which the
    ``MaskFuse`` head multiplies into its RoI features).

    Args:
        rles: R RLEs of one image.
        boxes: (R, 4) ``x1, y1, x2, y2`` in pixels, exclusive right/bottom.
        size: the grid side.
        chunk: proposals decoded at a time (memory is ``chunk * H * W`` bytes).

    Returns:
        (R, size, size) float32 in {0, 1}.
    """
    boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    if len(rles) != len(boxes):
        raise ValueError(f'{len(rles)} masks and {len(boxes)} boxes')
    out = np.zeros((len(boxes), size, size), np.float32)
    if not len(boxes):
        return out
    height, width = rles[0]['size']
    centres = (np.arange(size) + 0.5) / size
    xs = boxes[:, :1] + centres[None] * (boxes[:, 2:3] - boxes[:, :1])
    ys = boxes[:, 1:2] + centres[None] * (boxes[:, 3:4] - boxes[:, 1:2])
    xs = np.clip(np.floor(xs), 0, width - 1).astype(np.int64)
    ys = np.clip(np.floor(ys), 0, height - 1).astype(np.int64)
    for start in range(0, len(boxes), chunk):
        stop = min(start + chunk, len(boxes))
        masks = mask_utils.decode(list(rles[start:stop])).transpose(2, 0, 1)
        rows = np.arange(stop - start)[:, None, None]
        out[start:stop] = masks[rows, ys[start:stop, :, None], xs[start:stop, None, :]]
    return out
