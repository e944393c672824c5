"""AssignProposalClusters takes its points from the sample's supervision by default."""
import numpy as np
import pytest

from mmwsis.datasets.transforms import AssignProposalClusters
from mmwsis.evaluation.functional import encode_masks


def sample(supervision, **extra):
    masks = np.zeros((3, 12, 12), bool)
    masks[0, 1:5, 1:5] = True     # the object at the point
    masks[1, 1:6, 1:6] = True     # nearly the same object
    masks[2, 7:11, 7:11] = True   # elsewhere
    return dict(img_path='a.jpg', supervision=supervision, proposal_masks=encode_masks(masks),
                **extra)


def test_auto_clusters_around_the_instance_points_under_point_supervision():
    results = AssignProposalClusters(num_classes=2)(sample(
        'point', instances=[dict(point=[2.0, 3.0], bbox_label=1)]))
    clusters = results['proposal_clusters']
    assert clusters.shape == (3, 3)
    assert clusters[:2, 2].tolist() == [1, 1] and clusters[2].tolist() == [0, 0, 0]


def test_auto_reads_the_pseudo_points_under_image_labels_and_names_the_setting():
    peaks = dict(points=[[9.0, 9.0]], labels=[0], scores=[0.8])
    results = AssignProposalClusters(num_classes=2)(sample('image', pseudo_points=peaks))
    assert results['proposal_clusters'][:, 1].tolist() == [0, 0, 1]
    with pytest.raises(KeyError, match='pseudo_points_file'):
        AssignProposalClusters(num_classes=2)(sample('image'))
    with pytest.raises(ValueError, match="'auto'"):
        AssignProposalClusters(num_classes=2, points='peaks')
