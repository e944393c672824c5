"""`tools/analysis_tools/ablation.py`: each variant names switches its model has."""
import inspect
import os.path as osp
import subprocess
import sys

import pytest

from mmwsis.registry import MODELS
from mmwsis.utils import load_config, register_all_modules
from tests.tool_module import tool_module

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def ablation_tool():
    return tool_module('analysis_tools/ablation.py')


# a config of each model with an ablation: where its non-model switches must exist
ABLATED_CONFIGS = dict(CIMNet='configs/cim/cim_synthetic.py',
                       BESTIE='configs/bestie/bestie_synthetic.py',
                       BoxCaseg='configs/boxcaseg/boxcaseg_synthetic.py')


@pytest.mark.parametrize('model_type', sorted(ablation_tool().ABLATIONS))
def test_every_variant_switches_arguments_of_its_registered_model(model_type):
    register_all_modules()
    variants = ablation_tool().ABLATIONS[model_type]
    first, *others = variants.values()
    assert first[1] == {}, 'the first variant is the config itself'
    parameters = inspect.signature(MODELS.get(model_type).__init__).parameters
    cfg = load_config(osp.join(REPO, ABLATED_CONFIGS[model_type]))
    assert cfg.model.type == model_type
    for _, options in others:
        assert options
        for key, value in options.items():
            section, *path = key.split('.')
            if section == 'model':
                assert path[0] in parameters, key
            else:  # a key the config has, switched to another value
                node = cfg[section]
                for name in path:
                    node = node[name]
                assert node != value, key


def test_a_model_without_an_ablation_is_named_with_those_that_have_one():
    result = subprocess.run(
        [sys.executable, osp.join(REPO, 'tools', 'analysis_tools', 'ablation.py'),
         osp.join(REPO, 'configs', 'irn', 'cam_synthetic.py')],
        capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert 'CAMClassifier' in result.stderr and 'BESTIE' in result.stderr
