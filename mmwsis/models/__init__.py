from .backbones import *  # noqa: F401,F403
from .heads import *  # noqa: F401,F403
from .teachers import *  # noqa: F401,F403
