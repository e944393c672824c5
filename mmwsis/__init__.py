"""mmwsis: weakly-supervised instance segmentation for OpenMMLab 2.x."""
import mmcv
import mmdet
import mmengine
from mmengine.utils import digit_version

from .utils.mmengine_compat import allow_mmengine_checkpoints, register_config_package
from .version import __version__, version_info

# (minimum inclusive, maximum exclusive) of what this release was verified with: mmcv
# 2.1.0, mmengine 0.10.7 and mmdet 3.3.0, under torch 2.1.2 and 2.13.0.
_REQUIRED = {
    'mmcv': (mmcv, '2.1.0', '2.2.0'),
    'mmengine': (mmengine, '0.10.7', '0.11.0'),
    'mmdet': (mmdet, '3.3.0', '3.4.0'),
}
for _name, (_module, _low, _high) in _REQUIRED.items():
    _version = digit_version(_module.__version__)
    assert digit_version(_low) <= _version < digit_version(_high), (
        f'{_name}=={_module.__version__} is installed but mmwsis needs '
        f'{_name}>={_low},<{_high}. See the README, "Install".')

register_config_package()
allow_mmengine_checkpoints()

__all__ = ['__version__', 'version_info']
