"""LIID's labeler: per-image caching, then one graph and cut over all images."""
import numpy as np
import pytest
import torch

from mmwsis.engine.pseudo_label import LIIDCutLabeler
from mmwsis.evaluation.functional import encode_masks

SIZE = (8, 8)


def rles(n: int, offset: int):
    """n distinguishable masks: mask j covers row offset + j."""
    masks = np.zeros((n, *SIZE), dtype=bool)
    for j in range(n):
        masks[j, offset + j] = True
    return encode_masks(masks)


def teacher_sample(image_labels, probs, feats, offset, objectness=None):
    probs = torch.tensor(probs, dtype=torch.float32)
    objectness = torch.ones(len(probs)) if objectness is None else torch.tensor(objectness)
    return dict(image_labels=image_labels, ori_shape=SIZE, img_path=f'{offset}.jpg',
                proposal_probs=probs, proposal_feats=torch.tensor(feats, dtype=torch.float32),
                proposal_masks=rles(len(probs), offset), proposals=dict(scores=objectness))


E = np.eye(5)
SAMPLES = {
    # A (class 0): a confident class-0 proposal and a background one
    'a': teacher_sample([0], [[0.05, 0.95, 0, 0], [0.9, 0.1, 0, 0]], [E[0], E[1]], 0),
    # B (classes 0, 1): q0 leans to class 1 alone but looks like A's class-0 proposal;
    # q1 is a confident class 1; q2 is unsure but looks like C's class-2 proposal.
    'b': teacher_sample([0, 1], [[0.3, 0.3, 0.4, 0], [0.05, 0, 0.95, 0], [0.2, 0.1, 0.1, 0]],
                        [E[0] + 0.01 * E[4], E[2], E[3]], 2),
    # C (classes 0, 2): a confident class 2 (shares class 0 with B, so may link to q2)
    'c': teacher_sample([0, 2], [[0.05, 0, 0, 0.95]], [E[3] + 0.01 * E[4]], 5),
}


@pytest.fixture
def finalized():
    labeler = LIIDCutLabeler(graph=dict(k=1), cut=dict(num_workers=1, progress=False))
    return labeler.finalize({k: labeler.per_image(s) for k, s in SAMPLES.items()})


def test_cut_labels_follow_the_graph_and_the_image_labels(finalized):
    a, b, c = finalized['a'], finalized['b'], finalized['c']
    # A: the background proposal is not an instance
    assert a.labels.tolist() == [0] and a.masks == rles(2, 0)[:1]
    # B: q0 joins A's class 0 through its edge; q2 is cut to class 2, which B lacks
    assert b.labels.tolist() == [0, 1]
    assert b.masks == rles(3, 2)[:2]
    assert c.labels.tolist() == [2]


def test_score_is_the_probability_of_the_cut_class(finalized):
    np.testing.assert_allclose(finalized['a'].scores, [0.95], rtol=1e-6)
    np.testing.assert_allclose(finalized['b'].scores, [0.3, 0.95], rtol=1e-6)
    np.testing.assert_allclose(finalized['c'].scores, [0.95], rtol=1e-6)


def test_without_its_edge_q0_takes_its_own_best_class():
    labeler = LIIDCutLabeler(graph=dict(k=1), cut=dict(num_workers=1, progress=False))
    b = SAMPLES['b']
    unlike_a = dict(b, proposal_feats=torch.tensor(np.stack([E[4], E[2], E[3]]),
                                                   dtype=torch.float32))
    cached = {k: labeler.per_image(s) for k, s in dict(SAMPLES, b=unlike_a).items()}
    assert labeler.finalize(cached)['b'].labels.tolist() == [1, 1]


def test_masks_must_match_the_scored_proposals():
    sample = dict(SAMPLES['a'], proposal_masks=rles(1, 0))
    with pytest.raises(ValueError, match='2 scored proposals but 1'):
        LIIDCutLabeler().per_image(sample)


def test_objectness_scales_the_scores_unless_asked_not_to():
    samples = dict(SAMPLES, b=teacher_sample(
        [0, 1], [[0.3, 0.3, 0.4, 0], [0.05, 0, 0.95, 0], [0.2, 0.1, 0.1, 0]],
        [E[0] + 0.01 * E[4], E[2], E[3]], 2, objectness=[0.5, 0.2, 0.9]))
    for score, expected in (('cls_x_objectness', [0.3 * 0.5, 0.95 * 0.2]), ('cls', [0.3, 0.95])):
        labeler = LIIDCutLabeler(graph=dict(k=1), cut=dict(num_workers=1, progress=False),
                                 score=score)
        finalized = labeler.finalize({k: labeler.per_image(s) for k, s in samples.items()})
        assert finalized['b'].labels.tolist() == [0, 1]  # the cut ignores objectness
        np.testing.assert_allclose(finalized['b'].scores, expected, rtol=1e-6)


def test_unknown_score_and_missing_objectness_are_refused():
    with pytest.raises(ValueError, match='cls_x_objectness'):
        LIIDCutLabeler(score='det')
    sample = dict(SAMPLES['a'], proposals=dict(scores=torch.ones(5)))
    with pytest.raises(ValueError, match='proposal scores'):
        LIIDCutLabeler().per_image(sample)


def test_features_spill_to_the_configured_folder(tmp_path, monkeypatch):
    import tempfile
    opened = []
    real = tempfile.TemporaryFile

    def spy(*args, **kwargs):
        opened.append(kwargs.get('dir'))
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, 'TemporaryFile', spy)
    labeler = LIIDCutLabeler(graph=dict(k=1), cut=dict(num_workers=1, progress=False),
                             spill_dir=str(tmp_path))
    finalized = labeler.finalize({k: labeler.per_image(s) for k, s in SAMPLES.items()})
    assert finalized['c'].labels.tolist() == [2]
    assert opened == [str(tmp_path)]
    assert list(tmp_path.iterdir()) == []  # removed once the graph is built
