from .pretrained import check_pretrained_files
from .result_cache import ResultCache
from .setup_env import register_all_modules

__all__ = ['register_all_modules', 'check_pretrained_files', 'ResultCache']
