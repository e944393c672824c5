"""Segment proposals: a built-in generator, readers of external ones, a per-image store."""
from .cache import ProposalStore
from .generator import generate_proposals
from .io import (Proposals, load_proposals, read_index_png, read_liid_pkl, read_mat,
                 save_proposals)
from .recall import proposal_recall

__all__ = [
    'Proposals', 'generate_proposals', 'read_mat', 'read_liid_pkl', 'read_index_png',
    'save_proposals', 'load_proposals', 'ProposalStore', 'proposal_recall'
]
